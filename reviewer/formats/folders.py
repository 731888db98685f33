"""Paired-file folders as OCR training and evaluation tools write them.

A reference folder holds ``NAME.gt.txt`` files, at any depth; beside each may lie
predictions (``NAME.txt``, ``NAME.pred.txt``, ``NAME.<system>.txt``) and a line image
(``NAME.png`` and the like). A prediction folder holds ``*.txt`` files whose relative
paths, minus ``.txt`` and perhaps one more suffix, are the item ids.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.formats.folder_manifest import exported_items
from reviewer.formats.registry import Loaded, ReadOptions, register
from reviewer.formats.speech import ASR_FOLDER_RULE
from reviewer.formats.textio import read_text

GT_SUFFIX = ".gt.txt"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bin.png", ".nrm.png")
_LAYOUT = (
    "a reference folder holds one NAME.gt.txt file per item, at any depth, with "
    "predictions beside it as NAME.txt or NAME.<system>.txt and an image as NAME.png"
)


@register("folder", priority=10, detect=lambda path: path.is_dir(),
          description="folder of NAME.gt.txt files with NAME.<system>.txt predictions beside them")
def read_folder(path: Path, options: ReadOptions) -> Loaded:
    """Read a paired-file folder as references, or as one system's predictions."""
    if options.role == "prediction":
        return _read_predictions(path, options)
    return _read_references(path, options)


def _walk(root: Path) -> Iterator[tuple[Path, str, list[str]]]:
    """``(folder, its path relative to root with a trailing slash, file names)``, sorted."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        folder = Path(dirpath)
        rel = folder.relative_to(root).as_posix()
        yield folder, "" if rel == "." else rel + "/", sorted(filenames)


def _read_references(root: Path, options: ReadOptions) -> Loaded:
    default = options.system or "pred"
    items: list[Item] = []
    preds: dict[str, dict[str, str]] = {}
    ignored: list[str] = []
    exported = exported_items(root)  # a reviewer export: its ids and metadata
    for folder, prefix, files in _walk(root):
        names = [f[: -len(GT_SUFFIX)] for f in files if f.endswith(GT_SUFFIX) and f != GT_SUFFIX]
        if not names:
            continue
        siblings = _siblings(folder, files, set(names), default, ignored, prefix)
        lower = {f.lower(): f for f in files}
        for name in names:
            item_id = _text_name(folder / (name + GT_SUFFIX), prefix + name)
            item_id, meta = exported.get(item_id, (item_id, ()))
            items.append(Item(item_id, read_text(folder / (name + GT_SUFFIX)),
                              _image(folder, name, lower), meta))
            for system, file in siblings.get(name, {}).items():
                preds.setdefault(system, {})[item_id] = read_text(file)
    if not items:
        raise InputError(root, _nothing_found(options.kind))
    warnings = []
    if ignored:
        shown = ", ".join(ignored[:5]) + (f" and {len(ignored) - 5} more" if len(ignored) > 5
                                          else "")
        warnings.append(f"{root}: {len(ignored)} .txt files match no NAME.gt.txt and were "
                        f"ignored: {shown}")
    return Loaded(items=items, predictions=preds, warnings=warnings, sources=[root])


def _nothing_found(kind: str) -> str:
    """Why a reference folder of kind ``kind`` gave no item: the rule of that kind's folders."""
    if kind == "asr":
        return f"nothing to read in this folder; {ASR_FOLDER_RULE}"
    return f"no NAME.gt.txt files below this folder; {_LAYOUT}"


def _siblings(
    folder: Path, files: list[str], names: set[str], default: str, ignored: list[str],
    prefix: str,
) -> dict[str, dict[str, Path]]:
    """Prediction files beside the references in one folder: name -> system -> file."""
    found: dict[str, dict[str, Path]] = {}
    for file in files:
        if not file.endswith(".txt") or file.endswith(GT_SUFFIX):
            continue
        stem = file[: -len(".txt")]
        base, dot, suffix = stem.rpartition(".")
        if stem in names:
            name, system = stem, default
        elif dot and base in names:
            name, system = base, default if suffix == "pred" else suffix
        else:
            ignored.append(prefix + file)
            continue
        system = _text_name(folder / file, system)
        systems = found.setdefault(name, {})
        if system in systems:
            raise InputError(folder / file, f"{systems[system].name} and {file} are both "
                             f"system {system!r}'s prediction for {prefix + name!r}")
        systems[system] = folder / file
    return found


def _text_name(path: Path, name: str) -> str:
    """``name``, an id or system taken from ``path``'s name, if it is text.

    A file name that is not UTF-8 reaches Python as surrogate escapes, which no text
    column can store.
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(path, "the file or folder name is not valid UTF-8; rename it") from None
    return name


def _image(folder: Path, name: str, lower: dict[str, str]) -> str | None:
    """The line image beside ``NAME.gt.txt``, as an absolute POSIX path."""
    for suffix in IMAGE_SUFFIXES:
        if (found := lower.get((name + suffix).lower())) is not None:
            return Path(os.path.abspath(folder / found)).as_posix()
    return None


def _read_predictions(root: Path, options: ReadOptions) -> Loaded:
    system = options.system or root.name
    known = options.known_ids
    out: dict[str, str] = {}
    origin: dict[str, Path] = {}
    for folder, prefix, files in _walk(root):
        for file in files:
            if not file.endswith(".txt") or file.endswith(GT_SUFFIX):
                continue
            item_id = _text_name(folder / file, prefix + file[: -len(".txt")])
            if known is not None and item_id not in known:
                base, dot, suffix = item_id.rpartition(".")
                if dot and "/" not in suffix and base in known:
                    item_id = base  # NAME.<system>.txt: the system's name is in the file name
            if item_id in origin:
                raise InputError(folder / file, f"this file and {origin[item_id]} both give a "
                                 "prediction for the same item", record=item_id)
            origin[item_id] = folder / file
            out[item_id] = read_text(folder / file)
    if not out:
        raise InputError(root, "no .txt files below this prediction folder"
                         + (f"; {ASR_FOLDER_RULE}" if options.kind == "asr" else ""))
    return Loaded(predictions={system: out}, sources=[root])
