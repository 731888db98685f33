"""PAGE-XML text extraction: TextLines and TextRegions in reading order, and the page's text.

Line and page texts come from the TextLines (a region's own text stands in only where its
lines have none); region texts come from each TextRegion's own TextEquiv, as
dinglehopper's default region level reads them.

Any PAGE namespace version works: elements are matched by local name under the root's
namespace. Regions follow the ReadingOrder (ordered groups by ``@index``, unordered groups
in document order, nested groups recursively); regions the reading order leaves out come
after it in document order. TextRegions nested in TableRegions (or other regions) count.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from reviewer.formats.xmldoc import Document, Line, Region
from reviewer.formats.xmlsafe import local, namespace


def read_page(root: Element) -> Document:
    """Lines and page text of the PAGE document ``root``."""
    ns = namespace(root)
    page = root.find(f"{ns}Page")
    if page is None:
        return Document([], "", None)
    lines: list[Line] = []
    region_texts: list[str] = []
    regions: list[Region] = []
    for region in _regions_in_order(page, ns):
        region_lines = [
            Line(line.get("id"), text_equiv(line, ns), region.get("id"), _coords(line, ns))
            for line in region.findall(f"{ns}TextLine")
        ]
        lines.extend(region_lines)
        region_texts.append(_region_text(region, region_lines, ns))
        if region.find(f"{ns}TextEquiv") is not None:
            regions.append(Region(region.get("id"), text_equiv(region, ns)))
        elif region_lines:
            regions.append(Region(region.get("id"), "\n".join(x.text for x in region_lines)))
    text = "\n".join(t for t in region_texts if t)
    return Document(lines, text, page.get("imageFilename"), regions)


def text_equiv(element: Element, ns: str) -> str:
    """The text of ``element``'s own TextEquiv: the lowest ``@index`` one, else the first."""
    equivs = element.findall(f"{ns}TextEquiv")
    if not equivs:
        return ""
    indexed = [(int(i), e) for e in equivs if (i := _int(e.get("index"))) is not None]
    chosen = min(indexed, key=lambda pair: pair[0])[1] if indexed else equivs[0]
    unicode = chosen.find(f"{ns}Unicode")
    return (unicode.text or "") if unicode is not None else ""


def _region_text(region: Element, lines: list[Line], ns: str) -> str:
    """The region's lines joined; the region's own text where its lines have none."""
    if any(line.text for line in lines):
        return "\n".join(line.text for line in lines)
    return text_equiv(region, ns)


def _regions_in_order(page: Element, ns: str) -> list[Element]:
    """Every TextRegion below ``page``, in reading order."""
    regions = {el.get("id"): el for el in page.iter() if local(el.tag).endswith("Region")}
    regions.pop(None, None)
    order = page.find(f"{ns}ReadingOrder")
    referenced: list[str] = []
    if order is not None:
        for group in order:
            _collect(group, referenced)
    in_order = set(referenced)
    out: list[Element] = []
    done: set[int] = set()

    def emit(region: Element) -> None:
        if id(region) in done:
            return
        done.add(id(region))
        if local(region.tag) == "TextRegion":
            out.append(region)
        for child in region:
            if local(child.tag).endswith("Region") and child.get("id") not in in_order:
                emit(child)

    for ref in referenced:
        if (region := regions.get(ref)) is not None:
            emit(region)
    for element in page.iter(f"{ns}TextRegion"):
        emit(element)
    return out


def _collect(group: Element, out: list[str]) -> None:
    """Region ids of a reading-order group, recursively, in reading order."""
    tag = local(group.tag)
    if ref := group.get("regionRef"):
        out.append(ref)  # a group's own region (a table, say) comes before its members
    if tag.startswith("RegionRef"):
        return
    children = [c for c in group if local(c.tag) not in ("Labels", "UserDefined")]
    if tag.startswith("OrderedGroup"):
        children.sort(key=lambda c: _int(c.get("index")) or 0)
    for child in children:
        _collect(child, out)


def _coords(element: Element, ns: str) -> str | None:
    coords = element.find(f"{ns}Coords")
    return coords.get("points") if coords is not None else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
