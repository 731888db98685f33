"""Write a paired-file folder (``NAME.gt.txt`` beside ``NAME.<system>.txt`` and the image).

Every path is computed, never taken from the benchmark: item ids become file names through
:func:`reviewer.core.safe_names.file_stems`, every file is created new (``O_EXCL``, never
through a symbolic link) inside folders this module made, and each is checked to lie below
the output folder. Images are copied only when they are regular files inside the
benchmark's own folders (see :func:`media_source`); the others are listed in the manifest
as left out. The folder, manifest included, is built under a temporary name and renamed
into place, so a failed export leaves nothing behind. It reads back with the ``folder``
reader as the same items, ids and metadata taken from the manifest.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewer.core.atomic import fsync_dir, remove_stale_parts, temp_prefix, umask
from reviewer.core.errors import InputError
from reviewer.core.safe_names import encode_part, file_stems, is_plain_relative
from reviewer.formats.folder_manifest import MANIFEST_NAME
from reviewer.formats.folders import GT_SUFFIX

_MEDIA_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")
_MAX_SYSTEM_BYTES = 100
_CHUNK = 1 << 20


@dataclass
class FolderPlan:
    """Where each item goes: its file stem, the image copied beside it, what is left out."""

    stems: dict[str, str]
    media: dict[str, tuple[Path, str]] = field(default_factory=dict)  # id -> (source, suffix)
    left_out: list[dict[str, str]] = field(default_factory=list)  # id, media, reason


def plan_folder(target: Path, rows: Sequence[dict[str, Any]], systems: Sequence[str],
                roots: Sequence[Path]) -> FolderPlan:
    """The file names and media of a folder export of ``rows``; ``roots``: the benchmark's
    own folders, the only places images are copied from."""
    for system in systems:
        if (system == "gt" or "." in system or encode_part(system) != system
                or len(system.encode("utf-8")) > _MAX_SYSTEM_BYTES):
            raise InputError(target, f"system name {system!r} cannot be a file-name part; "
                             "export to a table instead")
    media: dict[str, tuple[Path, str]] = {}
    left_out: list[dict[str, str]] = []
    for row in rows:
        if not (image := row.get("image")):
            continue
        source, reason = media_source(str(image), roots)
        if source is None:
            left_out.append({"id": row["id"], "media": str(image), "reason": reason})
        else:
            media[row["id"]] = (source, source.suffix.lower())
    suffixes = [GT_SUFFIX, *(f".{s}.txt" for s in systems),
                *sorted({suffix for _, suffix in media.values()})]
    stems = file_stems((r["id"] for r in rows), suffixes, reserved=[MANIFEST_NAME])
    return FolderPlan(stems, media, left_out)


def media_source(media: str, roots: Sequence[Path]) -> tuple[Path | None, str]:
    """``(the file to copy, "")`` if ``media`` may be copied, else ``(None, why not)``.

    Only a regular file (not a link, FIFO or device) below one of ``roots``, reached
    without a symbolic link below the root and through no hidden folder, is copied.
    """
    path = Path(media)
    if not path.is_absolute():
        return None, "not an absolute path"
    if not _MEDIA_SUFFIX.fullmatch(path.suffix.lower()):
        return None, "no usable file suffix"
    try:
        info = os.lstat(path)
    except OSError:
        return None, "missing"
    if stat.S_ISLNK(info.st_mode):
        return None, "a symbolic link"
    if not stat.S_ISREG(info.st_mode):
        return None, "not a regular file"
    for root in roots:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
        if not is_plain_relative(Path(rel).as_posix()):
            continue
        if any(part.startswith(".") for part in Path(rel).parts):
            return None, "in a hidden folder or a hidden file"
        if os.path.realpath(path) == os.path.join(os.path.realpath(root), rel):
            return path, ""
        return None, "reached through a symbolic link"
    return None, "outside the benchmark's folder"


def write_folder(target: Path, rows: Sequence[dict[str, Any]], systems: Sequence[str],
                 plan: FolderPlan, manifest: str) -> None:
    """Write each row (``id``, ``reference``, ``pred_<system>``, its image) and the
    manifest text into the new folder ``target``."""
    if target.is_symlink() or (target.exists() and (not target.is_dir()
                                                     or any(target.iterdir()))):
        raise InputError(target, "already exists and is not an empty folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(target)
    tmp = Path(tempfile.mkdtemp(prefix=temp_prefix(target), suffix=".part", dir=target.parent))
    try:
        for row in rows:
            stem = plan.stems[row["id"]]
            _write(tmp, stem + GT_SUFFIX, row["reference"])
            for system in systems:
                _write(tmp, f"{stem}.{system}.txt", row[f"pred_{system}"])
            if row["id"] in plan.media:
                source, suffix = plan.media[row["id"]]
                _copy(source, tmp, stem + suffix)
        with os.fdopen(_create(tmp, MANIFEST_NAME), "w", encoding="utf-8") as fh:
            fh.write(manifest)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o777 & ~umask())  # mkdtemp made it 0700
        if target.exists():
            target.rmdir()
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _create(root: Path, rel: str) -> int:
    """A new file ``root/rel`` opened for writing, its folders made as needed.

    Refuses any path that is not plainly below ``root``, any folder on the way that this
    export did not make as a real folder, and an existing file or link at the end.
    """
    if not is_plain_relative(rel):
        raise InputError(root / rel, "refusing to write outside the output folder")
    parts = rel.split("/")
    folder = root
    for part in parts[:-1]:
        folder = folder / part
        try:
            os.mkdir(folder)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                raise InputError(folder, "is not a folder this export made") from None
    real_root = os.path.realpath(root)
    if os.path.commonpath([real_root, os.path.realpath(folder)]) != real_root:
        raise InputError(root / rel, "refusing to write outside the output folder")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    return os.open(root / rel, flags, 0o666)


def _write(root: Path, rel: str, text: str) -> None:
    # The reader drops exactly one trailing newline, so any text reads back unchanged.
    with os.fdopen(_create(root, rel), "w", encoding="utf-8", newline="") as fh:
        fh.write(text + "\n")


def _copy(source: Path, root: Path, rel: str) -> None:
    """Copy the regular file ``source`` (re-checked once open: no link, FIFO or device)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        src = os.open(source, flags)
    except OSError as exc:
        raise InputError(source, f"the image changed while exporting: {exc.strerror}") from None
    with os.fdopen(src, "rb") as fin:
        if not stat.S_ISREG(os.fstat(fin.fileno()).st_mode):
            raise InputError(source, "the image changed while exporting: not a regular file")
        with os.fdopen(_create(root, rel), "wb") as fout:
            shutil.copyfileobj(fin, fout, _CHUNK)
