"""PAGE-XML and ALTO readers: one item per TextLine, per region, or per file.

Item ids are ``<stem>_<TextLine id>`` (``<stem>_<region id>`` with ``unit="region"``),
where the stem is the file name up to its first ``.`` (``test-gt.page2018.xml`` ->
``test-gt``); with ``unit="page"`` the id is the stem alone.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from xml.etree.ElementTree import Element

from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.core.normalize.kind_presets import DINGLEHOPPER
from reviewer.formats.alto import read_alto
from reviewer.formats.dinglehopper_text import alto_document, page_document
from reviewer.formats.page import read_page
from reviewer.formats.registry import Loaded, ReadOptions, register
from reviewer.formats.textio import missing_media_warning
from reviewer.formats.xmldoc import Document
from reviewer.formats.xmlsafe import local, parse, root_name

XML_FORMATS = ("page", "alto")
_ROOTS = {"page": "PcGts", "alto": "alto"}
_TITLES = {"page": "PAGE-XML", "alto": "ALTO"}
Entry = tuple[str, str, tuple[tuple[str, str], ...]]  # item id, text, meta
_EXTRACT: dict[str, Callable[[Element], Document]] = {"page": read_page, "alto": read_alto}


def sniff(path: Path) -> str | None:
    """``"page"`` or ``"alto"`` if ``path`` is an ``.xml`` file of that kind, else ``None``."""
    if not (path.suffix.lower() == ".xml" and path.is_file()):
        return None
    name = root_name(path)
    for fmt, root in _ROOTS.items():
        if name is not None and name.lower() == root.lower():
            return fmt
    return None


def file_stem(path: Path) -> str:
    """The id stem of an XML file: its name up to the first ``.``."""
    return path.name.split(".", 1)[0] or path.name


@register("page", priority=50, detect=lambda path: sniff(path) == "page",
          description="PAGE-XML file (any PAGE version): one item per TextLine, or per page")
def read_page_xml(path: Path, options: ReadOptions) -> Loaded:
    """Read a PAGE-XML file."""
    return _read(path, options, "page")


@register("alto", priority=50, detect=lambda path: sniff(path) == "alto",
          description="ALTO file (v2, v3, v4): one item per TextLine, or per page")
def read_alto_xml(path: Path, options: ReadOptions) -> Loaded:
    """Read an ALTO file."""
    return _read(path, options, "alto")


def extract(path: Path, fmt: str, normalize: str | None = None) -> Document:
    """The lines and text of ``path``, which must be a ``fmt`` (``page``/``alto``) file;
    with ``normalize="dinglehopper"``, the page's text as dinglehopper extracts it."""
    root = parse(path)
    if local(root.tag).lower() != _ROOTS[fmt].lower():
        raise InputError(path, f"not a {_TITLES[fmt]} file: the root element is "
                         f"{local(root.tag)!r}, not {_ROOTS[fmt]!r}")
    try:
        doc = _EXTRACT[fmt](root)
        if normalize == DINGLEHOPPER:
            return (page_document if fmt == "page" else alto_document)(root, doc)
        return doc
    except RecursionError:
        # Regions and reading-order groups are walked recursively; real pages nest a few deep.
        raise InputError(path, "elements are nested too deeply to be a page") from None


def _read(path: Path, options: ReadOptions, fmt: str) -> Loaded:
    doc = extract(path, fmt, options.normalize)
    warnings: list[str] = []
    entries = unit_entries(path, doc, file_stem(path), options.unit, warnings)
    if options.role == "prediction":
        texts = {item_id: text for item_id, text, _ in entries}
        return Loaded(predictions={options.system or "pred": texts}, warnings=warnings,
                      sources=[path])
    media = _media(path, doc.image)
    if doc.image and media is None:
        image = Path(os.path.abspath(path.parent / doc.image)).as_posix()
        if (warning := missing_media_warning(path, [image])) is not None:
            warnings.append(warning)
    items = [Item(item_id, text, media, meta) for item_id, text, meta in entries]
    return Loaded(items=items, warnings=warnings, sources=[path])


def unit_entries(path: Path, doc: Document, stem: str, unit: str,
                 warnings: list[str]) -> list[Entry]:
    """``(item id, text, meta)`` of each line, region or the page of ``doc`` read from
    ``path``, ids prefixed with ``stem``; notes what the user should know in ``warnings``."""
    if unit == "page":
        return [(stem, doc.text, ())]
    if unit == "region":
        return _region_entries(path, doc, stem)
    return _line_entries(path, doc, stem, warnings)


def _line_entries(
    path: Path, doc: Document, stem: str, warnings: list[str]
) -> list[Entry]:
    if not doc.lines:
        hint = "; its text is not split into lines: use --unit page" if doc.text else ""
        raise InputError(path, f"no TextLine elements{hint}")
    entries: list[Entry] = []
    seen: set[str] = set()
    for number, line in enumerate(doc.lines, 1):
        line_id = line.id or str(number)
        item_id = f"{stem}_{line_id}"
        if item_id in seen:
            raise InputError(path, "two TextLines have the same id", record=line_id)
        seen.add(item_id)
        meta = tuple((k, v) for k, v in (("line", line_id), ("region", line.region),
                                          ("coords", line.coords)) if v is not None)
        entries.append((item_id, line.text, meta))
    if doc.text and not any(line.text for line in doc.lines):
        warnings.append(f"{path}: its TextLines have no text, only its regions do; "
                        "use --unit page to compare the page's text")
    return entries


def _region_entries(path: Path, doc: Document, stem: str) -> list[Entry]:
    if not doc.regions:
        raise InputError(path, "no text regions (TextRegion or TextBlock elements)")
    entries: list[Entry] = []
    seen: set[str] = set()
    for number, region in enumerate(doc.regions, 1):
        region_id = region.id or str(number)
        if region_id in seen:
            raise InputError(path, "two regions have the same id", record=region_id)
        seen.add(region_id)
        entries.append((f"{stem}_{region_id}", region.text, (("region", region_id),)))
    return entries


def _media(path: Path, image: str | None) -> str | None:
    """The page image the file names, if it exists beside the file (or at its absolute path)."""
    if not image:
        return None
    candidate = Path(os.path.abspath(path.parent / image))
    return candidate.as_posix() if candidate.is_file() else None
