"""Helpers every reader shares: strict UTF-8 decoding, text files and media paths."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from reviewer.core.errors import InputError
from reviewer.formats.safe_read import open_regular

BOM = "\ufeff"
_SHOWN = 10  # how many missing media paths a warning lists before "and N more"


# Input files are read whole; this only keeps out what is no file at all.
_NO_SIZE_LIMIT = 1 << 50


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``; an unreadable file, or one that is not a regular file (a FIFO
    in a downloaded benchmark folder would block the import for ever), is an
    :class:`InputError`."""
    try:
        with open_regular(path, _NO_SIZE_LIMIT) as fh:
            return fh.read()
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror or exc}") from None


def decode_utf8(data: bytes, path: Path) -> str:
    """``data`` decoded as strict UTF-8, a leading byte-order mark dropped.

    Invalid bytes raise an :class:`InputError` naming the byte offset and line, so the
    user can find them; guessing another encoding would silently change the text.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            path,
            f"not valid UTF-8 at byte {exc.start} (0x{data[exc.start]:02x}); "
            "save the file as UTF-8",
            line=line,
        ) from None
    return text[1:] if text.startswith(BOM) else text


def text_lines(text: str) -> list[str]:
    """``text`` split at line feeds only, a carriage return before one dropped.

    Line-based formats (trn, stm, ctm, Kaldi, M2) end a line there; ``str.splitlines``
    would also split at U+000B, U+000C, U+001C-U+001E, U+0085, U+2028 and U+2029, which a
    transcript may hold.
    """
    return [line.removesuffix("\r") for line in text.split("\n")]


def read_text(path: Path) -> str:
    """A one-text file (``NAME.gt.txt``): UTF-8, BOM dropped, one final newline dropped."""
    text = decode_utf8(read_bytes(path), path)
    if text.endswith("\r\n"):
        return text[:-2]
    if text.endswith("\n"):
        return text[:-1]
    return text


def absolute_media(base: Path, value: str) -> str:
    """``value`` resolved against the folder ``base``, as an absolute POSIX path."""
    return Path(os.path.abspath(base / value)).as_posix()


def missing_media_warning(source: Path, media: Sequence[str]) -> str | None:
    """One warning listing the media paths that do not exist, or ``None`` if all do."""
    missing = [m for m in media if not os.path.exists(m)]
    if not missing:
        return None
    shown = ", ".join(missing[:_SHOWN])
    more = f" and {len(missing) - _SHOWN} more" if len(missing) > _SHOWN else ""
    return f"{source}: {len(missing)} media files do not exist: {shown}{more}"
