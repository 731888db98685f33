"""Writes aligned references and predictions into a QTextDocument (DESIGN §7.7).

Highlights come straight from the spans the core computed; every highlighted range is
recorded as a :class:`Mark` so that the view maps a document position back to its edits
without re-parsing anything.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

import regex
from PySide6.QtGui import (
    QColor,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from reviewer.core.align import Alignment, with_equal
from reviewer.core.categories import Category
from reviewer.core.items import Edit
from reviewer.core.lattice_path import LatticeAlignment, lattice_segments
from reviewer.core.palette import readable_on
from reviewer.gui import lattice_marks
from reviewer.gui.theme import category_colour, swatch_colour, text_colour

Key = tuple[str, int]  # (system, index into that system's edits)
Block = str | None  # a system's block, or None for the reference block

MARKER = "·"  # stands for the empty side of an edit
INLINE_MARKER = "\u200a·\u200a"  # hair spaces make the marker easier to see and to hover
NEWLINE = "↵"  # makes a line break inside an edit visible
GUTTER = ("ref ", "hyp ")
_TOKEN = regex.compile(r"\S+\s*|\s+")
_GRAPHEME = regex.compile(r"\X")
_VISIBLE = str.maketrans({"\n": NEWLINE, "\t": "→", "\r": ""})


@dataclass(frozen=True, slots=True)
class Mark:
    """A highlighted document range ``[start, end)`` and the edits it shows."""

    start: int
    end: int
    block: Block
    keys: tuple[Key, ...]
    categories: tuple[str, ...]
    mono: bool
    gap: bool = False  # a marker or padding, not text from the inputs
    suspect: bool = False  # several systems make this change: the reference may be wrong

    def category_for(self, selected: Key | None) -> str:
        """The category to colour with: the selected edit's if it is drawn here."""
        if selected in self.keys:
            return self.categories[self.keys.index(selected)]
        return self.categories[0]


@dataclass(frozen=True, slots=True)
class SystemDiff:
    """One system's block: its alignment (``None`` if it could not be read) and a note."""

    system: str
    alignment: Alignment | None
    note: str = ""


@dataclass(slots=True)
class Rendering:
    """What one render put where."""

    marks: list[Mark] = field(default_factory=list)
    blocks: dict[Block, tuple[int, int]] = field(default_factory=dict)
    edits: dict[Key, Edit] = field(default_factory=dict)
    order: list[Key] = field(default_factory=list)  # visible edits in display order
    # (start, end, tooltip): entity spans and normalised readings of an NLP call
    notes: list[tuple[int, int, str]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)

    def finish(self) -> None:
        self.marks.sort(key=lambda m: m.start)
        self._starts = [m.start for m in self.marks]

    def mark_at(self, pos: int) -> Mark | None:
        """The mark covering document position ``pos``."""
        k = bisect.bisect_right(self._starts, pos) - 1
        if k >= 0 and pos < self.marks[k].end:
            return self.marks[k]
        return None

    def marks_of(self, key: Key) -> list[Mark]:
        return [m for m in self.marks if key in m.keys]

    def note_at(self, pos: int) -> str:
        """The tooltip of an entity span or a normalised reading at ``pos`` (``""``: none)."""
        return "<br>".join(tip for start, end, tip in self.notes if start <= pos < end)


