"""A gec reference edited as sentences and stored back as M2 (issue 16, finding 10)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.core.gec import M2Edit, block_text, parse_block
from reviewer.core.gec_sentences import block_from_sentences, corrected_sentences

BLOCK = """S This are a great sentences .
A 1 2|||R:VERB:SVA|||is|||REQUIRED|||-NONE-|||0
A 4 5|||R:NOUN:NUM|||sentence|||REQUIRED|||-NONE-|||0
A 0 1|||R:DET|||These|||REQUIRED|||-NONE-|||1
A 2 3|||U:DET||||||REQUIRED|||-NONE-|||1"""
SENTENCES = "This is a great sentence .\nThese are great sentences ."


def edits_of(block: str, annotator: int) -> list[tuple[int, int, str, str]]:
    return [(e.start, e.end, e.type, e.correction) for e in parse_block(block)[1]
            if e.annotator == annotator]


def test_each_annotator_reads_as_a_corrected_sentence() -> None:
    assert corrected_sentences(BLOCK) == SENTENCES


def test_unchanged_sentences_give_the_block_back_line_for_line() -> None:
    assert block_from_sentences(BLOCK, SENTENCES) == BLOCK
    assert block_from_sentences(BLOCK, SENTENCES + "\n\n") == BLOCK  # trailing blank lines


def test_a_changed_stretch_becomes_one_edit_and_the_others_are_kept() -> None:
    block = block_from_sentences(BLOCK, "This is really a great sentence !\n"
                                        "These are great sentences .")
    assert edits_of(block, 0) == [(1, 2, "R:VERB:SVA", "is"), (2, 2, "M:OTHER", "really"),
                                  (4, 5, "R:NOUN:NUM", "sentence"), (5, 6, "R:OTHER", "!")]
    assert edits_of(block, 1) == edits_of(BLOCK, 1)
    assert corrected_sentences(block).split("\n")[0] == "This is really a great sentence !"


def test_reworking_one_edit_keeps_its_error_type() -> None:
    block = block_from_sentences(BLOCK, "This was a great sentence .\n"
                                        "These are the great sentences .")
    assert edits_of(block, 0)[0] == (1, 2, "R:VERB:SVA", "was")
    # "a" deleted (U:DET) becomes "a" replaced by "the": the same kind of error, replaced.
    assert (2, 3, "R:DET", "the") in edits_of(block, 1)


def test_a_sentence_back_to_the_source_leaves_a_noop() -> None:
    block = block_from_sentences(BLOCK, "This is a great sentence .\n"
                                        "This are a great sentences .")
    assert edits_of(block, 1) == [(-1, -1, "noop", "-NONE-")]


def test_the_wrong_number_of_lines_is_refused_naming_both() -> None:
    with pytest.raises(ValueError, match=r"2 gold annotator.*not 1"):
        block_from_sentences(BLOCK, "This is a great sentence .")


def test_overlapping_edits_of_a_changed_sentence_are_refused() -> None:
    block = "S a b c\nA 0 2|||R:OTHER|||x|||REQUIRED|||-NONE-|||0\n" \
            "A 1 3|||R:OTHER|||y|||REQUIRED|||-NONE-|||0"
    assert block_from_sentences(block, corrected_sentences(block)) == block
    with pytest.raises(ValueError, match="overlap"):
        block_from_sentences(block, "z")


WORDS = st.sampled_from(["a", "b", "the", "cat", "sat", ".", "x"])


@st.composite
def blocks(draw: st.DrawFn) -> str:
    """An M2 block of 1–2 annotators with non-overlapping edits over a short sentence."""
    tokens = draw(st.lists(WORDS, min_size=1, max_size=8))
    edits: list[M2Edit] = []
    for annotator in range(draw(st.integers(1, 2))):
        pos = 0
        while pos <= len(tokens) and draw(st.booleans()):
            start = draw(st.integers(pos, len(tokens)))
            end = draw(st.integers(start, min(start + 2, len(tokens))))
            correction = " ".join(draw(st.lists(WORDS, max_size=2)))
            if start == end and not correction:
                correction = "x"
            edits.append(M2Edit(start, end, "R:OTHER", correction, annotator))
            pos = end + 1
        if not any(e.annotator == annotator for e in edits):
            edits.append(M2Edit(-1, -1, "noop", "-NONE-", annotator))
    return block_text(" ".join(tokens), edits)


@settings(max_examples=300, deadline=None)
@given(blocks(), st.data())
def test_whatever_is_typed_reads_back_as_typed(block: str, data: st.DataObject) -> None:
    annotators = len(corrected_sentences(block).split("\n"))
    lines = [" ".join(data.draw(st.lists(WORDS, max_size=9))) for _ in range(annotators)]
    stored = block_from_sentences(block, "\n".join(lines))
    assert corrected_sentences(stored) == "\n".join(lines)
    source, edits = parse_block(stored)  # valid M2 over the same source
    assert source == parse_block(block)[0]
    for annotator in range(annotators):
        mine = sorted((e.start, e.end) for e in edits if e.annotator == annotator
                      and not e.is_noop)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(mine))
