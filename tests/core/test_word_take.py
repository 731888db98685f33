"""R takes the system's whole word around an edit (issue 16, finding 10)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.core.decisions import corrected_from_edits
from reviewer.core.pair_text import align_text
from reviewer.core.word_take import word_spans


def taken(ref: str, hyp: str, index: int) -> str:
    a = align_text(ref, hyp)
    return corrected_from_edits(a.ref, a.hyp, [word_spans(a, a.edits[index])])


@pytest.mark.parametrize(("ref", "hyp", "expected"), [
    ("The light tunred red", "The light turned red", "The light turned red"),  # two edits
    ("Hello wrold", "Hello world", "Hello world"),
    ("the cat sat", "thecat sat", "thecat sat"),  # a word merge takes both words
    ("tunred red", "turned rad", "turned red"),  # only the selected edit's word
    ("abc def", "abc", "abc"),
    ("", "new words", "new words"),
])
def test_the_first_edit_takes_its_whole_word(ref: str, hyp: str, expected: str) -> None:
    assert taken(ref, hyp, 0) == expected


def test_each_edit_of_a_word_takes_the_same_word() -> None:
    ref, hyp = "The light tunred red", "The light turned red"
    assert len(align_text(ref, hyp).edits) == 2
    assert taken(ref, hyp, 0) == taken(ref, hyp, 1) == hyp


TEXT = st.lists(st.sampled_from([*"abrn", " ", "  "]), max_size=16).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT, st.integers(0, 40))
def test_taking_a_word_keeps_the_rest_and_removes_its_errors(ref: str, hyp: str,
                                                              pick: int) -> None:
    a = align_text(ref, hyp)
    if not a.edits:
        return
    edit = a.edits[pick % len(a.edits)]
    (rs, re_), (hs, he) = word_spans(a, edit)
    # The spans hold the edit and end at word boundaries (or the text's ends).
    assert rs <= edit.ref_span[0] <= edit.ref_span[1] <= re_
    assert hs <= edit.hyp_span[0] <= edit.hyp_span[1] <= he
    for text, start, end in ((a.ref, rs, re_), (a.hyp, hs, he)):
        assert start == 0 or text[start - 1].isspace() or text[start].isspace()
        assert end == len(text) or text[end].isspace() or text[end - 1].isspace()
    corrected = corrected_from_edits(a.ref, a.hyp, [((rs, re_), (hs, he))])
    assert corrected == a.ref[:rs] + a.hyp[hs:he] + a.ref[re_:]
    # The spans are aligned counterparts: what was taken costs nothing any more.
    inside = sum(e.cost for e in a.edits
                 if rs <= e.ref_span[0] and e.ref_span[1] <= re_
                 and hs <= e.hyp_span[0] and e.hyp_span[1] <= he)
    assert inside >= edit.cost
    assert align_text(corrected, a.hyp).errors <= a.errors - inside
