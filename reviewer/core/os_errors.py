"""What a failed write means, in one line a user can act on."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from reviewer.core.errors import InputError

_MEANINGS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENAMETOOLONG: "the name is too long for the file system (at most 255 bytes a name)",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "is a folder; name a file to write (or pass the folder with --format)",
    errno.EEXIST: "already exists",
    errno.ELOOP: "is a symbolic link; reviewer does not write through links",
}


def os_meaning(exc: OSError) -> str | None:
    """What ``exc`` means for the user ("the disk is full"), or ``None`` for a rarer error."""
    return _MEANINGS.get(exc.errno or 0)


def write_error(exc: OSError, target: str | Path) -> InputError:
    """An :class:`InputError` naming the file ``exc`` is about (else ``target``) and why."""
    meaning = os_meaning(exc) or exc.strerror or str(exc)
    where = exc.filename
    if not where or (Path(os.fsdecode(where)).name.startswith(".")
                     and os.fsdecode(where).endswith(".part")):
        where = target  # a temporary file the user never named
    return InputError(where, f"cannot write: {meaning}")
