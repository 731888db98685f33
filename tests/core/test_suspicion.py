"""Suspicion of sequence references: systems that agree against the reference."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reviewer.core.kinds import ScoredItem, spec
from reviewer.core.kinds.text import score_text_pair
from reviewer.core.suspicion import (
    MIN_SYSTEMS,
    ChangeStats,
    SuspicionScores,
    SystemItem,
    canonical,
    item_suspects,
    sequence_suspects,
)

REPO = Path(__file__).resolve().parents[2]


def rows_of(items: dict[str, tuple[str, dict[str, str]]]) -> dict[str, list[ScoredItem]]:
    """Stored-like rows: every system's prediction of every item, scored as text."""
    systems = sorted({s for _, preds in items.values() for s in preds})
    return {s: [ScoredItem(i, score_text_pair(ref, preds[s]), ref, preds[s])
                for i, (ref, preds) in items.items()] for s in systems}


def filler(n: int) -> dict[str, tuple[str, dict[str, str]]]:
    """Items both systems read right, plus scattered one-off errors (their accuracy)."""
    out = {}
    for k in range(n):
        ref = f"line number {k} reads plainly"
        a = ref.replace("plainly", "plainIy") if k % 5 == 0 else ref
        b = ref.replace("line", "1ine") if k % 7 == 0 else ref
        out[f"f{k}"] = (ref, {"a": a, "b": b})
    return out


def test_canonical_shifts_insertions_and_deletions_left() -> None:
    ref = "aab"
    assert canonical(ref, (2, 2, "a")) == (0, 0, "a")  # an "a" inserted into "aa"
    assert canonical("xabab", (5, 5, "ab")) == (1, 1, "ab")
    assert canonical(ref, (1, 2, "")) == (0, 1, "")  # deleting either "a"
    assert canonical(ref, (2, 3, "c")) == (2, 3, "c")  # substitutions stay


def test_two_systems_making_the_same_change_flag_the_span() -> None:
    items = filler(40)
    items["typo"] = ("the wtach was late", {"a": "the watch was late", "b": "the watch was late"})
    items["model"] = ("the watch was late", {"a": "the wtach was late", "b": "the watch was late"})
    scores = spec("text").suspicion(rows_of(items))  # type: ignore[misc]
    assert isinstance(scores, SuspicionScores)
    assert scores["typo"] > 0.9
    assert scores["model"] == 0.0  # one system alone: a model error
    assert max(v for k, v in scores.items() if k != "typo") < scores["typo"]
    spans = scores.spans["typo"]
    assert {(s.ref_text, s.replacement) for s in spans} <= {("", "a"), ("a", ""), ("ta", "at")}
    assert all(set(s.systems) == {"a", "b"} for s in spans)
    assert "(a, b)" in scores.notes["typo"]


def test_a_system_keeping_the_reference_speaks_against_the_change() -> None:
    items = filler(40)
    items["x"] = ("one two three", {"a": "one too three", "b": "one too three",
                                    "c": "one two three"})
    items["y"] = ("one two three", {"a": "one too three", "b": "one too three",
                                    "c": "one tao three"})
    for k in items:
        items[k][1].setdefault("c", items[k][0])
    scores = sequence_suspects(rows_of(items))
    # c keeps the reference in x (a vote against), abstains in y (another edit there).
    assert scores["y"] > scores["x"] > 0


def test_accurate_systems_count_more() -> None:
    stats = ChangeStats({"good": (1, 1000), "bad": (300, 1000), "fair": (50, 1000)},
                        {("a", "x"): 2}, 100)
    change = ((0, 1, "x"),)
    reliable = item_suspects("ab", {"good": SystemItem(change, 1, 2),
                                    "fair": SystemItem(change, 1, 2)}, stats)
    sloppy = item_suspects("ab", {"bad": SystemItem(change, 1, 2),
                                  "fair": SystemItem(change, 1, 2)}, stats)
    assert reliable[0].score > sloppy[0].score


def test_common_confusions_count_less_than_one_off_changes() -> None:
    items = filler(40)
    for k in range(30):  # both systems read every straight quote as a curly one
        ref = f"it's line {k}"
        items[f"q{k}"] = (ref, {"a": ref.replace("'", "’"), "b": ref.replace("'", "’")})
    items["rare"] = ("the wtach was late", {"a": "the watch was late", "b": "the watch was late"})
    scores = sequence_suspects(rows_of(items))
    assert scores["rare"] > max(scores[f"q{k}"] for k in range(30))


def test_needs_two_systems() -> None:
    assert MIN_SYSTEMS == 2
    single = {"s": [ScoredItem("i", score_text_pair("abc", "abd"), "abc", "abd")]}
    assert sequence_suspects(single) == {"i": 0.0}


def test_scores_stay_distinct_and_within_bounds() -> None:
    items = filler(60)
    for k in range(5):
        items[f"t{k}"] = (f"the wtach {k}", {"a": f"the watch {k}", "b": f"the watch {k}"})
    scores = sequence_suspects(rows_of(items))
    assert all(0.0 <= v < 1.0 for v in scores.values())


@pytest.mark.slow
def test_planted_mistakes_of_the_text_demo_rank_in_the_top_tenth(tmp_path: Path) -> None:
    from reviewer.demo import ensure_demo
    from reviewer.store.project import Project
    from reviewer.store.suspects import compute_suspects

    readme = (REPO / "resources" / "demo" / "text" / "README.md").read_text(encoding="utf-8")
    planted = set(re.findall(r"\| `(line_\d+)` \|", readme.split("generated:start")[1]))
    assert len(planted) == 8
    with Project(ensure_demo(tmp_path / "demo.db", "text")) as project:
        suspects = compute_suspects(project)
    top = set(suspects.order[:len(suspects.order) // 10])
    assert len(planted & top) >= 7
