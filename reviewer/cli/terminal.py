"""Terminal output: colours from the palette, a progress bar, aligned diffs."""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Iterator
from typing import TextIO

from reviewer.core.align import Alignment, with_equal
from reviewer.core.categories import catalogue
from reviewer.core.palette import PALETTE

RESET = "\x1b[0m"


def use_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    return stream.isatty() and "NO_COLOR" not in os.environ


def paint(text: str, swatch: str, enabled: bool) -> str:
    """``text`` on the swatch's light-theme background, black foreground."""
    if not enabled or not text:
        return text
    hexcode = PALETTE[swatch].light.lstrip("#")
    r, g, b = (int(hexcode[k:k + 2], 16) for k in (0, 2, 4))
    return f"\x1b[48;2;{r};{g};{b}m\x1b[38;2;0;0;0m{text}{RESET}"


def fmt_rate(value: float | None) -> str:
    """A rate as a percentage; undefined rates as an em dash."""
    return "—" if value is None else f"{100 * value:.2f}%"


def aligned_rows(alignment: Alignment, kind: str, colour: bool,
                 width: int | None = None) -> list[str]:
    """The reference above the prediction, edits padded to line up and coloured.

    Gaps (a deletion's missing prediction side, an insertion's missing reference side)
    are drawn as ``·``; rows wrap at ``width`` columns.
    """
    width = width or max(40, shutil.get_terminal_size((100, 24)).columns - 6)
    swatches = {c.id: c.swatch for c in catalogue(kind)}
    ref_line: list[tuple[str, str | None]] = []
    hyp_line: list[tuple[str, str | None]] = []
    for seg in with_equal(alignment):
        if seg.op == "equal":
            ref_line.append((seg.ref_text, None))
            hyp_line.append((seg.hyp_text, None))
            continue
        n = max(len(seg.ref_text), len(seg.hyp_text), 1)
        swatch = swatches.get(seg.category, "orange")
        ref_line.append((_visible(seg.ref_text).ljust(n, "·"), swatch))
        hyp_line.append((_visible(seg.hyp_text).ljust(n, "·"), swatch))
    rows: list[str] = []
    for ref_chunk, hyp_chunk in _wrap(ref_line, hyp_line, width):
        rows.append("  REF  " + "".join(paint(t, s, colour) if s else t for t, s in ref_chunk))
        rows.append("  HYP  " + "".join(paint(t, s, colour) if s else t for t, s in hyp_chunk))
    return rows


def _visible(text: str) -> str:
    # A whitespace-only edit would be invisible: show its spaces and newlines as marks.
    if text and text.isspace():
        return text.replace(" ", "␣").replace("\n", "⏎")
    return text.replace("\n", "⏎")


Row = list[tuple[str, str | None]]


def _wrap(ref: Row, hyp: Row, width: int) -> Iterator[tuple[Row, Row]]:
    ref_row: list[tuple[str, str | None]] = []
    hyp_row: list[tuple[str, str | None]] = []
    used = 0
    for (rt, rs), (ht, hs) in zip(ref, hyp, strict=True):
        # Edits were padded to equal length and are never split; other segments wrap anywhere
        # (their two sides usually have equal text, but a kind may store them unequal).
        pos, length = 0, max(len(rt), len(ht))
        while pos < length:
            room = width - used
            take = length - pos if rs else min(room, length - pos)
            if rs and take > room and used:
                yield ref_row, hyp_row
                ref_row, hyp_row, used = [], [], 0
                continue
            ref_row.append((rt[pos:pos + take], rs))
            hyp_row.append((ht[pos:pos + take], hs))
            used += take
            pos += take
            if used >= width:
                yield ref_row, hyp_row
                ref_row, hyp_row, used = [], [], 0
    if ref_row:
        yield ref_row, hyp_row


class Bar:
    """A progress bar on stderr (only on a terminal); also a :class:`Progress`."""

    def __init__(self, stream: TextIO | None = None) -> None:
        # Looked up now, not at import: stderr may have been replaced since.
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.text = ""
        self.last = 0.0

    def set(self, value: float) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.1 and value < 1):
            return
        self.last = now
        filled = int(30 * value)
        self.stream.write(f"\r{self.text[:40]:40} [{'#' * filled}{'.' * (30 - filled)}] "
                          f"{100 * value:5.1f}%")
        if value >= 1:
            self.stream.write("\n")
        self.stream.flush()

    def status(self, text: str) -> None:
        self.text = text

    def cancelled(self) -> bool:
        return False
