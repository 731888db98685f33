"""A new project file appears complete or not at all, and never replaces another's.

The project is built under a hidden temporary name in the target's folder and linked
to its final name only once it is committed. A killed build leaves only the hidden
file, which the next build for that name removes (when its process is gone); a build
that finds the name taken by another process's project leaves that project alone.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from reviewer.core.errors import ProjectError
from reviewer.store.db import remove_project_files
from reviewer.store.project import Project

T = TypeVar("T")
MARK = ".importing-"


class AlreadyCreated(ProjectError):
    """Another process created the project while this one was building it."""


def is_project_file(path: Path) -> bool:
    """Whether ``path`` holds something (an empty file stands for no project)."""
    try:
        return path.stat().st_size > 0 or path.is_dir()
    except FileNotFoundError:
        return False


def build_new(path: str | Path, fill: Callable[[Project], T]) -> T:
    """Create the project ``path`` with ``fill(project)``; it appears when ``fill`` returns.

    Raises :class:`AlreadyCreated` (nothing written) when ``path`` was created meanwhile.
    """
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise ProjectError(f"{path}: cannot create a project here (no folder {folder})")
    if not os.access(folder, os.W_OK):
        reason = ("read-only file system" if os.statvfs(folder).f_flag & os.ST_RDONLY
                  else "the folder is not writable")
        raise ProjectError(f"{path}: cannot create a project here ({reason})")
    remove_leftovers(path)
    with contextlib.suppress(FileNotFoundError):
        if path.is_file() and path.stat().st_size == 0:
            path.unlink()  # an empty file stands in for the project (``touch new.db``)
    temp = path.with_name(f".{path.name}{MARK}{os.getpid()}-{secrets.token_hex(4)}")
    try:
        project = Project(temp, create=True)
        project.unpublished = True
        try:
            result = fill(project)
            # Everything into the main file, so the one file that is linked holds it all.
            project.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            project.close()
        _fsync(temp)
        _publish(temp, path)
    finally:
        remove_project_files(temp)
    return result


def _publish(temp: Path, path: Path) -> None:
    try:
        os.link(temp, path)  # fails, rather than replaces, when the name is taken
    except FileExistsError:
        raise AlreadyCreated(f"{path}: created by another process meanwhile") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        # A file system without hard links: claim the name, then move the file onto it.
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            raise AlreadyCreated(f"{path}: created by another process meanwhile") from None
        os.replace(temp, path)
    _fsync(path.parent)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:  # some file systems cannot sync a folder
        if exc.errno not in (errno.EINVAL, errno.EBADF):
            raise
    finally:
        os.close(fd)


def remove_leftovers(path: Path) -> list[Path]:
    """Delete what killed builds of ``path`` left (their processes are gone); returns them."""
    pattern = os.path.join(glob.escape(str(path.parent)), f".{glob.escape(path.name)}{MARK}*")
    stems = set()
    for name in glob.glob(pattern):
        for suffix in ("-wal", "-shm", "-journal"):
            name = name.removesuffix(suffix)
        stems.add(name)
    removed = []
    for stem in sorted(stems):
        pid = stem.rsplit(MARK, 1)[1].partition("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            remove_project_files(stem)
            removed.append(Path(stem))
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
