"""Atomic file output: write beside the target, then ``os.replace`` (DESIGN §7.11).

Temporary files are named ``.<start of the target's name>.<random>.part`` in the target's
folder. Ones a killed run left behind (older than :data:`STALE_SECONDS`) are removed the
next time that target is written. After a rename the folder itself is synced, so the new
name survives a power cut.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

STALE_SECONDS = 60
_PREFIX_CHARS = 60  # of the target's name in a temporary name, which must stay under 255 bytes


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces ``target``.

    If the block raises, the temporary file is removed and ``target`` is untouched. The file
    gets the permissions of the file it replaces, or those a new file gets (umask applied).
    """
    with atomic_paths(target) as (tmp,):
        yield tmp


@contextlib.contextmanager
def atomic_paths(*targets: str | Path) -> Iterator[list[Path]]:
    """Temporary paths for files that belong together (a data file, then its manifest).

    On success the files are synced, the existing files of ``targets[1:]`` are removed,
    then each target is replaced in order. A run killed part way thus leaves the old set,
    the new set, or the first file (old or new) without the others, never an old file
    beside a new one.
    """
    paths = [Path(t) for t in targets]
    modes = [_mode(p) for p in paths]
    tmps: list[Path] = []
    try:
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            remove_stale_parts(path)
            fd, name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".part", dir=path.parent)
            os.close(fd)
            tmps.append(Path(name))
        yield tmps
        for done, mode in zip(tmps, modes, strict=True):
            with open(done, "rb") as fh:
                os.fsync(fh.fileno())
            os.chmod(done, mode)
        for path in paths:  # checked before anything is replaced, so the set stays whole
            if path.is_dir() and not path.is_symlink():
                raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        for path in paths[1:]:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        folders: set[Path] = set()
        for done, path in zip(tmps, paths, strict=True):
            os.replace(done, path)
            folders.add(path.parent)
        for folder in folders:
            fsync_dir(folder)
    finally:
        for left in tmps:
            left.unlink(missing_ok=True)


def temp_prefix(target: Path) -> str:
    """The start of a temporary name standing for ``target``."""
    return f".{target.name[:_PREFIX_CHARS]}."


def remove_stale_parts(target: Path) -> None:
    """Remove temporary files or folders of ``target`` that a killed run left behind."""
    prefix = temp_prefix(target)
    cutoff = time.time() - STALE_SECONDS
    try:
        names = [n for n in os.listdir(target.parent) if n.startswith(prefix)
                 and n.endswith(".part")]
    except OSError:
        return
    for name in names:
        path = target.parent / name
        with contextlib.suppress(OSError):
            info = os.lstat(path)
            if info.st_mtime > cutoff:
                continue  # perhaps another run's, still being written
            if stat.S_ISREG(info.st_mode):
                path.unlink()
            elif stat.S_ISDIR(info.st_mode):
                import shutil

                shutil.rmtree(path)


def fsync_dir(folder: Path) -> None:
    """Sync ``folder``'s entries (a rename in it) to disk, where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename itself stands
    finally:
        os.close(fd)


def _mode(target: Path) -> int:
    try:
        return os.stat(target).st_mode & 0o777
    except OSError:
        return 0o666 & ~umask()


def umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
