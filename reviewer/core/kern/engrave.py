"""Engrave kern with verovio in a child process, and colour the elements of edits.

verovio aborts the whole process on some malformed kern (a record with the wrong number
of fields), so it only ever runs in a worker process: a crash there becomes a message.
Its Humdrum import names elements after their kern position (``note-L12F2``: line 12,
field 2; ``S3`` for a chord's third note), which is how edits find their notes. QtSvg
renders SVG Tiny, so :func:`for_qt` flattens verovio's nested ``<svg>`` into a group.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reviewer.core.kern.workers import Failure, WorkerPool

Location = tuple[int, int]
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# verovio element ids carrying a kern position; the position is where the element begins.
_POSITION_ID = re.compile(
    r"^(?P<type>[A-Za-z]+)-L(?P<line>\d+)(?:F(?P<field>\d+))?(?:S\d+)?(?:N\d+)?$")
# Element types drawn for a data token (beams, slurs and ties are drawn with their notes).
_TOKEN_TYPES = frozenset({"note", "chord", "rest", "mRest", "mrest", "space", "accid", "artic",
                          "fermata", "dot", "dots", "trill", "mordent", "turn", "tuplet"})
_INTERPRETATION_CLASS = (("*clef", "clef"), ("*k[", "keySig"), ("*M", "meterSig"),
                         ("*met", "meterSig"))
MAX_WIDTH = 4000  # pixels: verovio's page width limit keeps huge scores responsive


class EngraveError(Exception):
    """verovio could not read or render the kern."""


@dataclass(frozen=True, slots=True)
class Engraving:
    """SVG of a score for QtSvg, or why there is none."""

    svg: str | None
    error: str = ""


def render(request: dict[str, Any]) -> str:
    """verovio's SVG of ``request["kern"]`` (the worker-process entry point)."""
    import verovio

    verovio.enableLog(verovio.LOG_OFF)
    toolkit = verovio.toolkit()
    width = min(int(request.get("width", 1400)), MAX_WIDTH)
    scale = int(request.get("scale", 40))
    toolkit.setOptions({
        "inputFrom": "humdrum", "scale": scale, "pageWidth": width * 100 // scale,
        "pageHeight": 60000, "adjustPageHeight": True, "breaks": "auto",
        "header": "none", "footer": "none", "pageMarginTop": 40, "pageMarginBottom": 40,
        "pageMarginLeft": 40, "pageMarginRight": 40,
    })
    if not toolkit.loadData(request["kern"]):
        raise EngraveError("verovio could not read it as Humdrum")
    if toolkit.getPageCount() < 1:
        raise EngraveError("verovio found nothing to engrave")
    return str(toolkit.renderToSVG(1))


