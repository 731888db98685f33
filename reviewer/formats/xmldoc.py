"""What the PAGE-XML and ALTO extractors produce: a page's lines and its text."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    """One TextLine: its ``@id``/``@ID`` (if any), text, enclosing region and outline."""

    id: str | None
    text: str
    region: str | None = None
    coords: str | None = None


@dataclass(frozen=True)
class Region:
    """A TextRegion (PAGE) or TextBlock (ALTO): its id and its region-level text."""

    id: str | None
    text: str


@dataclass(frozen=True)
class Document:
    """A page: its lines and regions in reading order, its text, the image file it names."""

    lines: list[Line]
    text: str
    image: str | None
    regions: list[Region] = field(default_factory=list)
