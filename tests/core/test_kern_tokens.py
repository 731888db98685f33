"""Kern records and tokens, the structural check, and token-level categories."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.core.categories import catalogue
from reviewer.core.categories.kern import categorise
from reviewer.core.kern.grammar import parse_data
from reviewer.core.kern.syntax import check, errors, spine_types
from reviewer.core.kern.tokens import counted_tokens, token_at, tokens

PIANO = ("!!!COM: Test\n**kern\t**kern\n*clefF4\t*clefG2\n=1\t=1\n4C\t8cL\n.\t8dJ\n"
         "4E 4G\t4e;\n*\t*^\n2.c\t4a\t2cc\n*\t*v\t*v\n==\t==\n*-\t*-")


def test_tokens_keep_kinds_lines_fields_and_offsets() -> None:
    found = tokens(PIANO)
    assert found[0].kind == "comment" and found[0].field == 0 and found[0].line == 1
    kinds = {t.text: t.kind for t in found}
    assert kinds["**kern"] == "exclusive" and kinds["*clefF4"] == "interpretation"
    assert kinds["*^"] == "spine" and kinds["=1"] == "barline" and kinds["4E 4G"] == "data"
    assert kinds["."] == "null" and kinds["*"] == "null"
    for t in found:
        assert PIANO[t.start:t.end] == t.text
    chord = token_at(PIANO, 7, 1)
    assert chord is not None and chord.text == "4E 4G"
    assert token_at(PIANO, 7, 3) is None


def test_counted_tokens_leave_out_nulls_and_comments() -> None:
    texts = [t.text for t in counted_tokens(PIANO)]
    assert "." not in texts and "*" not in texts and "!!!COM: Test" not in texts
    assert texts.count("**kern") == 2 and "*v" in texts
    with_comments = PIANO.replace("=1\t=1\n", "=1\t=1\n!! a comment\n!\t!local\n")
    assert [t.text for t in counted_tokens(with_comments)] == texts


def test_check_accepts_well_formed_kern_with_spine_splits() -> None:
    assert check(PIANO) == []
    types = spine_types(PIANO)
    assert types[(9, 3)] == "**kern" and len([k for k in types if k[0] == 9]) == 3


@pytest.mark.parametrize(("text", "line", "severity", "words"), [
    ("**kern\t**kern\n4c\t4d\n4e\n*-\t*-", 3, "error", "1 field where 2 spines are open"),
    ("4c\n*-", 1, "error", "before the exclusive interpretation"),
    ("**kern\n4c\n*-\n4d", 4, "error", "after every spine was terminated"),
    ("**kern\t**kern\n4c\t=1\n*-\t*-", 2, "error", "in a record of data tokens"),
    ("**kern\t**kern\n4c\t\n*-\t*-", 2, "error", "empty field"),
    ("**kern\t**kern\n*v\t*\n*-\t*-", 2, "error", "*v join needs"),
    ("**kern\n4x\n*-", 2, "warning", "not a kern note"),
    ("**kern\n4c\n==", 3, "warning", "does not end with *-"),
])
def test_check_names_the_line(text: str, line: int, severity: str, words: str) -> None:
    problems = check(text)
    assert problems, text
    assert (problems[0].line, problems[0].severity) == (line, severity)
    assert words in problems[0].message
    assert bool(errors(text)) == (severity == "error")


def test_fixture_references_pass_and_the_broken_prediction_fails(peer_fixtures: Path) -> None:
    root = peer_fixtures / "omr-musicdiff"
    for path in sorted(root.rglob("*.krn")):
        text = path.read_text(encoding="latin-1")
        if path.name == "pred_syntax_errors.krn":
            assert [(p.line, p.severity) for p in check(text)] == [
                (10, "warning"), (13, "error"), (15, "warning")]
        else:
            assert check(text) == [], path


def test_parse_data_splits_a_token() -> None:
    token = parse_data("(8.cc#L")
    assert token.pitches == ("cc",) and token.accidentals == ("#",)
    assert token.durations == ("8.",) and token.beams == "L" and token.slurs == "("
    chord = parse_data("4E 4G-")
    assert chord.notes == 2 and chord.pitches == ("E", "G") and chord.accidentals == ("", "-")
    assert parse_data("4r").rest and not parse_data("4c").rest


@pytest.mark.parametrize(("ref", "hyp", "category"), [
    ("4c", "4d", "pitch"), ("4c", "4cc", "pitch"), ("4f#", "4f", "accidental"),
    ("4f#", "4f-", "accidental"), ("4c", "2c", "duration"), ("4.ff", "4ff", "duration"),
    ("8dL", "8d", "beam"), ("[4b-", "4b-", "tie"), ("(4g", "4g", "slur"),
    ("8gg'", "8gg", "articulation"), ("4.ff;", "4.ff", "articulation"),
    ("4r", "4cc", "note_rest"), ("4E 4G", "4E", "note_rest"), ("4c", "", "note_rest"),
    ("", "4c", "note_rest"), ("*clefG2", "*clefF4", "clef"), ("*k[b-]", "*k[]", "signature"),
    ("*M4/4", "*M3/4", "signature"), ("==", "=", "barline"), ("=1", "=5", "barline"),
    ("*^", "*", "spine"), ("*MM120", "*MM90", "other"),
    ("4c\t4d\n8e\t8f", "4d\t4e\n8e\t8f", "pitch"),  # several tokens: the most frequent
    ("4c\n.\n!! comment\n4d", "4c\n4e", "pitch"),  # nulls and comments do not count
])
def test_token_categories(ref: str, hyp: str, category: str) -> None:
    assert categorise(ref, hyp) == category


def test_catalogue_has_every_category_the_categoriser_names() -> None:
    ids = {c.id for c in catalogue("kern")}
    assert {"note_rest", "pitch", "accidental", "duration", "beam", "tie", "slur",
            "articulation", "barline", "clef", "signature", "spine", "other"} == ids
