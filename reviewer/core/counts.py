"""What is stored for one scored pair: its counts per level, and how pairs are scored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from reviewer.core.align import Alignment
from reviewer.core.codec import encode_counts, encode_edits
from reviewer.core.tokenize import CharMode


class PairCounts(NamedTuple):
    """Everything stored for one scored pair (a row of the cached alignments)."""

    char_errors: int
    char_units: int
    char_hyp_units: int
    char_s: int
    char_d: int
    char_i: int
    word_errors: int
    word_units: int
    word_hyp_units: int
    word_s: int
    word_d: int
    word_i: int
    categories: str  # JSON object: category id -> errors
    main_category: str  # the category with the most errors ('' when there are none)
    edits: str  # codec.encode_edits of the edits shown in the diff view
    extra: str = "{}"  # JSON object: what a task kind keeps beyond these counts


@dataclass(frozen=True, slots=True)
class ScoreOptions:
    """How pairs of a project are scored (kept in the project's meta table)."""

    char_mode: CharMode = "grapheme"
    normalize: str = "none"  # asr: the normalisation preset applied before alignment


class Level(NamedTuple):
    """One level's counts of a pair (characters, words, kern tokens, records, ...)."""

    s: int
    d: int
    i: int
    units: int
    hyp_units: int

    @classmethod
    def of(cls, alignment: Alignment) -> Level:
        """The counts of ``alignment``."""
        return cls(alignment.substitutions, alignment.deletions, alignment.insertions,
                   alignment.ref_units, alignment.hyp_units)

    @classmethod
    def equal(cls, units: int, hyp_units: int | None = None) -> Level:
        """A level with nothing to change (``hyp_units`` defaults to ``units``)."""
        return cls(0, 0, 0, units, units if hyp_units is None else hyp_units)


def pair_counts(char: Level, word: Level, shown: Alignment | None = None,
                extra: str = "{}") -> PairCounts:
    """The stored row of a pair: both levels' counts, and the categories and edits of the
    alignment the diff view shows (none: nothing to show)."""
    cats = shown.categories() if shown is not None else {}
    main = max(cats, key=cats.__getitem__) if cats else ""
    return PairCounts(
        char.s + char.d + char.i, char.units, char.hyp_units, char.s, char.d, char.i,
        word.s + word.d + word.i, word.units, word.hyp_units, word.s, word.d, word.i,
        encode_counts(cats), main, encode_edits(shown.edits) if shown is not None else "[]",
        extra)


def zero_counts(errors: int = 0, units: int = 0, *, categories: str = "{}",
                main_category: str = "", edits: str = "[]", extra: str = "{}") -> PairCounts:
    """Counts of a kind with no character or word levels (one decision per item)."""
    return PairCounts(errors, units, units, 0, 0, 0, 0, 0, 0, 0, 0, 0, categories,
                      main_category, edits, extra)
