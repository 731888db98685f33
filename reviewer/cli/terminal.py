"""Terminal output: colours from the palette, a progress bar, aligned diffs, and safety.

Text from a benchmark or a project (ids, references, predictions, notes, names, paths) is
printed through :func:`safe`, so that escape sequences in it (window titles, the clipboard,
screen clearing), carriage returns and bidirectional overrides are shown, never obeyed;
:func:`json_text` does the same for JSON, and :func:`guarded_output` escapes whatever a
command writes that is not reviewer's own colour or progress output.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any, TextIO, cast

from reviewer.core.categories import catalogue
from reviewer.core.item_facts.common import percent
from reviewer.core.items import Edit, Kind
from reviewer.core.palette import PALETTE

RESET = "\x1b[0m"

# What a terminal acts on instead of showing: C0 controls (tab and newline are dealt with
# apart), DEL, C1 controls (\x9b starts a sequence like ESC [), the bidirectional marks,
# embeddings, overrides and isolates that reorder a line, and the line/paragraph separators.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\n{_CONTROLS}]")
_UNSAFE_BUT_NEWLINE = re.compile(f"[{_CONTROLS}]")
# JSON escapes C0 itself; these it would leave raw with ensure_ascii=False.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
# The output guard lets through only reviewer's own sequences: paint()'s colours, Bar's \r.
_OWN_OR_UNSAFE = re.compile(
    "(\x1b\\[(?:48;2;\\d{1,3};\\d{1,3};\\d{1,3}|38;2;0;0;0|0)m|\r)"
    f"|[{_CONTROLS}]")
_SHORT = {"\n": "\\n", "\r": "\\r"}


def _escaped(char: str) -> str:
    code = ord(char)
    return _SHORT.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def safe(text: object, multiline: bool = False) -> str:
    """``text`` made safe to print: control characters shown as escapes (``\\x1b``, ``\\r``).

    Tabs are kept; newlines too where ``multiline`` (output that is several lines by
    design), else shown as ``\\n``. Text without control characters comes back unchanged.
    """
    text = str(text)
    pattern = _UNSAFE_BUT_NEWLINE if multiline else _UNSAFE
    if pattern.search(text) is None:
        return text
    return pattern.sub(lambda m: _escaped(m.group()), text)


def safe_data(value: Any) -> Any:
    """``value`` (JSON-like: dicts, lists, strings) with every string, keys too, :func:`safe`."""
    if isinstance(value, str):
        return safe(value)
    if isinstance(value, dict):
        return {safe_data(k): safe_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [safe_data(v) for v in value]
    return value


def json_text(value: Any, **options: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, ...)`` with C1 controls and bidirectional
    overrides written as ``\\u`` escapes: the same JSON value, nothing a terminal obeys."""
    text = json.dumps(value, ensure_ascii=False, **options)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def guard(text: str) -> str:
    """``text`` with every control character escaped but newlines, tabs and reviewer's own
    sequences (the colours of :func:`paint`, the carriage return of :class:`Bar`)."""
    if _UNSAFE_BUT_NEWLINE.search(text) is None:
        return text
    return _OWN_OR_UNSAFE.sub(lambda m: m.group(1) or _escaped(m.group()), text)


class GuardedStream:
    """A text stream that passes what is written through :func:`guard`."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(guard(text))
        return len(text)

    def writelines(self, lines: Iterator[str] | list[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextlib.contextmanager
def guarded_output() -> Iterator[None]:
    """Within the block, ``sys.stdout`` and ``sys.stderr`` escape what reviewer did not make.

    A safety net behind the escaping at each place that prints project text.
    """
    saved = sys.stdout, sys.stderr
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, GuardedStream):
            setattr(sys, name, cast(TextIO, GuardedStream(stream)))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


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
    return percent(value)


def aligned_rows(segments: Iterable[Edit], kind: Kind, colour: bool,
                 width: int | None = None) -> list[str]:
    """The reference above the prediction, edits padded to line up and coloured.

    ``segments``: an alignment's edits with the equal stretches between them
    (:func:`reviewer.core.align.with_equal`).

    Gaps (a deletion's missing prediction side, an insertion's missing reference side)
    are drawn as ``·``; rows wrap at ``width`` columns.
    """
    width = width or max(40, shutil.get_terminal_size((100, 24)).columns - 6)
    swatches = {c.id: c.swatch for c in catalogue(kind)}
    ref_line: list[tuple[str, str | None]] = []
    hyp_line: list[tuple[str, str | None]] = []
    for seg in segments:
        if seg.op == "equal":
            ref_line.append((safe(seg.ref_text, multiline=True), None))
            hyp_line.append((safe(seg.hyp_text, multiline=True), None))
            continue
        # Padded after escaping: an escape is wider than the character it stands for.
        ref_text, hyp_text = safe(_visible(seg.ref_text)), safe(_visible(seg.hyp_text))
        n = max(len(ref_text), len(hyp_text), 1)
        swatch = swatches.get(seg.category, "orange")
        ref_line.append((ref_text.ljust(n, "·"), swatch))
        hyp_line.append((hyp_text.ljust(n, "·"), swatch))
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
        self.text = safe(text)  # statuses name files and items

    def cancelled(self) -> bool:
        return False
