"""Where an export may write, and which folders it may copy media from.

An export never writes over the project (or its ``-wal``/``-shm``/``-journal`` files),
over a file the benchmark was imported from, or twice to one file. Images are copied only
from the benchmark's own folders, and a folder as wide as the file system root or the
user's home is never taken for one.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from reviewer.core.errors import InputError

_MAX_NAME_BYTES = 255
_SIDE_FILES = ("-wal", "-shm", "-journal")
MANIFEST_SUFFIX = ".manifest.json"  # an exported data file's manifest: <data><suffix>


def check_targets(outputs: Sequence[tuple[str, Path]], project: Path,
                  sources: Sequence[Path]) -> None:
    """Refuse output paths that are the project, a source, a folder, too long, or each other.

    ``outputs``: ``(what it is, path)`` pairs such as ``("the manifest", path)``.
    """
    protected = [("the project file", project)]
    protected += [("the project file", project.with_name(project.name + s)) for s in _SIDE_FILES]
    protected += [("a file the benchmark was imported from", s) for s in sources]
    for number, (what, path) in enumerate(outputs):
        if len(os.fsencode(path.name)) > _MAX_NAME_BYTES:
            raise InputError(path, f"cannot write {what}: the name is longer than "
                             f"{_MAX_NAME_BYTES} bytes; choose a shorter one")
        if (blocker := _file_on_the_way(path)) is not None:
            raise InputError(blocker, f"cannot write {what} below it: it is a file, not a folder")
        for name, other in protected:
            if same_file(path, other):
                raise InputError(path, f"is {name}; an export never writes over it, choose "
                                 "another output name")
        for name, other in outputs[:number]:
            if same_file(path, other):
                raise InputError(path, f"would be written as {what} and as {name}; choose "
                                 "different names")


def check_changes_target(path: Path) -> None:
    """Refuse a changes file that is the data of an earlier export.

    An export's data file has its manifest beside it (``<data>.manifest.json``); writing
    the changes table over it would silently replace the cleaned benchmark, while the
    manifest went on describing the data it no longer holds. Links and other spellings of
    the path are followed.
    """
    for data in dict.fromkeys((Path(os.path.abspath(path)), Path(os.path.realpath(path)))):
        manifest = data.with_name(data.name + MANIFEST_SUFFIX)
        if data.exists() and _is_export_manifest(manifest):
            raise InputError(path, f"is the data of an earlier export (its manifest "
                             f"{manifest.name} is beside it); writing the changes there "
                             "would replace it, choose another name for the changes")


def _is_export_manifest(path: Path) -> bool:
    """Whether ``path`` is a manifest reviewer wrote beside an export's data file."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and "reviewer" in data and "data_sha256" in data


def _file_on_the_way(path: Path) -> Path | None:
    """The nearest existing parent of ``path`` if it is not a folder."""
    for parent in path.parents:
        if parent.exists() or parent.is_symlink():
            return None if parent.is_dir() else parent
    return None


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name one file (through links too), existing or not."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def source_paths(stored: Sequence[str], project: Path) -> list[Path]:
    """The benchmark's source files as absolute paths (a relative one read both from the
    working folder and from the project's folder)."""
    out: list[Path] = []
    for text in stored:
        path = Path(text)
        if path.is_absolute():
            out.append(path)
        else:
            out += [Path.cwd() / path, project.parent / path]
    return out


def benchmark_roots(sources: Sequence[Path]) -> list[Path]:
    """The folders media may be copied from: each source folder, or a source file's folder."""
    home = os.path.realpath(Path.home())
    roots: list[Path] = []
    for source in sources:
        root = source if source.is_dir() else source.parent
        real = os.path.realpath(root)
        too_wide = real == os.path.dirname(real) or os.path.commonpath([real, home]) == real
        if root.is_dir() and not too_wide and root not in roots:
            roots.append(root)
    return roots
