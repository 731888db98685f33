"""The text categories of DESIGN §4.1 on hand-picked edits."""

from __future__ import annotations

import pytest

from reviewer.core.categories import catalogue, category
from reviewer.core.categories.text import categorise
from reviewer.core.pair_text import align_text
from reviewer.core.palette import PALETTE


@pytest.mark.parametrize(
    ("ref", "hyp", "expected"),
    [
        ("a", "A", "case"),
        ("ü", "u", "diacritic"),
        ("É", "e", "diacritic"),
        (" ", "", "whitespace"),
        ("", " ", "whitespace"),
        (",", ".", "punctuation"),
        ("", "!", "punctuation"),
        ("1", "7", "digit"),
        ("m", "rn", "confusable"),
        ("cl", "d", "confusable"),
        ("0", "O", "confusable"),
        ("l", "1", "confusable"),
        ("x", "k", "substitution"),
        ("", "xy", "insertion"),
        ("xy", "", "deletion"),
    ],
)
def test_categorise(ref: str, hyp: str, expected: str) -> None:
    assert categorise(ref, hyp) == expected


def test_word_merge_is_a_whitespace_edit() -> None:
    a = align_text("in the house", "in thehouse")
    assert [(e.op, e.ref_text, e.category) for e in a.edits] == [("delete", " ", "whitespace")]


def test_confusable_is_seen_whole_across_merged_opcodes() -> None:
    a = align_text("modern", "rnodern")
    assert len(a.edits) == 1
    edit = a.edits[0]
    assert (edit.ref_text, edit.hyp_text, edit.category, edit.cost) == ("m", "rn", "confusable", 2)


def test_catalogue_ids_are_unique_and_colours_come_from_the_palette() -> None:
    cats = catalogue("text")
    assert len({c.id for c in cats}) == len(cats) == 9
    assert all(c.swatch in PALETTE for c in cats)
    assert len({c.swatch for c in cats}) == len(cats)
    assert category("text", "case").name == "Case"
