"""Extraction presets: where each finds a model's final answer in its raw output, with the
offsets a view highlights."""

from __future__ import annotations

import pytest

from reviewer.core.answers.extract import (
    DESCRIPTIONS,
    PRESETS,
    UnknownExtraction,
    check_extract,
    extract,
)

COT = ("Natalia sold 48 clips in April and half as many, 24, in May.\n"
       "48 + 24 = 72.\n")


def found(output: str, preset: str) -> str | None:
    """The extracted text, checked against its offsets."""
    answer = extract(output, preset)
    if answer is None:
        return None
    assert output[answer.start:answer.end] == answer.text
    return answer.text


@pytest.mark.parametrize(("output", "expected"), [
    ("So the total is \\boxed{72}.", "72"),
    ("\\boxed{\\frac{1}{2}} and then \\boxed{\\frac{3}{4}}", "\\frac{3}{4}"),  # the last one
    ("x = \\boxed{\\left\\{ 1, \\{2\\} \\right\\}}", "\\left\\{ 1, \\{2\\} \\right\\}"),
    ("\\fbox{7}", "7"),
    ("\\boxed{unclosed", None),
    ("no box here: 72", None),
])
def test_boxed(output: str, expected: str | None) -> None:
    assert found(output, "boxed") == expected


@pytest.mark.parametrize(("output", "expected"), [
    (COT + "Answer: 72", "72"),
    (COT + "**Final Answer:** $72.", "$72"),
    ("Q: what is 2+2?\nA: 4\n", "4"),
    (COT + "#### 72", "72"),
    (COT + "The answer is 72.", "72"),
    ("The final answer is 3.5.", "3.5"),
    ("Answer: 5\nOn second thought...\nAnswer: 6", "6"),  # the final marker
    (COT, None),
])
def test_answer_line(output: str, expected: str | None) -> None:
    assert found(output, "answer-line") == expected


@pytest.mark.parametrize(("output", "expected"), [
    (COT + "#### 72", "72"),
    ("#### 1,000\nmore text\n#### 2,000", "2,000"),
    (COT + "Answer: 72", None),
])
def test_gsm8k(output: str, expected: str | None) -> None:
    assert found(output, "gsm8k") == expected


@pytest.mark.parametrize(("output", "expected"), [
    (COT, "72"),
    ("It costs $1,234.50 in total.", "1,234.50"),
    ("The temperature fell to -5 degrees", "-5"),
    ("She ate 3/4 of the pie", "3/4"),
    ("It is 18km away.", "18"),
    ("Version x2 of A4", None),  # digits inside words are not numbers
    ("no digits", None),
])
def test_last_number(output: str, expected: str | None) -> None:
    assert found(output, "last-number") == expected


@pytest.mark.parametrize(("output", "expected"), [
    ("first line\n  Paris  \n\n", "Paris"),
    ("only line", "only line"),
    ("\n \n", None),
    ("", None),
])
def test_last_line(output: str, expected: str | None) -> None:
    assert found(output, "last-line") == expected


def test_regex_takes_its_first_match_and_first_group() -> None:
    assert found("ans=3; ans=4", "regex:ans=(\\d+)") == "3"
    assert found("ans=3; ans=4", "regex:\\d+") == "3"
    assert found("nothing", "regex:ans=(\\d+)") is None
    # An optional group that did not take part: the whole match.
    assert found("value 9", "regex:(ans=)?\\d") == "9"


def test_an_invalid_pattern_is_a_clear_error_naming_it() -> None:
    with pytest.raises(UnknownExtraction, match=r"'\(unclosed'.*not a valid regular"):
        check_extract("regex:(unclosed")
    with pytest.raises(UnknownExtraction, match="regex:PATTERN"):
        check_extract("boxd")


@pytest.mark.parametrize(("output", "expected", "rule"), [
    ("The answer is 7. Check: \\boxed{8}", "8", "boxed"),  # boxed before answer lines
    (COT + "Answer: 72", "72", "answer-line"),
    (COT + "#### 72", "72", "answer-line"),
    (COT, "72", "last-number"),
    ("I think it is Paris", "I think it is Paris", "last-line"),
])
def test_auto_tries_boxed_then_answer_lines_then_numbers_then_the_last_line(
        output: str, expected: str, rule: str) -> None:
    answer = extract(output, "auto")
    assert answer is not None and (answer.text, answer.rule) == (expected, rule)


def test_auto_finds_nothing_in_an_empty_output() -> None:
    assert extract("", "auto") is None and extract("  \n", "auto") is None


def test_every_preset_is_described() -> None:
    assert set(PRESETS) | {"regex:PATTERN"} == set(DESCRIPTIONS)
    for preset in PRESETS:
        assert check_extract(preset) == preset


def test_a_box_holding_only_text_gives_the_words_inside() -> None:
    output = r"The capital is \boxed{\text{Paris}}."
    found = extract(output, "boxed")
    assert found is not None and found.text == "Paris"
    assert output[found.start:found.end] == "Paris"
    # text commands that do not fill the box are kept as written
    mixed = extract(r"\boxed{\text{a} + \text{b}}", "boxed")
    assert mixed is not None and mixed.text == r"\text{a} + \text{b}"
