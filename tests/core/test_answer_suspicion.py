"""Suspicion of answer gold: models agreeing on one other answer, weighted by how often each
is right elsewhere; ties broken as for choice; explanations in words."""

from __future__ import annotations

from reviewer.core.answers.encoding import encode_gold
from reviewer.core.answers.suspicion import (
    agreement_suspicion,
    answer_group,
    vote_suspicion,
)
from reviewer.core.counts import ScoreOptions
from reviewer.core.kind_spec import ScoredItem
from reviewer.core.kinds import spec
from reviewer.core.suspicion import SuspicionScores

ANSWER = spec("answer")
# Ten easy items every model gets right, so that each has a record elsewhere.
EASY = {f"e{k}": (str(k), f"#### {k}") for k in range(10)}


def project(items: dict[str, tuple[str, dict[str, str]]],
            models: tuple[str, ...]) -> dict[str, list[ScoredItem]]:
    """system -> rows, from item id -> (gold, {model: output}); easy items first."""
    out: dict[str, list[ScoredItem]] = {m: [] for m in models}
    every = {k: (gold, dict.fromkeys(models, output)) for k, (gold, output) in EASY.items()}
    every.update(items)
    for item_id, (gold, outputs) in every.items():
        reference = encode_gold([gold])
        for model in models:
            output = outputs.get(model)
            counts = ANSWER.score_pair(reference, output or "", ScoreOptions())
            out[model].append(ScoredItem(item_id, counts, reference, output))
    return out


MODELS = ("m1", "m2", "m3", "m4")


def test_models_agreeing_on_one_other_answer_rank_first() -> None:
    rows = project({
        "agree": ("42", {"m1": "#### 24", "m2": "#### 24", "m3": "#### 24.0", "m4": "#### 42"}),
        "scatter": ("42", {"m1": "#### 1", "m2": "#### 2", "m3": "#### 3", "m4": "#### 42"}),
        "right": ("42", dict.fromkeys(MODELS, "#### 42")),
    }, MODELS)
    scores = agreement_suspicion(rows)
    assert scores["agree"] > scores["scatter"] > scores["right"] == 0.0
    assert scores["e1"] == 0.0
    assert isinstance(scores, SuspicionScores)
    assert scores.notes["agree"] == "3 of 4 models answer '24'; gold '42'"
    assert scores.notes["right"] == "all 4 answering models are right; gold '42'"


def test_a_model_right_elsewhere_weighs_more() -> None:
    models = ("good", "bad1", "bad2")
    # bad1 and bad2 fail 30 more items (right on a quarter of all); good gets them right.
    bad = {f"x{k}": (str(k), {"good": f"#### {k}", "bad1": "#### 0", "bad2": "#### 1"})
           for k in range(2, 32)}
    rows = project({
        **bad,
        "good_says": ("42", {"good": "#### 24", "bad1": "#### 42", "bad2": "#### 42"}),
        "bad_say": ("42", {"good": "#### 42", "bad1": "#### 24", "bad2": "#### 24"}),
    }, models)
    weighted = agreement_suspicion(rows)
    plain = vote_suspicion(rows)
    # Counted alike, two models against the gold outweigh one ...
    assert plain["bad_say"] > plain["good_says"]
    # ... weighted by their record elsewhere, the reliable model's dissent counts for more.
    assert weighted["good_says"] > weighted["bad_say"]


def test_ties_of_agreement_are_broken_by_the_share_against_the_gold() -> None:
    rows = project({
        "two_against": ("42", {"m1": "#### 24", "m2": "#### 24", "m3": "#### 7", "m4": "#### 42"}),
        "one_other": ("42", {"m1": "#### 24", "m2": "#### 24", "m3": "#### 42", "m4": "#### 42"}),
    }, MODELS)
    scores = vote_suspicion(rows)
    assert scores["two_against"] > scores["one_other"]


def test_models_without_an_answer_abstain() -> None:
    rows = project({
        "silent": ("42", {"m1": "", "m2": "", "m3": "", "m4": ""}),
        "one": ("42", {"m1": "#### 24", "m2": "", "m3": "", "m4": ""}),
    }, MODELS)
    scores = agreement_suspicion(rows)
    assert scores["silent"] == 0.0 and scores.notes["silent"] == "no model answers; gold '42'"
    assert scores["one"] > 0.0 and scores.notes["one"] == "1 of 1 model answers '24'; gold '42'"


def test_answers_are_grouped_by_value_or_by_squad_normalisation() -> None:
    assert answer_group("$1,000") == answer_group("1000.0")
    assert answer_group("The Eiffel Tower") == answer_group("eiffel tower!")
    assert answer_group("24") != answer_group("25")


def test_the_kind_registers_both_methods() -> None:
    assert ANSWER.suspicion is agreement_suspicion
    assert set(ANSWER.suspicion_methods) == {"agreement", "votes"}


def test_models_refusing_alike_do_not_agree_against_the_gold() -> None:
    refusal = "I am sorry, I cannot answer that."
    rows = project({
        "refused": ("42", {"m1": refusal, "m2": refusal, "m3": "#### 42", "m4": "#### 42"}),
    }, MODELS)
    scores = agreement_suspicion(rows)
    assert scores["refused"] == 0.0
    assert scores.notes["refused"] == "all 2 answering models are right; gold '42'"
