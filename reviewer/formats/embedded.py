"""Files embedded in Parquet tables: dataset hubs store each image as a struct of bytes.

Such cells are written once to a folder beside the table (``<table>_images/``) and replaced
by the absolute path of the file, so every kind's reader and the window see an ordinary
media path.

The table comes from elsewhere, and so may the folder: files are created only inside a real
folder (never through a symbolic link shipped in its place), with ``O_EXCL | O_NOFOLLOW``, so
reviewer never writes through a link to a file outside it. A file already there with the
same bytes is kept; one with other bytes is replaced by a rename, never overwritten. The
files a read created are listed, so that a failing import removes them, and only them
(:func:`discard`).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from reviewer.core.errors import InputError
from reviewer.core.limits import MAX_EMBEDDED_BYTES
from reviewer.formats.tableparse import Table

_STRUCT_START = '{"bytes"'
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")
_MAX_NAME = 120  # characters of the struct's own file name kept


def with_embedded_files(path: Path, table: Table, created: list[Path] | None = None) -> Table:
    """``table`` with every embedded-file cell replaced by the path of the file written.

    Each file this call creates is appended to ``created`` (and the folder, when it made
    it); when the call fails, they are removed again.
    """
    columns = [k for k in range(len(table.header))
               if any((cells[k] or "").startswith(_STRUCT_START) for _, cells in table.rows)]
    if not columns:
        return table
    import pandas as pd

    names = [table.header[k] for k in columns]
    try:
        frame = pd.read_parquet(path, columns=names)
    except Exception as exc:
        raise InputError(path, f"cannot read the columns {', '.join(names)}: {exc}") from None
    mine: list[Path] = []
    rows = [(number, list(cells)) for number, cells in table.rows]
    with _Folder(Path(os.path.abspath(path)).with_name(f"{path.stem}_images"), path) as folder:
        try:
            for k, name in zip(columns, names, strict=True):
                for (number, cells), value in zip(rows, frame[name].tolist(), strict=True):
                    cells[k] = _file_for(value, folder, number, cells[k], mine)
            if folder.made:
                mine.append(folder.path)
        except BaseException:
            discard(mine)
            folder.remove_if_made()
            raise
    if created is not None:
        created.extend(mine)
    return Table(table.header, [(n, c) for n, c in rows], by_line=table.by_line)


def discard(paths: Iterable[str | Path]) -> None:
    """Remove what an import extracted (a failed or cancelled import): its files, and the
    folders it made once they are empty."""
    folders: list[str | Path] = []
    for path in paths:
        if os.path.isdir(path) and not os.path.islink(path):
            folders.append(path)
            continue
        with contextlib.suppress(OSError):
            os.unlink(path)
    for folder in folders:
        with contextlib.suppress(OSError):
            os.rmdir(folder)  # only an empty folder: anything else put there stays


@contextlib.contextmanager
def removed_on_failure(files: list[Path]) -> Iterator[list[Path]]:
    """Yield ``files``; if the block fails, :func:`discard` what it holds by then."""
    try:
        yield files
    except BaseException:
        discard(files)
        raise


class _Folder:
    """``<table>_images``, opened as a directory that is not a symbolic link."""

    def __init__(self, path: Path, table: Path) -> None:
        self.path, self.table = path, table
        self.made = False
        self.fd = -1

    def __enter__(self) -> _Folder:
        try:
            info = os.lstat(self.path)
        except FileNotFoundError:
            self._mkdir()
        except OSError as exc:
            raise self.error(f"cannot use it: {exc.strerror or exc}") from None
        else:
            if stat.S_ISLNK(info.st_mode):
                raise self.error("it is a symbolic link; reviewer writes the table's embedded "
                                 "files only into a folder of its own (remove the link)")
            if not stat.S_ISDIR(info.st_mode):
                raise self.error("it is not a folder (remove it or move the table)")
        try:
            self.fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW)
        except OSError as exc:
            raise self.error(f"cannot open it: {exc.strerror or exc}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)

    def _mkdir(self) -> None:
        try:
            os.mkdir(self.path)
        except OSError as exc:
            raise self.error(f"cannot create it: {exc.strerror or exc}") from None
        self.made = True

    def remove_if_made(self) -> None:
        if self.made:
            with contextlib.suppress(OSError):
                os.rmdir(self.path)

    def error(self, message: str, record: str | None = None) -> InputError:
        return InputError(self.path, f"cannot write the embedded files of {self.table}: "
                          f"{message}", record=record)

    def write(self, name: str, data: bytes) -> bool:
        """Create ``name`` holding ``data``; ``False`` when it was there already.

        A regular file with other bytes (the table changed) is replaced by renaming a new
        file over it; a symbolic link or anything else in the way is refused. Nothing is
        ever written through a link.
        """
        if self._create(name, data, exclusive_only=True):
            return True
        found = self._holds(name, data)
        if found == "same":
            return False
        if found == "other":
            raise self.error("a symbolic link or something not a regular file is in the way "
                             "(remove it)", record=name)
        spare = f".{name}.{os.getpid()}.part"
        self._create(spare, data)
        try:
            os.replace(spare, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(spare, dir_fd=self.fd)
            raise self.error(exc.strerror or str(exc), record=name) from None
        return False

    def _create(self, name: str, data: bytes, exclusive_only: bool = False) -> bool:
        """Create ``name`` (``O_EXCL | O_NOFOLLOW``) holding ``data``; ``False`` if it exists
        and ``exclusive_only``."""
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o666,
                         dir_fd=self.fd)
        except FileExistsError:
            if exclusive_only:
                return False
            raise self.error("a file is in the way", record=name) from None
        except OSError as exc:
            raise self.error(exc.strerror or str(exc), record=name) from None
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=self.fd)
            raise self.error(exc.strerror or str(exc), record=name) from None
        return True

    def _holds(self, name: str, data: bytes) -> str:
        """``"same"``: ``name`` is a regular file with exactly ``data``; ``"different"``: a
        regular file with other bytes; ``"other"``: a link, a folder, a FIFO..."""
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW, dir_fd=self.fd)
        except OSError:  # a symbolic link (ELOOP) or worse
            return "other"
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                return "other"
            same = info.st_size == len(data) and fh.read(len(data) + 1) == data
            return "same" if same else "different"


def _file_name(value: dict[str, Any], number: int) -> str:
    """A plain file name for the cell in row ``number``: the row, then the struct's name."""
    own = _UNSAFE.sub("_", str(value.get("path") or "").replace("\\", "/").rsplit("/", 1)[-1])
    if own in ("", ".", ".."):
        own = f"row_{number}.png"
    if len(own) > _MAX_NAME:
        stem, dot, suffix = own.rpartition(".")
        own = (stem[:_MAX_NAME - len(suffix) - 1] + dot + suffix if dot and len(suffix) < 16
               else own[:_MAX_NAME])
    return f"{number:06d}_{own}"


def _file_for(value: Any, folder: _Folder, number: int, cell: str | None,
              created: list[Path]) -> str | None:
    """The path standing for one cell: the written file, the struct's own path, or the cell."""
    if not isinstance(value, dict):
        return cell
    data = value.get("bytes")
    if isinstance(data, bytes | bytearray) and data:
        name = _file_name(value, number)
        if len(data) > MAX_EMBEDDED_BYTES:
            raise InputError(folder.table, f"row {number}: an embedded file of "
                             f"{len(data) / (1 << 20):,.0f} MB is more than the limit of "
                             f"{MAX_EMBEDDED_BYTES >> 20} MB")
        target = folder.path / name
        if folder.write(name, bytes(data)):
            created.append(target)
        return target.as_posix()
    return str(value["path"]) if value.get("path") else None
