"""Reading a file a benchmark names (an image, a recording) without letting it hang or flood us.

A media path may name a FIFO, a device or a socket, where a plain ``open`` or ``read`` waits
for ever, or a file far larger than any page image. Files are opened without blocking,
accepted only when they are regular files under a size limit, and read with a deadline
checked between blocks. A read that blocks inside one system call (a hung network share)
is not interrupted; everything reviewer can see beforehand is refused.
"""

from __future__ import annotations

import io
import os
import stat
import time
from pathlib import Path
from typing import BinaryIO

from reviewer.core.errors import InputError
from reviewer.core.limits import MEDIA_READ_SECONDS, MIB

_BLOCK = 4 * MIB
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def _what(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _size(n: int) -> str:
    return f"{n / MIB:,.0f} MB" if n >= MIB else f"{n:,} bytes"


def open_regular(path: str | Path, limit: int) -> BinaryIO:
    """``path`` opened for reading in binary, if it is a regular file of at most ``limit`` bytes.

    Raises :class:`InputError` naming the file otherwise (missing, a FIFO or device, too
    large, unreadable). Symbolic links are followed: what matters is what they point to.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as exc:  # a socket gives ENXIO here
        raise InputError(path, f"cannot open it: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, f"it is {_what(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise InputError(path, f"it is {_size(info.st_size)}, more than the limit of "
                             f"{_size(limit)}")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | Path, limit: int, seconds: float = MEDIA_READ_SECONDS) -> bytes:
    """The bytes of the regular file ``path`` (see :func:`open_regular`), read in ``seconds``."""
    deadline = Deadline(path, seconds)
    out = io.BytesIO()
    with open_regular(path, limit) as fh:
        while chunk := fh.read(_BLOCK):
            out.write(chunk)
            if out.tell() > limit:  # the file grew since it was measured
                raise InputError(path, f"it grew past the limit of {_size(limit)}")
            deadline.check()
    return out.getvalue()


class Deadline:
    """A time limit on reading one file; :meth:`check` raises once it has passed."""

    def __init__(self, path: str | Path, seconds: float) -> None:
        self.path, self.seconds = path, seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise InputError(self.path, f"reading it took longer than {self.seconds:g} s")



def regular_file_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot be read as media, or ``None`` when it is a regular file.

    The reason is ``"no such file"`` for a missing file. Looks without opening, so a FIFO
    is never waited on.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:
        return f"cannot open it: {exc.strerror or exc}"
    if not stat.S_ISREG(info.st_mode):
        return f"it is {_what(info.st_mode)}, not a regular file"
    return None
