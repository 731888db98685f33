"""The answer matchers: SQuAD v1.1's exact match and token F1, math-verify's verdicts, and
the numeric matcher's reading of numbers."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewer.core.answers.matchers import (
    UnknownMatcher,
    check_matcher,
    exact_match,
    match,
    matcher_for,
    matcher_named,
    normalize_answer,
    token_f1,
)
from reviewer.core.answers.numbers import numbers_equal, parse_number

# -- SQuAD v1.1 --------------------------------------------------------------------------
# Expected values follow SQuAD v1.1's official evaluate script (evaluate-v1.1.py):
# normalize_answer lower-cases, drops every character of string.punctuation (ASCII only,
# without putting a space in its place), replaces the whole words a/an/the by a space and
# joins the split words with single spaces; exact_match_score compares normalised
# strings; f1_score counts the tokens shared (Counter intersection), returns 0 when none
# is, else 2PR/(P+R); metric_max_over_ground_truths takes the max over the gold answers.
# The Denver Broncos item is the first question of SQuAD v1.1's dev set.


@pytest.mark.parametrize(("text", "normalised"), [
    ("The Denver Broncos!", "denver broncos"),
    ("  an   apple\tpie ", "apple pie"),
    ("theater", "theater"),  # articles only as whole words
    ("New-York", "newyork"),  # punctuation is removed, not replaced by a space
    ("A.B.C.", "abc"),
    ("café…", "café…"),  # … is not in string.punctuation
    ("a an the", ""),
])
def test_squad_normalisation(text: str, normalised: str) -> None:
    assert normalize_answer(text) == normalised


@pytest.mark.parametrize(("prediction", "gold", "em", "f1"), [
    ("Denver Broncos", "Denver Broncos", True, 1.0),
    ("the Denver Broncos.", "Denver Broncos", True, 1.0),
    ("Denver", "Denver Broncos", False, 2 / 3),  # P 1, R 1/2
    ("the Broncos of Denver", "Denver Broncos", False, 0.8),  # P 2/3 (broncos of denver), R 1
    ("cat cat", "cat", False, 2 / 3),  # shared tokens counted once per gold token
    ("New York", "New-York", False, 0.0),
    ("the", "a", True, 0.0),  # both normalise to nothing: EM 1, F1 0 in v1.1
    ("Santa Clara, California", "Santa Clara", False, 0.8),
])
def test_squad_exact_match_and_f1(prediction: str, gold: str, em: bool, f1: float) -> None:
    assert exact_match(prediction, gold) is em
    assert token_f1(prediction, gold) == pytest.approx(f1)


def test_squad_takes_the_best_gold_answer() -> None:
    gold = ("Denver Broncos", "Broncos", "The Denver Broncos")
    judged = match("Broncos", gold, "f1")
    assert judged.correct and judged.score == 1.0
    judged = match("the Denver team", gold, "f1")
    assert not judged.correct
    # vs "Denver Broncos": tokens denver, team / denver, broncos: P 1/2, R 1/2
    assert judged.score == pytest.approx(0.5)


def test_exact_and_f1_agree_on_correctness_and_only_f1_gives_partial_scores() -> None:
    assert match("Denver", ["Denver Broncos"], "exact").score == 0.0
    assert match("Denver", ["Denver Broncos"], "f1").score == pytest.approx(2 / 3)
    assert match("denver broncos!", ["Denver Broncos"], "exact").correct


# -- math-verify --------------------------------------------------------------------------
# Cases from math-verify's own tests (tests/test_all.py of huggingface/Math-Verify) and
# README, with the verdicts those give.
@pytest.mark.parametrize(("gold", "prediction", "expected"), [
    ("10/9", "\\frac{10}{9}", True),
    ("-10/9", "-\\frac{10}{9}", True),
    ("$[0,1)$", "$[0,1)$", True),
    ("$[0,9)$", "$[0,1)$", False),
    ("$(0,9)$", "$[0,9)$", False),
    ("$1/3$", "$\\frac13 $", True),
    ("$\\sqrt{3}$", "$\\sqrt3 $", True),
    ("$1/3$", "$\\dfrac{1}{3} $", True),
    ("$1/3$", "$\\left( \\frac{1}{3} \\right)$", True),
    ("$1/3$", "$k = \\frac{1}{3}$", True),
    ("$28\\%$", "28", True),
    ("$0.28$", "28", False),
    ("$28$", "28/100", False),
    ("${1,3} \\cup {2,4}$", "${1,2,3,4}$", True),
    ("\\frac{1}{2}", "0.5", True),
    ("x+1", "1+x", True),
    ("x+1", "x+2", False),
])
def test_math_reproduces_math_verify(gold: str, prediction: str, expected: bool) -> None:
    assert match(prediction, [gold], "math").correct is expected


def test_math_compares_text_answers_as_exact_when_math_verify_finds_no_maths() -> None:
    assert match("Evelyn", ["evelyn"], "math").correct
    assert not match("", ["1"], "math").correct


# -- numeric ------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "value"), [
    ("18", 18), ("-5", -5), ("1,234", 1234), ("1 234 567", 1234567), ("$18.00", 18),
    ("€ 2.50", Fraction(5, 2)), ("50%", 50), ("3/4", Fraction(3, 4)),
    ("\\frac{3}{4}", Fraction(3, 4)), ("-\\dfrac{10}{9}", Fraction(-10, 9)),
    ("1 1/2", Fraction(3, 2)), ("18 apples", 18), ("x = 5", 5), ("2.5e3", 2500),
    ("\\$1{,}000", 1000), ("$72$", 72), ("72.", 72), ("−3", -3), ("\\text{18 cm}", 18),
])
def test_numbers_are_read_through_their_formatting(text: str, value: Fraction) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", [
    "", "Paris", "World War 2", "3 and 4", "1,2345", "5 + 3 = 8", "1/0", "x", "3,4",
])
def test_other_texts_are_not_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_equal_within_the_relative_tolerance() -> None:
    assert numbers_equal(Fraction(1, 3), Fraction("0.3333333"))
    assert not numbers_equal(Fraction(1, 3), Fraction("0.333"))
    assert numbers_equal(Fraction(0), Fraction(0))
    assert not numbers_equal(Fraction(0), Fraction(1, 10**9))
    # Whole numbers are never rounded into each other, however large.
    assert not numbers_equal(Fraction(10**9 + 1), Fraction(10**9))
    assert not match("1,000,000,001", ["1000000000"], "numeric").correct
    assert match("1000000000.0000001", ["1000000000"], "numeric").correct


def _variants(value: Fraction) -> list[str]:
    """Ways to write one number that the numeric matcher must read as that number."""
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    whole = int(magnitude)
    text = f"{whole:,}"
    out = [f"{sign}{text}", f"{sign}{whole}", f"  {sign}{whole}  ", f"{sign}{whole}.0",
           f"{sign}{whole}.00", f"{sign}${text}", f"{sign}$ {whole}", f"{sign}{text} dollars",
           f"{sign}{whole}%", f"{sign}{text}.", f"{sign}\\${text}", f"${sign}{whole}$"]
    return out


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_formatting_variants_of_one_number_are_equal(number: int) -> None:
    value = Fraction(number)
    gold = [str(number)]
    for text in _variants(value):
        assert match(text, gold, "numeric").correct, text
        assert match(text, gold).correct, text  # the default rule picks numeric


@given(st.fractions(min_value=-10**6, max_value=10**6, max_denominator=1000))
def test_fractions_equal_their_decimals(value: Fraction) -> None:
    fraction = f"{value.numerator}/{value.denominator}"
    decimal = f"{float(value):.12f}"
    assert match(decimal, [fraction], "numeric").correct


@given(st.integers(min_value=-10**9, max_value=10**9),
       st.integers(min_value=-10**9, max_value=10**9))
def test_different_numbers_are_not_equal(a: int, b: int) -> None:
    if a == b:
        return
    assert not match(f"{a:,}", [str(b)], "numeric").correct
    assert not match(f"${b}.00", [str(a)], "numeric").correct


def test_the_default_rule_is_numeric_only_when_every_gold_answer_is_a_number() -> None:
    assert matcher_for(["18", "$18"]) == "numeric"
    assert matcher_for(["18", "eighteen"]) == "exact"
    assert matcher_for([]) == "exact"
    assert matcher_for(["18"], "f1") == "f1"


def test_numeric_falls_back_to_exact_for_gold_answers_that_are_no_numbers() -> None:
    assert match("eighteen", ["18", "eighteen"], "numeric").correct
    assert not match("Paris", ["18"], "numeric").correct


def test_nothing_is_right_without_an_answer_or_without_gold() -> None:
    assert not match(None, ["18"]).correct
    assert not match("18", []).correct


def test_unknown_matchers_are_named() -> None:
    with pytest.raises(UnknownMatcher, match=r"'fuzzy'.*exact, numeric, math, f1"):
        check_matcher("fuzzy")
    assert matcher_named("default") == "" and matcher_named("f1") == "f1"
