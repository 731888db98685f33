"""A page's text as dinglehopper 0.11 extracts it, for the ``dinglehopper`` preset.

reviewer's own PAGE reader builds a page from its TextLines (see :mod:`.page`);
dinglehopper, by default, from each TextRegion's own TextEquiv. The two differ where a
region's text disagrees with its lines (ground truth whose region text keeps another line
order, say), so the preset reads pages as dinglehopper does:

- PAGE: the TextRegions the ReadingOrder names (ordered groups by ``@index``, children
  without one left out; unordered groups in document order; nested groups recursively;
  references to other region types skipped), or every TextRegion in document order when
  there is no ReadingOrder; each region's own TextEquiv (the lowest numeric ``@index``,
  else the highest ``@conf``, else the first); regions without text left out; joined
  with line feeds.
- ALTO: every TextLine in document order, its String ``@CONTENT`` joined by single
  spaces (SP and HYP elements ignored); lines joined with line feeds.
"""

from __future__ import annotations

import math
from xml.etree.ElementTree import Element

from reviewer.formats.xmldoc import Document, Line
from reviewer.formats.xmlsafe import local, namespace

_GROUPS = ("OrderedGroup", "OrderedGroupIndexed", "UnorderedGroup", "UnorderedGroupIndexed")


def page_document(root: Element, doc: Document) -> Document:
    """``doc`` (read from the PAGE document ``root``) with dinglehopper's page text."""
    ns = namespace(root)
    texts = [_own_text(region, ns) for region in _regions(root, ns)]
    return Document(doc.lines, "\n".join(t for t in texts if t), doc.image, doc.regions)


def alto_document(root: Element, doc: Document) -> Document:
    """``doc`` (read from the ALTO document ``root``) with dinglehopper's lines and text."""
    lines = [Line(line.get("ID"), " ".join(s.get("CONTENT", "") for s in line
                                           if local(s.tag) == "String"))
             for line in root.iter() if local(line.tag) == "TextLine"]
    by_id: dict[str | None, Line] = {x.id: x for x in doc.lines if x.id is not None}
    kept = [Line(x.id, x.text, *_place(by_id.get(x.id))) for x in lines]
    return Document(kept, "\n".join(x.text for x in kept), doc.image, doc.regions)


def _place(line: Line | None) -> tuple[str | None, str | None]:
    return (line.region, line.coords) if line is not None else (None, None)


def _regions(root: Element, ns: str) -> list[Element]:
    order = next((el for el in root.iter(f"{ns}ReadingOrder")), None)
    if order is None:
        return list(root.iter(f"{ns}TextRegion"))
    by_id: dict[str | None, Element] = {}
    for region in root.iter(f"{ns}TextRegion"):
        by_id.setdefault(region.get("id"), region)
    out: list[Element] = []
    for group in order:
        _collect(group, by_id, out)
    return out


def _collect(group: Element, by_id: dict[str | None, Element], out: list[Element]) -> None:
    tag = local(group.tag)
    if tag not in _GROUPS:
        return
    children = list(group)
    if tag.startswith("Ordered"):
        children = sorted((c for c in children if _number(c.get("index")) is not None),
                          key=lambda c: _number(c.get("index")) or 0.0)
    for child in children:
        if local(child.tag) in _GROUPS:
            _collect(child, by_id, out)
        elif (region := by_id.get(child.get("regionRef"))) is not None:
            out.append(region)


def _own_text(element: Element, ns: str) -> str:
    equivs = element.findall(f"{ns}TextEquiv")
    if not equivs:
        return ""
    chosen = equivs[0] if len(equivs) == 1 else equivs[_first(equivs)]
    unicode = chosen.find(f"{ns}Unicode")
    return (unicode.text or "") if unicode is not None else ""


def _first(equivs: list[Element]) -> int:
    """The TextEquiv dinglehopper reads: lowest ``@index``, else highest ``@conf``, else 0."""
    indices = [_number(e.get("index")) for e in equivs]
    known = [(v, k) for k, v in enumerate(indices) if v is not None]
    if known:
        return min(known)[1]
    confs = [_number(e.get("conf")) for e in equivs]
    scored = [(-v, k) for k, v in enumerate(confs) if v is not None]
    return min(scored)[1] if scored else 0


def _number(value: str | None) -> float | None:
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return None if number is None or math.isnan(number) else number
