"""Folders of PAGE-XML or ALTO files: several pages in one benchmark, matched by file stem.

A reference folder holds one ``.xml`` file per page (PAGE-XML or ALTO, mixed as they
come) directly inside it; a prediction folder the same for one system. Pages are matched
by their stem, the file name up to its first ``.`` (``0001.gt.xml`` and
``0001.tess.xml`` are both page ``0001``). Files named the OCR-D way, after their file
group (``OCR-D-GT-PAGE/OCR-D-GT-PAGE_0001.xml``, ``OCR-D-OCR-TESS/OCR-D-OCR-TESS_0001.xml``),
are matched without the group: the page is ``0001`` in both.

Items are pages (``--unit page``: id = stem) or lines (id = ``<stem>_<TextLine id>``), as
a single PAGE or ALTO file gives them. A page image named by a PAGE file is looked for
beside the file, then in the folder above (an OCR-D workspace names images relative to
the workspace).
"""

from __future__ import annotations

import os
from pathlib import Path

from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.formats.registry import Loaded, ReadOptions, register
from reviewer.formats.textio import missing_media_warning
from reviewer.formats.xml_page import extract, file_stem, sniff, unit_entries


def xml_pages(folder: Path) -> list[tuple[Path, str]]:
    """``(file, "page" or "alto")`` of each PAGE-XML or ALTO file directly in ``folder``,
    in name order."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    found = []
    for name in names:
        if name.startswith(".") or not name.lower().endswith(".xml"):
            continue
        if (fmt := sniff(folder / name)) is not None:
            found.append((folder / name, fmt))
    return found


def _detect(path: Path) -> bool:
    if not path.is_dir():
        return False
    try:
        if any(name.endswith(".gt.txt") for name in os.listdir(path)):
            return False  # a paired-text folder, for the folder reader
    except OSError:
        return False
    return bool(xml_pages(path))


def page_stem(path: Path) -> str:
    """The page a file stands for: its stem, without an OCR-D ``<file group>_`` prefix."""
    stem = file_stem(path)
    group = path.parent.name + "_"
    return stem[len(group):] if stem.startswith(group) and len(stem) > len(group) else stem


@register("xml-folder", priority=12, detect=_detect,
          description="folder of PAGE-XML or ALTO files, one page each, matched by file stem")
def read_xml_folder(path: Path, options: ReadOptions) -> Loaded:
    """Read a folder of PAGE-XML/ALTO pages as references, or as one system's predictions."""
    files = xml_pages(path)
    if not files:
        raise InputError(path, "no PAGE-XML or ALTO .xml files directly in this folder")
    warnings: list[str] = []
    if options.role == "prediction":
        return _predictions(path, files, options, warnings)
    items: list[Item] = []
    images: list[str] = []
    for file, fmt in files:
        doc = extract(file, fmt, options.normalize)
        image = _image(path, file, doc.image, images)
        for item_id, text, meta in unit_entries(file, doc, page_stem(file), options.unit,
                                                warnings):
            items.append(Item(item_id, text, image, meta))
    if (warning := missing_media_warning(path, images)) is not None:
        warnings.append(warning)
    return Loaded(items=items, warnings=warnings, sources=[path])


def _image(root: Path, file: Path, image: str | None, wanted: list[str]) -> str | None:
    if not image:
        return None
    candidates = [Path(os.path.abspath(folder / image)) for folder in (file.parent, root.parent)]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.as_posix()
    wanted.append(candidates[0].as_posix())
    return None


def _predictions(root: Path, files: list[tuple[Path, str]], options: ReadOptions,
                 warnings: list[str]) -> Loaded:
    known = options.known_ids
    texts: dict[str, str] = {}
    origin: dict[str, Path] = {}
    for file, fmt in files:
        stem = page_stem(file)
        entries = unit_entries(file, extract(file, fmt, options.normalize), stem,
                               options.unit, warnings)
        page = {item_id: text for item_id, text, _ in entries}
        if known is not None and options.unit != "page" and known.isdisjoint(page) and \
                any(k.startswith(stem + "_") for k in known):
            raise InputError(file, f"none of its {options.unit} ids match those of reference "
                             f"page {stem!r}: the two were segmented apart; compare whole "
                             "pages with --unit page")
        for item_id, text in page.items():
            if item_id in origin:
                raise InputError(file, f"this file and {origin[item_id]} both give a "
                                 "prediction for the same item", record=item_id)
            origin[item_id] = file
            texts[item_id] = text
    return Loaded(predictions={options.system or root.name: texts}, warnings=warnings,
                  sources=[root])
