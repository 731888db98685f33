"""Entity WER gives each step the NLP row fstalign gives it, also after a span read as
no words (a FALLBACK ``*`` whose only verbalisation is empty)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.core.entity_wer import per_class, per_tag, step_tags
from reviewer.core.lattice_wer import SEARCHES, Search, align
from reviewer.formats.nlp import parse_nlp, read_normalizations, read_wer_tags

HEADER = "token|speaker|ts|endTs|punctuation|case|tags|wer_tags"
REFERENCE = [
    "Thanks|0||||UC|[]|[]",
    "*|0||||LC|['5:FALLBACK']|[]",
    "Maria|1||||UC|[]|['1']",
    "Gonzalez|1|||,|UC|[]|['1']",
    "we|1||||LC|['6:CONTRACTION']|['2']",
    "are|1||||LC|['6:CONTRACTION']|['2']",
    "*|1||||LC|['7:FALLBACK']|[]",
    "with|1||||LC|[]|[]",
    "Acme|1||||UC|[]|['3']",
    "Foods|1|||.|UC|[]|['3']",
]
NORMS = {
    "5": {"class": "FALLBACK", "candidates": [{"probability": 1.0, "verbalization": []}]},
    "6": {"class": "CONTRACTION", "candidates": [
        {"probability": 0.5, "verbalization": ["we", "are"]},
        {"probability": 0.5, "verbalization": ["we're"]}]},
    "7": {"class": "FALLBACK", "candidates": [{"probability": 1.0, "verbalization": []}]},
}
TAGS = {"1": {"entity_type": "PERSON"}, "2": {"entity_type": "CONTRACTION"},
        "3": {"entity_type": "ORG"}}


@pytest.fixture
def call(tmp_path: Path) -> tuple[Path, Path, Path]:
    ref = tmp_path / "call.nlp"
    ref.write_text("\n".join([HEADER, *REFERENCE]) + "\n", "utf-8")
    norm = tmp_path / "call.norm.json"
    norm.write_text(json.dumps(NORMS), "utf-8")
    tags = tmp_path / "call.wer_tag.json"
    tags.write_text(json.dumps(TAGS), "utf-8")
    return ref, norm, tags


@pytest.mark.parametrize("search", SEARCHES)
def test_words_after_an_empty_reading_keep_their_own_rows(
        call: tuple[Path, Path, Path], search: Search) -> None:
    ref, norm, tags = call
    rows = [r.ref_token() for r in parse_nlp(ref)]
    # "gonzales" for "Gonzalez", "sad" for "with": one error in the name, none in the org
    hyp = "thanks maria gonzales we're sad acme foods".split()
    result = align(rows, hyp, read_normalizations(norm), search=search)
    assert (result.errors, result.units) == (2, 7)
    pairs = [(s.ref, s.hyp, t) for s, t in step_tags(result, rows)]
    assert pairs == [("thanks", "thanks", ()), ("maria", "maria", ("1",)),
                     ("gonzalez", "gonzales", ("1",)), ("we're", "we're", ("2",)),
                     ("with", "sad", ()), ("acme", "acme", ("3",)), ("foods", "foods", ("3",))]
    classes = per_class(per_tag(result, rows), read_wer_tags(tags))
    assert {k: (v.errors, v.units) for k, v in classes.items()} == {
        "CONTRACTION": (0, 1), "ORG": (0, 2), "PERSON": (1, 2)}
