"""Worker processes send their scores back as plain tuples; the caller gets the same counts."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewer.core import evaluate
from reviewer.core.counts import PairCounts
from reviewer.core.tokenize import CharMode
from reviewer.store.meta_json import meta_json

PAIRS = [(f"line {k} é\u0301 rn", f"1ine {k} m" if k % 3 else f"line {k} é\u0301 rn")
         for k in range(300)]


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["grapheme", "codepoint"])
def test_worker_processes_give_the_counts_of_this_process(monkeypatch: pytest.MonkeyPatch,
                                                          mode: CharMode) -> None:
    monkeypatch.setattr(evaluate, "_CHUNK", 40)
    monkeypatch.setattr(evaluate, "PARALLEL_THRESHOLD", 0)
    here = evaluate.score_pairs(PAIRS, mode, workers=1)
    pooled = evaluate.score_pairs(PAIRS, mode, workers=2)
    assert pooled == here
    assert all(type(c) is PairCounts for c in pooled)
    assert [c.edits for c in pooled] == [c.edits for c in here]


@given(st.dictionaries(st.text(max_size=5), st.one_of(st.integers(), st.text(max_size=5),
                                                      st.lists(st.integers(), max_size=3))))
def test_meta_json_is_json_dumps(meta: dict[str, object]) -> None:
    assert meta_json(meta) == json.dumps(dict(meta))


def test_meta_json_of_an_empty_mapping() -> None:
    assert meta_json({}) == json.dumps({}) == "{}"
