"""What the alignment view adds for an NLP call drawn with fstalign's path.

The reference's entity spans are underlined in their class's colour, and each prediction's
words that read a normalised span are underlined with a dotted line; hovering either says
what it is (``$40 million -> forty million dollars (MONEY)``). The errors themselves are
the path's edits, highlighted by :mod:`reviewer.gui.diff_render` as any edit is.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument

from reviewer.core.lattice_path import LatticeAlignment
from reviewer.gui.rich_text import escape
from reviewer.gui.theme import swatch_colour, text_colour

# Entity classes take these swatches in turn, by their name (the same class, the same colour
# on every item); strong enough as a line under the text in both themes.
ENTITY_SWATCHES = ("light_blue", "olive", "mint", "orange", "pink", "pear", "light_yellow")


def entity_swatch(entity: str) -> str:
    """The swatch an entity class is underlined with."""
    return ENTITY_SWATCHES[sum(map(ord, entity)) % len(ENTITY_SWATCHES)]


def entity_colour(entity: str, theme: str) -> QColor:
    """The underline colour of an entity class: a thin line needs more contrast than a
    background, so the light theme takes the swatch's dark shade and the dark theme its
    light one."""
    return swatch_colour(entity_swatch(entity), "light" if theme == "dark" else "dark")


@dataclass(frozen=True, slots=True)
class Piece:
    """Text ``[a, b)`` of a block's source string, drawn at document ``[start, end)``."""

    a: int
    b: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Overlay:
    """A stretch ``[a, b)`` of a block's source text to underline, and its tooltip."""

    a: int
    b: int
    tip: str
    colour: QColor | None  # None: the text colour, dotted (a reading); else a solid line


def reference_overlays(alignments: Iterable[LatticeAlignment], theme: str) -> list[Overlay]:
    """The entity spans of the reference (the first lattice alignment's: they are the
    reference's, the same for every system)."""
    for a in alignments:
        return [Overlay(e.ref_span[0], e.ref_span[1], f"<b>{escape(e.entity)}</b> entity",
                        entity_colour(e.entity, theme)) for e in a.entities]
    return []


def prediction_overlays(a: LatticeAlignment) -> list[Overlay]:
    """The prediction words each normalised span was read as."""
    return [Overlay(r.hyp_span[0], r.hyp_span[1], escape(r.describe()), None)
            for r in a.readings if r.hyp_span[1] > r.hyp_span[0]]


def cuts(overlays: Iterable[Overlay]) -> set[int]:
    """Where the drawn text must be cut so that each overlay starts and ends on a piece."""
    return {x for o in overlays for x in (o.a, o.b)}


def split_at(a: int, b: int, at: list[int]) -> list[tuple[int, int]]:
    """``[a, b)`` cut at the sorted positions ``at`` that fall inside it."""
    out = []
    k = bisect.bisect_right(at, a)
    while k < len(at) and at[k] < b:
        out.append((a, at[k]))
        a = at[k]
        k += 1
    out.append((a, b))
    return out


def apply(doc: QTextDocument, pieces: list[Piece], overlays: list[Overlay], theme: str
          ) -> list[tuple[int, int, str]]:
    """Underline each overlay's pieces in ``doc``; returns ``(start, end, tooltip)`` in
    document positions."""
    notes = []
    cursor = QTextCursor(doc)
    starts = [p.a for p in pieces]  # the pieces are in text order
    for o in overlays:
        inside = []
        for p in pieces[bisect.bisect_left(starts, o.a):]:
            if p.b > o.b:
                break
            if p.b > p.a:
                inside.append(p)
        if not inside:
            continue
        fmt = QTextCharFormat()
        if o.colour is None:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(text_colour(theme))
        else:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(o.colour)
        for p in inside:
            cursor.setPosition(p.start)
            cursor.setPosition(p.end, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(fmt)
        notes.append((inside[0].start, inside[-1].end, o.tip))
    return notes