class Engraver:
    """Engraves in one long-lived child process, restarted after a crash."""

    def __init__(self, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self._pool = WorkerPool("reviewer.core.kern.engrave:render", 1)

    def engrave(self, kern: str, width: int = 1400, scale: int = 40) -> Engraving:
        """The flattened SVG of ``kern``, or the reason it cannot be engraved."""
        request = {"kern": kern, "width": width, "scale": scale}
        for _, result in self._pool.run([(0, request)], timeout=self.timeout):
            if isinstance(result, Failure):
                reason = result.reason.removeprefix("EngraveError: ")
                if result.reason.startswith("stopped by signal"):
                    reason = f"verovio {result.reason}"
                return Engraving(None, reason)
            try:
                return Engraving(for_qt(result))
            except EngraveError as exc:
                return Engraving(None, str(exc))
        return Engraving(None, "verovio gave no answer")

    def close(self) -> None:
        self._pool.close()


def for_qt(svg: str) -> str:
    """verovio's SVG with its nested ``<svg>`` turned into a scaled group (SVG Tiny)."""
    outer = re.search(r'<svg width="([\d.]+)px" height="([\d.]+)px"', svg)
    inner = re.search(r'<svg class="definition-scale"([^>]*?)viewBox="([-\d. ]+)">', svg)
    if outer is None or inner is None:
        raise EngraveError("verovio's SVG has an unexpected layout")
    width, height = float(outer.group(1)), float(outer.group(2))
    box = [float(v) for v in inner.group(2).split()]
    if len(box) != 4 or box[2] <= 0 or box[3] <= 0:
        raise EngraveError("verovio's SVG has an empty view box")
    group = (f'<g class="definition-scale"{inner.group(1)} fill="black" stroke="black" '
             f'transform="scale({width / box[2]:.6g},{height / box[3]:.6g}) '
             f'translate({-box[0]:g},{-box[1]:g})">')
    svg = svg[:inner.start()] + group + svg[inner.end():]
    last = svg.rfind("</svg>")
    inner_end = svg.rfind("</svg>", 0, last)
    svg = svg[:inner_end] + "</g>" + svg[inner_end + len("</svg>"):]
    svg = svg.replace("<svg width=", f'<svg viewBox="0 0 {width:g} {height:g}" width=', 1)
    return _flat_text(svg)


def _flat_text(svg: str) -> str:
    """Text elements without nested ``<tspan>``s (SVG Tiny has none): one run of text each.

    verovio sets ``font-size="0px"`` on a text and the size on its inner tspan; the size
    and style of the first sized tspan move up to the text.
    """
    if "<tspan" not in svg:
        return svg
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = _parse(svg)
    for text in root.iter(f"{{{SVG_NS}}}text"):
        spans = list(text.iter(f"{{{SVG_NS}}}tspan"))
        if not spans:
            continue
        for span in spans:
            for attribute in ("font-size", "font-style", "font-weight", "font-family"):
                if span.get(attribute) and (attribute != "font-size"
                                            or text.get(attribute) in (None, "0px")):
                    text.set(attribute, span.get(attribute, ""))
        content = "".join(text.itertext())
        for child in list(text):
            text.remove(child)
        text.text = content
    return ET.tostring(root, encoding="unicode")


def positions(svg: str) -> dict[str, Location]:
    """Element id -> the kern (line, field) it begins at, for every positioned element."""
    out: dict[str, Location] = {}
    for element_id in re.findall(r'<g id="([^"]+)"', svg):
        m = _POSITION_ID.match(element_id)
        if m is not None and m.group("field"):
            out[element_id] = (int(m.group("line")), int(m.group("field")))
    return out


def elements_at(svg: str, locations: Mapping[Location, str]) -> dict[str, Location]:
    """The ids of the elements drawn for each kern location of ``locations``.

    Data tokens find their notes, rests and marks by id. Clefs and signatures (which
    verovio ids do not position) are found in the staff that begins at or before their
    line in their field; a barline is the right barline of the measure it closes.
    """
    root = _parse(svg)
    found: dict[str, Location] = {}
    by_position: dict[Location, list[str]] = {}
    staffs: list[tuple[int, int, ET.Element]] = []
    measures: list[tuple[int, ET.Element]] = []
    for element in root.iter(f"{{{SVG_NS}}}g"):
        element_id = element.get("id", "")
        m = _POSITION_ID.match(element_id)
        if m is None:
            continue
        kind, line, field = m.group("type"), int(m.group("line")), int(m.group("field") or 0)
        if kind in _TOKEN_TYPES:
            by_position.setdefault((line, field), []).append(element_id)
        elif kind == "staff":
            staffs.append((line, field, element))
        elif kind == "measure":
            measures.append((line, element))
    for location, token in locations.items():
        ids = by_position.get(location, [])
        if not ids:
            ids = _interpretation_ids(location, token, staffs, measures)
        for element_id in ids:
            found[element_id] = location
    return found


def colour(svg: str, colours: Mapping[str, str]) -> str:
    """``svg`` with each element id of ``colours`` filled and stroked in its ``#RRGGBB``."""
    def paint(match: re.Match[str]) -> str:
        value = colours[match.group(1)]
        return f'{match.group(0)} fill="{value}" stroke="{value}" color="{value}"'

    if not colours:
        return svg
    pattern = re.compile(r'<g id="(' + "|".join(re.escape(k) for k in colours) + r')"')
    return pattern.sub(paint, svg)


def _parse(svg: str) -> ET.Element:
    try:
        return ET.fromstring(svg)
    except ET.ParseError as exc:
        raise EngraveError(f"verovio's SVG cannot be read: {exc}") from None


def _interpretation_ids(location: Location, token: str,
                        staffs: list[tuple[int, int, ET.Element]],
                        measures: list[tuple[int, ET.Element]]) -> list[str]:
    line, field = location
    if token.startswith("="):
        closing = [(start, m) for start, m in measures if start < line]
        if not closing:
            return []
        bars = [b for b in max(closing, key=lambda x: x[0])[1]
                if (b.get("class") or "").split()[0:1] == ["barLine"]]
        return [b.get("id", "") for b in bars if b.get("id")]
    wanted = next((cls for prefix, cls in _INTERPRETATION_CLASS if token.startswith(prefix)),
                  None)
    candidates = [(start, s) for start, f, s in staffs if f == field and start <= line]
    if wanted is None or not candidates:
        return []
    staff = max(candidates, key=lambda x: x[0])[1]
    return [e.get("id", "") for e in staff.iter(f"{{{SVG_NS}}}g")
            if (e.get("class") or "").split()[0:1] == [wanted] and e.get("id")]
