"""A benchmark from an OCR-D workspace: the ground-truth file group as references, each OCR
file group as a system's predictions, matched page by page through the METS physical
structure map (:mod:`reviewer.formats.mets`).

Items are pages (id: the physical page's ``@ID``) or lines and regions (id:
``<page id>_<line or region id>``), read from the PAGE-XML or ALTO file each page has in
the group. A page's image is the ``imageFilename`` of its ground-truth PAGE file, which
OCR-D resolves against the workspace folder, not the PAGE file's own folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from reviewer.core.errors import InputError
from reviewer.core.items import Benchmark, Item, check_kind
from reviewer.formats.mets import Mets, MetsFile, read_mets
from reviewer.formats.registry import Loaded, ReadOptions, register
from reviewer.formats.textio import missing_media_warning
from reviewer.formats.xml_page import XML_FORMATS, extract, unit_entries
from reviewer.formats.xmldoc import Document
from reviewer.formats.xmlsafe import root_name

_ROOTS = {"pcgts": "page", "alto": "alto"}
_SHOWN = 5


def load_mets_benchmark(mets_path: Path, ref_group: str, pred_groups: list[tuple[str, str]],
                        options: ReadOptions) -> Benchmark:
    """The benchmark of ``ref_group`` (references) and each ``(system, group)`` of
    ``pred_groups`` in the METS file ``mets_path``, one item per ``options.unit``."""
    if options.kind != "text":
        raise InputError(mets_path, f"--ref-group reads an OCR-D workspace as a text "
                         f"benchmark, not {options.kind}")
    mets = read_mets(mets_path)
    for _, group in pred_groups:
        mets.check_group(group)
    ref_files = _one_file_per_page(mets, ref_group)
    if not ref_files:
        raise InputError(mets_path, f"no physical page points at a file of group {ref_group!r}")
    warnings: list[str] = []
    items: list[Item] = []
    media: list[str] = []
    for page_id, file in ref_files.items():
        path = mets.resolve(file.href, f"file {file.id!r} (group {ref_group!r}, page {page_id!r})")
        doc = _document(mets, path, file, page_id, options.normalize)
        image = _image(mets, doc, file, page_id, warnings)
        if image is not None and not os.path.isfile(image):
            media.append(image)
            image = None
        for item_id, text, meta in unit_entries(path, doc, page_id, options.unit, warnings):
            items.append(Item(item_id, text, image, (("page", page_id), *meta)))
    if (warning := missing_media_warning(mets_path, sorted(set(media)))) is not None:
        warnings.append(warning)
    predictions: dict[str, dict[str, str]] = {}
    for system, group in pred_groups:
        if system in predictions:
            raise InputError(mets_path, f"system {system!r} is given twice")
        predictions[system] = _predictions(mets, group, ref_files, items, options, warnings)
        if missing := len(items) - len(predictions[system]):
            warnings.append(f"system {system}: {missing} items have no prediction "
                            "(scored as empty predictions)")
    sources = [str(mets_path)]
    return Benchmark(check_kind(options.kind), items, predictions, sources, warnings,
                     source_format="mets")


def group_sources(values: list[str]) -> list[tuple[str, str]]:
    """``(system, file group)`` of each ``--pred`` value ``NAME=GROUP`` or ``GROUP`` (the
    system is then named after its group)."""
    out = []
    for value in values:
        name, sep, group = value.partition("=")
        if not sep:
            name, group = value, value
        if not name or not group:
            raise InputError(None, f"--pred takes NAME=GROUP or GROUP with --ref-group, "
                             f"got {value!r}")
        out.append((name, group))
    return out


def _one_file_per_page(mets: Mets, group: str) -> dict[str, MetsFile]:
    """Page id -> the one PAGE-XML or ALTO file of ``group`` the page points at."""
    out: dict[str, MetsFile] = {}
    for page_id, files in mets.page_files(group).items():
        texts = [f for f in files if not f.mimetype.startswith("image/")]
        if len(texts) > 1:
            raise InputError(mets.path, f"page {page_id!r} has {len(texts)} files in group "
                             f"{group!r} ({', '.join(f.id for f in texts)}); expected one "
                             "PAGE-XML or ALTO file", record=page_id)
        if texts:
            out[page_id] = texts[0]
    return out


def _document(mets: Mets, path: Path, file: MetsFile, page_id: str,
              normalize: str | None) -> Document:
    if not path.is_file():
        raise InputError(mets.path, f"file {file.id!r} of group {file.group!r} (page "
                         f"{page_id!r}) does not exist: {path}", record=file.id)
    fmt = _ROOTS.get((root_name(path) or "").lower())
    if fmt not in XML_FORMATS:
        raise InputError(path, f"file {file.id!r} of group {file.group!r} (page {page_id!r} "
                         f"in {mets.path}) is neither PAGE-XML nor ALTO")
    return extract(path, fmt, normalize)


def _image(mets: Mets, doc: Document, file: MetsFile, page_id: str,
           warnings: list[str]) -> str | None:
    """The page image the reference names, resolved against the workspace, if it may be read."""
    if not doc.image:
        return None
    try:
        path = mets.resolve(doc.image, f"the imageFilename of file {file.id!r} (page "
                            f"{page_id!r})")
    except InputError as exc:
        warnings.append(f"{exc}; the page is imported without its image")
        return None
    return Path(os.path.abspath(path)).as_posix()


def _predictions(mets: Mets, group: str, ref_files: dict[str, MetsFile], items: list[Item],
                 options: ReadOptions, warnings: list[str]) -> dict[str, str]:
    """Item id -> text of ``group``'s files, page by page."""
    unit = options.unit
    files = _one_file_per_page(mets, group)
    missing = [page for page in ref_files if page not in files]
    if missing:
        shown = ", ".join(repr(p) for p in missing[:_SHOWN])
        more = f" and {len(missing) - _SHOWN} more" if len(missing) > _SHOWN else ""
        raise InputError(mets.path, f"group {group!r} has no file for page {shown}{more}, "
                         "which the reference group has", record=missing[0])
    ref_ids = {item.id for item in items}
    texts: dict[str, str] = {}
    for page_id in ref_files:
        file = files[page_id]
        path = mets.resolve(file.href, f"file {file.id!r} (group {group!r}, page {page_id!r})")
        doc = _document(mets, path, file, page_id, options.normalize)
        entries = unit_entries(path, doc, page_id, unit, warnings)
        page_texts = {item_id: text for item_id, text, _ in entries}
        if unit != "page" and ref_ids.isdisjoint(page_texts):
            raise InputError(path, f"none of its {unit} ids match those of the reference on "
                             f"page {page_id!r} (group {group!r} in {mets.path}): the two "
                             "were segmented apart; compare whole pages with --unit page")
        unknown = [k for k in page_texts if k not in ref_ids]
        if unknown:
            raise InputError(path, f"{len(unknown)} {unit}s of page {page_id!r} are not in the "
                             f"reference group: {', '.join(repr(u) for u in unknown[:_SHOWN])}",
                             record=unknown[0])
        texts.update(page_texts)
    return texts


def _is_mets(path: Path) -> bool:
    return path.suffix.lower() == ".xml" and path.is_file() and \
        (root_name(path) or "").lower() == "mets"


@register("mets", priority=55, detect=_is_mets,
          description="OCR-D workspace mets.xml: --ref-group GROUP and --pred NAME=GROUP "
          "name its file groups")
def read_mets_file(path: Path, options: ReadOptions) -> Loaded:
    """A METS file is read only with its groups named; say which groups it has."""
    mets = read_mets(path)
    raise InputError(path, "a METS file is imported with --ref-group GROUP (its ground "
                     "truth) and --pred NAME=GROUP for each OCR file group; its groups are "
                     f"{', '.join(mets.groups) or 'none'}")