class Styles:
    """Character and block formats of one render, from the palette table."""

    def __init__(self, categories: tuple[Category, ...], theme: str, font: QFont, mono: QFont,
                 dim: QColor) -> None:
        self._by_id = {c.id: c for c in categories}
        self.theme, self.font, self.mono, self.dim = theme, font, mono, dim
        self._cache: dict[tuple[str, bool, bool, bool, bool], QTextCharFormat] = {}

    def plain(self, mono: bool) -> QTextCharFormat:
        key = ("", False, mono, False, False)
        if key not in self._cache:
            fmt = QTextCharFormat()
            fmt.setFont(self.mono if mono else self.font)
            self._cache[key] = fmt
        return self._cache[key]

    def header(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        font = QFont(self.font)
        font.setBold(True)
        font.setPointSizeF(max(self.font.pointSizeF() - 1, 6.0))
        fmt.setFont(font)
        return fmt

    def gap(self, mono: bool) -> QTextCharFormat:
        key = ("", False, mono, True, False)
        if key not in self._cache:
            fmt = QTextCharFormat(self.plain(mono))
            fmt.setForeground(self.dim)
            self._cache[key] = fmt
        return self._cache[key]

    def mark(self, category: str, selected: bool, mono: bool, gap: bool = False,
             suspect: bool = False) -> QTextCharFormat:
        """An edit's format; a ``suspect`` edit (several systems agree against the reference
        there) takes the "suspect" swatch instead of its category's colour."""
        key = (category, selected, mono, gap, suspect)
        if key not in self._cache:
            fmt = QTextCharFormat(self.plain(mono))
            background = (swatch_colour("suspect", self.theme) if suspect
                          else category_colour(self._by_id[category], self.theme))
            foreground = text_colour(self.theme)
            if selected:
                dark = self.theme == "dark"
                background = background.lighter(160) if dark else background.darker(135)
            if selected or suspect:
                # A changed colour may no longer carry the theme's text colour: take
                # whichever of black and white contrasts more (WCAG luminance).
                foreground = QColor(readable_on(background.name()))
            if selected:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(foreground)
            fmt.setBackground(background)
            fmt.setForeground(foreground)
            if gap or suspect:
                fmt.setFontWeight(QFont.Weight.Bold)
            self._cache[key] = fmt
        return self._cache[key]


class _Writer:
    def __init__(self, doc: QTextDocument, styles: Styles, out: Rendering,
                 suspects: frozenset[Key] = frozenset()) -> None:
        self.cursor = QTextCursor(doc)
        self.styles, self.out, self.suspects = styles, out, suspects
        self._first = True
        self.pieces: list[lattice_marks.Piece] = []  # the current block's text, where drawn

    def block(self, top: float = 0.0, nowrap: bool = False, bottom: float = 0.0) -> None:
        fmt = QTextBlockFormat()
        fmt.setTopMargin(top)
        fmt.setBottomMargin(bottom)
        fmt.setNonBreakableLines(nowrap)
        if self._first:
            self.cursor.setBlockFormat(fmt)
            self._first = False
        else:
            self.cursor.insertBlock(fmt)

    def text(self, text: str, fmt: QTextCharFormat) -> tuple[int, int]:
        start = self.cursor.position()
        if text:
            self.cursor.insertText(text, fmt)
        return start, self.cursor.position()

    def header(self, title: str) -> None:
        # The bottom margin keeps descenders (an underscore in a name) clear of the text.
        self.block(top=0.0 if self._first else 10.0, bottom=2.0)
        self.text(title, self.styles.header())

    def marked(self, text: str, block: Block, keys: tuple[Key, ...], cats: tuple[str, ...],
               mono: bool, selected: Key | None, gap: bool = False) -> None:
        mark_cat = cats[keys.index(selected)] if selected in keys else cats[0]
        suspect = not self.suspects.isdisjoint(keys)
        fmt = self.styles.mark(mark_cat, selected in keys, mono, gap, suspect)
        start, end = self.text(text, fmt)
        self.out.marks.append(Mark(start, end, block, keys, cats, mono, gap, suspect))


def cer_title(diff: SystemDiff, metric: str = "CER") -> str:
    """``"<system> — CER x.xx% (e/u)"`` (the rate is "—" on an empty reference)."""
    a = diff.alignment
    if a is None:
        return f"{diff.system} — {diff.note or 'no alignment'}"
    rate = f"{100 * a.errors / a.ref_units:.2f}%" if a.ref_units else "—"
    note = f" — {diff.note}" if diff.note else ""
    if isinstance(a, LatticeAlignment):
        metric += " as fstalign counts it (normalised spans, synonyms)"
    return f"{diff.system} — {metric} {rate} ({a.errors}/{a.ref_units}){note}"


def _inline_text(text: str) -> str:
    return text.replace("\n", NEWLINE + "\n")


def render(doc: QTextDocument, reference_title: str, reference: str, systems: list[SystemDiff],
           mode: str, columns: int, styles: Styles, hidden: set[str],
           selected: Key | None, suspects: frozenset[Key] = frozenset(),
           metric: str = "CER") -> Rendering:
    """Clear ``doc`` and write the reference and each system's prediction into it.

    Edits in ``suspects`` (several systems agree against the reference there) get a marker.
    """
    doc.clear()
    out = Rendering()
    w = _Writer(doc, styles, out, suspects)
    for diff in systems:
        if diff.alignment is not None:
            for k, e in enumerate(diff.alignment.edits):
                out.edits[(diff.system, k)] = e
                if e.category not in hidden:
                    out.order.append((diff.system, k))
    # One edit block: the layout runs once at the end, not after every insertion.
    w.cursor.beginEditBlock()
    lattices = [d.alignment for d in systems if isinstance(d.alignment, LatticeAlignment)]
    overlays = lattice_marks.reference_overlays(lattices, styles.theme)
    if mode == "inline" or not systems:
        w.header(reference_title)
        _inline_reference(w, reference, systems, hidden, selected,
                          lattice_marks.cuts(overlays))
        out.notes += lattice_marks.apply(doc, w.pieces, overlays, styles.theme)
    for diff in systems:
        w.header(cer_title(diff, metric))
        if diff.alignment is None:
            continue
        if mode == "inline":
            readings = (lattice_marks.prediction_overlays(diff.alignment)
                        if isinstance(diff.alignment, LatticeAlignment) else [])
            _inline_prediction(w, diff.system, diff.alignment, hidden, selected,
                               sorted(lattice_marks.cuts(readings)))
            out.notes += lattice_marks.apply(doc, w.pieces, readings, styles.theme)
        else:
            _stacked(w, diff.system, diff.alignment, columns, hidden, selected)
    w.cursor.endEditBlock()
    out.finish()
    return out


def _inline_reference(w: _Writer, reference: str, systems: list[SystemDiff], hidden: set[str],
                      selected: Key | None, extra_cuts: Collection[int] = ()) -> None:
    covered: dict[int, list[tuple[Key, str]]] = {}  # interval start -> edits covering it
    inserted: dict[int, list[tuple[Key, str]]] = {}  # reference position -> insertions there
    bounds = {0, len(reference), *(c for c in extra_cuts if 0 <= c <= len(reference))}
    visible: list[tuple[Key, Edit]] = []
    for diff in systems:
        for k, e in enumerate(diff.alignment.edits if diff.alignment else ()):
            if e.category not in hidden:
                visible.append(((diff.system, k), e))
                bounds.update(e.ref_span)
    cuts = sorted(bounds)
    for key, e in visible:
        rs, re_ = e.ref_span
        if rs == re_:
            inserted.setdefault(rs, []).append((key, e.category))
            continue
        for j in range(bisect.bisect_left(cuts, rs), bisect.bisect_left(cuts, re_)):
            covered.setdefault(cuts[j], []).append((key, e.category))
    w.block()
    start = w.cursor.position()
    plain = w.styles.plain(False)
    w.pieces = []
    for a, b in zip(cuts, [*cuts[1:], cuts[-1]], strict=True):
        if a in inserted:
            keys, cats = zip(*inserted[a], strict=True)
            w.marked(INLINE_MARKER, None, keys, cats, False, selected, gap=True)
        if a >= b:
            continue
        at = w.cursor.position()
        if a in covered:
            keys, cats = zip(*covered[a], strict=True)
            w.marked(_inline_text(reference[a:b]), None, keys, cats, False, selected)
        else:
            w.text(reference[a:b], plain)
        w.pieces.append(lattice_marks.Piece(a, b, at, w.cursor.position()))
    w.out.blocks[None] = (start, w.cursor.position())


def _inline_prediction(w: _Writer, system: str, a: Alignment, hidden: set[str],
                       selected: Key | None, cuts: list[int] | None = None) -> None:
    w.block()
    start = w.cursor.position()
    plain = w.styles.plain(False)
    w.pieces = []

    def text(x: int, y: int) -> None:  # plain text, cut where an NLP reading starts or ends
        for p, q in lattice_marks.split_at(x, y, cuts or []):
            at = w.cursor.position()
            w.text(a.hyp[p:q], plain)
            w.pieces.append(lattice_marks.Piece(p, q, at, w.cursor.position()))

    pos = 0
    for k, e in enumerate(a.edits):
        if e.category in hidden:
            continue
        hs, he = e.hyp_span
        text(pos, hs)
        at = w.cursor.position()
        marked = _inline_text(a.hyp[hs:he]) if he > hs else INLINE_MARKER
        w.marked(marked, system, ((system, k),), (e.category,), False, selected, gap=he == hs)
        w.pieces.append(lattice_marks.Piece(hs, he, at, w.cursor.position()))
        pos = he
    text(pos, len(a.hyp))
    w.out.blocks[system] = (start, w.cursor.position())


def _stacked(w: _Writer, system: str, a: Alignment, columns: int, hidden: set[str],
             selected: Key | None) -> None:
    rows = wrap(stacked_cells(a, system), columns - len(GUTTER[0]))
    start = None
    for n, row in enumerate(rows):
        for side in (0, 1):
            w.block(top=(6.0 if n else 2.0) if side == 0 else 0.0, nowrap=True)
            if start is None:
                start = w.cursor.position()
            w.text(GUTTER[side], w.styles.gap(True))
            for cell in row:
                text, pad = cell.sides[side]
                if cell.key is None or cell.category in hidden:
                    w.text(text, w.styles.plain(True))
                    w.text(pad, w.styles.gap(True))
                    continue
                keys, cats = (cell.key,), (cell.category,)
                if text:
                    w.marked(text, system, keys, cats, True, selected)
                if pad:
                    w.marked(pad, system, keys, cats, True, selected, gap=True)
    w.out.blocks[system] = (start if start is not None else w.cursor.position(),
                            w.cursor.position())


# -- stacked layout: cells of equal width on the reference and prediction rows ---------------
@dataclass(frozen=True, slots=True)
class Cell:
    """One column run: ``(text, padding)`` on the reference row and on the prediction row."""

    sides: tuple[tuple[str, str], tuple[str, str]]
    width: int
    key: Key | None = None
    category: str = ""


def columns_of(grapheme: str) -> int:
    """Monospace columns a grapheme cluster takes (wide East Asian: 2, marks alone: 0)."""
    if unicodedata.east_asian_width(grapheme[0]) in ("W", "F"):
        return 2
    if all(unicodedata.category(c) in ("Mn", "Me", "Cf") for c in grapheme):
        return 0
    return 1


def width(text: str) -> int:
    """Monospace columns of ``text``."""
    if text.isascii():
        return len(text)
    return sum(columns_of(g) for g in _GRAPHEME.findall(text))


def _padded(ref: str, hyp: str, key: Key | None, category: str) -> Cell:
    ref, hyp = ref.translate(_VISIBLE), hyp.translate(_VISIBLE)
    wr, wh = width(ref), width(hyp)
    cols = max(wr, wh, 1)
    return Cell(((ref, MARKER * (cols - wr)), (hyp, MARKER * (cols - wh))), cols, key, category)


def stacked_cells(a: Alignment, system: str) -> list[Cell]:
    """Cells of ``a``: equal text word by word, each edit padded to a common width."""
    out: list[Cell] = []
    k = 0
    segments = lattice_segments(a) if isinstance(a, LatticeAlignment) else with_equal(a)
    for seg in segments:
        if seg.op != "equal":
            out.append(_padded(seg.ref_text, seg.hyp_text, (system, k), seg.category))
            k += 1
        elif seg.ref_text == seg.hyp_text:
            for token in _TOKEN.findall(seg.ref_text.translate(_VISIBLE)):
                out.append(Cell(((token, ""), (token, "")), width(token)))
        else:
            out.append(_padded(seg.ref_text, seg.hyp_text, None, ""))
    return out


def _chunks(text: str, pad: str, cols: int) -> list[tuple[str, str]]:
    pieces: list[tuple[str, str]] = []
    text_part: list[str] = []
    pad_part: list[str] = []
    used = 0
    graphemes = [(g, False) for g in _GRAPHEME.findall(text)] + [(p, True) for p in pad]
    for g, is_pad in graphemes:
        w = columns_of(g)
        if used + w > cols and (text_part or pad_part):
            pieces.append(("".join(text_part), "".join(pad_part)))
            text_part, pad_part, used = [], [], 0
        (pad_part if is_pad else text_part).append(g)
        used += w
    pieces.append(("".join(text_part), "".join(pad_part)))
    return pieces


def _split(cell: Cell, cols: int) -> Iterator[Cell]:
    if cell.width <= cols:
        yield cell
        return
    ref, hyp = _chunks(*cell.sides[0], cols), _chunks(*cell.sides[1], cols)
    for k in range(max(len(ref), len(hyp))):
        r = ref[k] if k < len(ref) else ("", "")
        h = hyp[k] if k < len(hyp) else ("", "")
        yield Cell((r, h), max(width(r[0] + r[1]), width(h[0] + h[1])), cell.key, cell.category)


def wrap(cells: list[Cell], cols: int) -> list[list[Cell]]:
    """Rows of at most ``cols`` columns; a cell wider than a row is cut at graphemes."""
    cols = max(cols, 8)
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    used = 0
    for cell in cells:
        for piece in _split(cell, cols):
            if used + piece.width > cols and row:
                rows.append(row)
                row, used = [], 0
            row.append(piece)
            used += piece.width
    if row or not rows:
        rows.append(row)
    return rows
