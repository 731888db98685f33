"""Folders of Humdrum **kern files (``NAME.krn``), matched by their paths without ``.krn``.

A reference folder holds one ``NAME.krn`` per item, at any depth, with the page image as
``NAME.png`` (or ``.jpg``...) beside it; a prediction folder holds ``NAME.krn`` files
under the same names. A reference with a structural error is imported and marked as
unreadable (file, line and reason listed), or refused with ``--unreadable refuse`` (see
:mod:`reviewer.core.kern.unreadable`); a prediction is taken as it is, broken or not: its
problems are scored.
"""

from __future__ import annotations

import os
from pathlib import Path

from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.core.kern import syntax
from reviewer.core.kern.unreadable import UNREADABLE_REFERENCE, UnreadableChoice
from reviewer.formats.folders import IMAGE_SUFFIXES
from reviewer.formats.registry import Loaded, ReadOptions, register
from reviewer.formats.textio import BOM, read_bytes

SUFFIX = ".krn"


_DETECT_LIMIT = 5000  # file names a detection looks at, so huge text folders stay fast


def _has_kern(path: Path) -> bool:
    if not path.is_dir():
        return False
    seen = 0
    for _, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if any(f.endswith(SUFFIX) for f in filenames):
            return True
        seen += len(filenames)
        if seen > _DETECT_LIMIT:
            return False
    return False


@register("kern-folder", priority=15, detect=_has_kern,
          description="folder of NAME.krn Humdrum **kern files (kern), images as NAME.png")
def read_kern_folder(path: Path, options: ReadOptions) -> Loaded:
    """Read a folder of kern files as references, or as one system's predictions."""
    if options.kind != "kern":
        raise InputError(path, "this folder holds Humdrum .krn files: import it with "
                         "--kind kern")
    files = _kern_files(path)
    if not files:
        raise InputError(path, "no .krn files below this folder")
    warnings: list[str] = []
    if options.role == "prediction":
        system = options.system or path.name
        texts = {item_id: read_kern(file, warnings) for item_id, (file, _) in files.items()}
        return Loaded(predictions={system: texts}, warnings=warnings, sources=[path])
    items = []
    for item_id, (file, image) in files.items():
        text = read_kern(file, warnings)
        mark = check_reference(file, text, warnings, unreadable=options.unreadable)
        items.append(Item(item_id, text, image, mark))
    marked_warning(path, items, warnings)
    return Loaded(items=items, warnings=warnings, sources=[path])


def read_kern(path: Path, warnings: list[str]) -> str:
    """A kern file's text: UTF-8, else Latin-1 (older Humdrum corpora), final newline dropped."""
    data = read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        warnings.append(f"{path}: not UTF-8; read as Latin-1, the older Humdrum encoding")
    text = text.removeprefix(BOM)
    return text[:-1] if text.endswith("\n") else text


def check_reference(path: Path, text: str, warnings: list[str], record: str | None = None,
                    unreadable: UnreadableChoice = "refuse") -> tuple[tuple[str, str], ...]:
    """Check a reference kern text: its warnings collected, a structural error refused or
    marked.

    Marked (``unreadable="mark"``), the first error is returned as item metadata
    ``((UNREADABLE_REFERENCE, "line N: reason"),)`` and said in a warning; without an
    error the result is ``()``. ``record`` names a table row: the line is then the line
    of its kern, said in words.
    """
    where = f" (record {record!r})" if record else ""
    for problem in syntax.check(text):
        if problem.severity != "error":
            warnings.append(f"{path}{where}: {problem}")
            continue
        if unreadable == "mark":
            at = (f":{problem.line}" if record is None
                  else f"{where}, line {problem.line} of its kern")
            warnings.append(f"{path}{at}: not a readable **kern score: {problem.message}; "
                            "imported and marked unreadable")
            return ((UNREADABLE_REFERENCE, f"line {problem.line}: {problem.message}"),)
        if record is None:
            raise InputError(path, f"not a readable **kern score: {problem.message}",
                             line=problem.line)
        raise InputError(path, f"not a readable **kern score at line {problem.line} of "
                         f"its kern: {problem.message}", record=record)
    return ()


def marked_warning(source: Path, items: list[Item], warnings: list[str]) -> None:
    """Say how many of ``source``'s references were marked unreadable, and what follows."""
    marked = sum(1 for item in items if any(k == UNREADABLE_REFERENCE for k, _ in item.meta))
    if marked:
        warnings.append(
            f"{source}: {marked} of {len(items)} references are not readable **kern scores "
            f"(listed above); they are imported and marked (item metadata "
            f"{UNREADABLE_REFERENCE}: filter the item list with '{UNREADABLE_REFERENCE}:') and "
            "can be corrected in the window; --unreadable refuse stops the import instead")


def _kern_files(root: Path) -> dict[str, tuple[Path, str | None]]:
    """Item id (path relative to ``root`` without ``.krn``) -> (file, image), sorted by id."""
    found: dict[str, tuple[Path, str | None]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel = Path(dirpath).relative_to(root).as_posix()
        prefix = "" if rel == "." else rel + "/"
        lower = {f.lower(): f for f in filenames}
        for name in sorted(filenames):
            if name.endswith(SUFFIX) and len(name) > len(SUFFIX):
                item_id = prefix + name[: -len(SUFFIX)]
                try:
                    item_id.encode("utf-8")
                except UnicodeEncodeError:
                    raise InputError(Path(dirpath) / name,
                                     "the file name is not valid UTF-8; rename it") from None
                found[item_id] = (Path(dirpath) / name,
                                  _image(Path(dirpath), name[: -len(SUFFIX)], lower))
    return dict(sorted(found.items()))


def _image(folder: Path, stem: str, lower: dict[str, str]) -> str | None:
    """The page image beside ``NAME.krn``, as an absolute POSIX path."""
    for suffix in IMAGE_SUFFIXES:
        if (name := lower.get(stem.lower() + suffix)) is not None:
            return Path(os.path.abspath(folder / name)).as_posix()
    return None
