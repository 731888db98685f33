"""Multiple-choice answers with option probabilities: how they are stored, scored, ranked by
suspicion, and read back from an exported table."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from reviewer.core.choice_codec import (
    choice_letter,
    decode_choice,
    encode_choice,
    from_loglikelihoods,
)
from reviewer.core.choice_probs import by_self_confidence, by_votes
from reviewer.core.counts import ScoreOptions
from reviewer.core.kind_spec import ScoredItem
from reviewer.core.kinds import spec
from reviewer.core.suspicion import SuspicionScores
from reviewer.core.votes import vote_suspicion
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions


def test_loglikelihoods_give_the_argmax_and_the_softmax() -> None:
    letter, probs = from_loglikelihoods([-2.0, -0.5, -0.5, -3.0])
    assert letter == "B"  # a tie goes to the first, as the harness's argmax
    weights = [math.exp(x) for x in (-2.0, -0.5, -0.5, -3.0)]
    for k, x in enumerate("ABCD"):
        assert probs[x] == pytest.approx(weights[k] / sum(weights), abs=1e-6)
    assert from_loglikelihoods([]) == ("", {})


def test_a_stored_answer_decodes_to_its_letter() -> None:
    stored = encode_choice("C", {"A": 0.2, "B": 0.1, "C": 0.7})
    assert stored.startswith("{")
    assert choice_letter(stored) == "C" and decode_choice(stored).prob("A") == 0.2
    assert choice_letter(" b ") == "B" and decode_choice("B").probs is None
    assert choice_letter(None) == "" and encode_choice("A") == "A"


@pytest.mark.parametrize(("answer", "errors", "category"), [
    (encode_choice("B", {"A": 0.3, "B": 0.7}), 0, ""),
    (encode_choice("A", {"A": 0.6, "B": 0.4}), 1, "wrong_option"),
    (encode_choice("", {"A": 0.5, "B": 0.5}), 1, "no_answer"),
    ("B", 0, ""),
])
def test_the_choice_kind_scores_either_encoding(answer: str, errors: int,
                                                category: str) -> None:
    counts = spec("choice").score_pair("B", answer, ScoreOptions())
    assert (counts.main_errors, counts.main_category) == (errors, category)


def rows(key: str, answers: dict[str, str], item: str = "q") -> dict[str, list[ScoredItem]]:
    counts = spec("choice").score_pair(key, "", ScoreOptions())
    return {system: [ScoredItem(item, counts, key, answer, {"options": '["a","b","c","d"]'})]
            for system, answer in answers.items()}


def merged(*parts: dict[str, list[ScoredItem]]) -> dict[str, list[ScoredItem]]:
    out: dict[str, list[ScoredItem]] = {}
    for part in parts:
        for system, found in part.items():
            out.setdefault(system, []).extend(found)
    return out


def test_confident_models_against_the_key_rank_first() -> None:
    # Both items: the two models vote A against the key B. On "sure" they are confident,
    # on "unsure" they hardly prefer A: the votes alone cannot tell the items apart.
    sure = rows("B", {"m1": encode_choice("A", {"A": 0.9, "B": 0.05, "C": 0.05}),
                      "m2": encode_choice("A", {"A": 0.8, "B": 0.1, "C": 0.1})}, "sure")
    unsure = rows("B", {"m1": encode_choice("A", {"A": 0.4, "B": 0.35, "C": 0.25}),
                        "m2": encode_choice("A", {"A": 0.38, "B": 0.37, "C": 0.25})}, "unsure")
    both = merged(sure, unsure)
    votes = by_votes(both)
    assert votes["sure"] == votes["unsure"]
    scores = by_self_confidence(both)
    assert scores["sure"] > scores["unsure"]
    assert scores["sure"] == pytest.approx(0.99 * (1 - 0.075) + 0.01 * 0.85)
    assert isinstance(scores, SuspicionScores)
    assert "key B (p 0.08); m1 A (p 0.90), m2 A (p 0.80)" in scores.notes["sure"]


def test_letters_alone_rank_as_the_votes_do() -> None:
    found = merged(rows("B", {"m1": "A", "m2": "A"}, "x"), rows("A", {"m1": "A", "m2": "C"}, "y"))
    assert dict(by_self_confidence(found)) == dict(vote_suspicion(found))
    assert spec("choice").suspicion is by_self_confidence


def test_an_exported_table_keeps_the_probabilities(tmp_path: Path) -> None:
    stored = encode_choice("C", {"A": 0.1, "B": 0.2, "C": 0.7})
    row = {"id": "q1", "question": "Q?", "choices": ["a", "b", "c"], "answer": "C",
           "pred_m": stored}
    path = tmp_path / "mc.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    bench = load_benchmark(path, [], ReadOptions(kind="choice"))
    assert bench.predictions == {"m": {"q1": stored}}
