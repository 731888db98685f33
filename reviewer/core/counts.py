"""What is stored for one scored pair: its counts per level, and how pairs are scored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

from reviewer.core.align import Alignment
from reviewer.core.codec import encode_counts, encode_edits
from reviewer.core.tokenize import CharMode

# Which of a pair's two stored levels: the kind's per-item metric's, or its other one.
LevelRole = Literal["main", "second"]


class PairCounts(NamedTuple):
    """Everything stored for one scored pair (a row of the cached alignments).

    The counts come in two levels named by their role, not by a unit: ``main_*`` is the
    level of the kind's per-item metric (characters for text, words for asr, kern tokens
    for kern, edits for gec, the one answer or label for choice and label) and
    ``second_*`` the kind's other level where it has one (words for text, characters for
    asr, records for kern; zeros elsewhere). :class:`~reviewer.core.kind_spec.KindSpec`
    names what each level holds; :attr:`main`, :attr:`second` and :meth:`level` read one.
    """

    main_errors: int
    main_units: int
    main_hyp_units: int
    main_s: int
    main_d: int
    main_i: int
    second_errors: int
    second_units: int
    second_hyp_units: int
    second_s: int
    second_d: int
    second_i: int
    categories: str  # JSON object: category id -> errors
    main_category: str  # the category with the most errors ('' when there are none)
    edits: str  # codec.encode_edits of the edits shown in the diff view
    extra: str = "{}"  # JSON object: what a task kind keeps beyond these counts

    @property
    def main(self) -> Level:
        """The counts of the level the kind's per-item metric is computed on."""
        return Level(self.main_errors, self.main_units, self.main_hyp_units, self.main_s,
                     self.main_d, self.main_i)

    @property
    def second(self) -> Level:
        """The counts of the kind's other level (all zero where it has none)."""
        return Level(self.second_errors, self.second_units, self.second_hyp_units,
                     self.second_s, self.second_d, self.second_i)

    def level(self, role: LevelRole) -> Level:
        """The counts of the level in ``role``."""
        return self.main if role == "main" else self.second


@dataclass(frozen=True, slots=True)
class ScoreOptions:
    """How pairs of a project are scored (kept in the project's meta table)."""

    char_mode: CharMode = "grapheme"
    normalize: str = "none"  # asr: the normalisation preset applied before alignment
    extract: str = "auto"  # answer: the extraction preset finding the final answer
    matcher: str = ""  # answer: how answers are compared ('': by the gold answers' type)


class Level(NamedTuple):
    """One level's counts of a pair (characters, words, kern tokens, records, ...), in the
    order of its stored columns.

    ``errors`` is S + D + I except where a kind counts errors otherwise (gec: FP + FN).
    """

    errors: int
    units: int
    hyp_units: int
    s: int
    d: int
    i: int

    @classmethod
    def counted(cls, sdi: tuple[int, int, int], units: int, hyp_units: int) -> Level:
        """A level of ``(substitutions, deletions, insertions)`` on ``units`` reference and
        ``hyp_units`` predicted units."""
        s, d, i = sdi
        return cls(s + d + i, units, hyp_units, s, d, i)

    @classmethod
    def of(cls, alignment: Alignment) -> Level:
        """The counts of ``alignment``."""
        return cls.counted((alignment.substitutions, alignment.deletions, alignment.insertions),
                           alignment.ref_units, alignment.hyp_units)

    @classmethod
    def equal(cls, units: int, hyp_units: int | None = None) -> Level:
        """A level with nothing to change (``hyp_units`` defaults to ``units``)."""
        return cls(0, units, units if hyp_units is None else hyp_units, 0, 0, 0)


def pair_counts(main: Level, second: Level, shown: Alignment | None = None,
                extra: str = "{}") -> PairCounts:
    """The stored row of a pair: both levels' counts, and the categories and edits of the
    alignment the diff view shows (none: nothing to show), which is of the ``main`` level."""
    cats = shown.categories() if shown is not None else {}
    return PairCounts(
        *main, *second,
        encode_counts(cats), main_category_of(cats),
        encode_edits(shown.edits) if shown is not None else "[]", extra)


def main_category_of(categories: dict[str, int]) -> str:
    """The category with the most errors (the first of a tie; '' when there are none)."""
    return max(categories, key=categories.__getitem__) if categories else ""


def zero_counts(errors: int = 0, units: int = 0, *, hyp_units: int | None = None,
                categories: str = "{}", main_category: str = "", edits: str = "[]",
                extra: str = "{}") -> PairCounts:
    """Counts of a kind whose main level holds only an error total (choice and label: one
    answer per item; gec: FP + FN on the gold edits), and which has no second level.
    ``hyp_units`` defaults to ``units``."""
    return PairCounts(errors, units, units if hyp_units is None else hyp_units, 0, 0, 0,
                      0, 0, 0, 0, 0, 0, categories, main_category, edits, extra)
