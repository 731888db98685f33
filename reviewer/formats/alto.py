"""ALTO text extraction (any ALTO version): TextLines in document order.

ALTO has no reading order of its own, so document order is the reading order, as
OCR engines write it.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from reviewer.formats.xmldoc import Document, Line, Region
from reviewer.formats.xmlsafe import local


def read_alto(root: Element) -> Document:
    """Lines and page text of the ALTO document ``root``."""
    lines: list[Line] = []
    regions: list[Region] = []
    for block in root.iter():
        if local(block.tag) != "TextBlock":
            continue
        block_lines = [Line(line.get("ID"), line_text(line), block.get("ID"), _box(line))
                       for line in block if local(line.tag) == "TextLine"]
        lines.extend(block_lines)
        regions.append(Region(block.get("ID"), "\n".join(x.text for x in block_lines)))
    return Document(lines, "\n".join(line.text for line in lines), _image(root), regions)


def line_text(line: Element) -> str:
    """A TextLine's text: String contents, one space per run of SP elements between them.

    A HYP element's content (the hyphen) is appended as it is. Where a producer writes no
    SP elements at all, Strings are separated by a space.
    """
    children = [(local(c.tag), c) for c in line]
    spaced = any(tag == "SP" for tag, _ in children)
    parts: list[str] = []
    pending = False
    for tag, child in children:
        if tag == "SP":
            pending = True
        elif tag in ("String", "HYP"):
            if parts and (pending or (tag == "String" and not spaced)):
                parts.append(" ")
            parts.append(child.get("CONTENT", ""))
            pending = False
    return "".join(parts)


def _box(line: Element) -> str | None:
    """The line's box as PAGE-style points, so both formats describe outlines alike."""
    try:
        x, y = float(line.get("HPOS", "")), float(line.get("VPOS", ""))
        w, h = float(line.get("WIDTH", "")), float(line.get("HEIGHT", ""))
    except ValueError:
        return None
    x2, y2 = x + w, y + h
    return " ".join(f"{_num(a)},{_num(b)}" for a, b in ((x, y), (x2, y), (x2, y2), (x, y2)))


def _num(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _image(root: Element) -> str | None:
    for element in root.iter():
        if local(element.tag) == "fileName" and element.text and element.text.strip():
            return element.text.strip()
    return None
