"""Item ids as file names: computed, never taken (issue 14).

An id becomes a relative POSIX path (a *stem*; the writer adds suffixes such as
``.gt.txt``) by these rules:

- ``/`` separates folders when every part is a real name; an id with an empty part
  (leading, doubled or trailing ``/``) or more than :data:`MAX_DEPTH` parts is written
  as one flat name with its slashes encoded.
- Inside a part, ``%``, ``\\``, control characters, the characters Windows refuses
  (``<>:"|?*``), a leading ``.`` (so ``.``, ``..`` and hidden names cannot occur), a
  trailing ``.`` or space, and the first letter of a Windows device name (``CON``,
  ``NUL``, ``COM1``, ...) are percent-encoded as their UTF-8 bytes (``%2E``). Decoding
  every ``%XX`` gives the id back.
- A part too long for the file system (255 bytes with the longest suffix), a path
  longer than :data:`MAX_PATH_BYTES`, or a name that would clash with another item's
  file or folder on a case-insensitive or Unicode-normalising file system, becomes
  ``<start of the encoded id>%~<16 hex digits of the id's SHA-256>`` at the top level.
  ``%~`` never comes out of the encoding above, so such a name is told apart at once;
  the export's manifest records every id's file either way.
"""

from __future__ import annotations

import hashlib
import posixpath
import unicodedata
from collections.abc import Iterable, Sequence

MAX_DEPTH = 8
MAX_PART_BYTES = 255
MAX_PATH_BYTES = 1024
_HASH_MARK = "%~"
_UNSAFE = frozenset('%\\<>:"|?*')
_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                      *(f"COM{n}" for n in "0123456789¹²³"),
                      *(f"LPT{n}" for n in "0123456789¹²³")})


def _escape(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))


def _unsafe(char: str) -> bool:
    code = ord(char)
    return char in _UNSAFE or code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF


def encode_part(part: str, *, slash: bool = False) -> str:
    """One file-name part for ``part``, with the unsafe characters percent-encoded.

    ``slash``: also encode ``/`` (a flat name standing for a whole id).
    """
    chars = [_escape(c) if _unsafe(c) or (slash and c == "/") else c for c in part]
    if chars and chars[0] == ".":
        chars[0] = _escape(".")
    if chars and chars[-1] in (".", " "):
        chars[-1] = _escape(chars[-1])
    if part.split(".")[0].rstrip(" ").upper() in _DEVICES and chars:
        chars[0] = _escape(part[0])
    return "".join(chars)


def encode_id(item_id: str) -> str:
    """``item_id`` as a relative path by the reversible rules above (no length limits)."""
    parts = item_id.split("/")
    if len(parts) > MAX_DEPTH or any(p == "" for p in parts):
        return encode_part(item_id, slash=True)
    return "/".join(encode_part(p) for p in parts)


def hashed_name(item_id: str, room: int) -> str:
    """A flat name for ``item_id`` that fits in ``room`` bytes: a readable start and a hash."""
    digest = hashlib.sha256(item_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    tail = _HASH_MARK + digest
    start = encode_part(item_id, slash=True)
    budget = max(room - len(tail), 0)
    cut = start.encode("utf-8")[:budget].decode("utf-8", "ignore")
    # Never cut an escape in half: a dangling "%X" would read as a different character.
    if (pos := cut.rfind("%")) >= 0 and pos >= len(cut) - 2:
        cut = cut[:pos]
    return cut.rstrip(". ") + tail


def _fits(stem: str, room: int) -> bool:
    if not stem:  # the empty id
        return False
    parts = stem.split("/")
    if len(stem.encode("utf-8")) + MAX_PART_BYTES - room > MAX_PATH_BYTES:
        return False
    return all(len(p.encode("utf-8")) <= MAX_PART_BYTES for p in parts[:-1]) \
        and len(parts[-1].encode("utf-8")) <= room


def _key(path: str) -> str:
    """Two names with one key may be one file on some file system (case, Unicode form)."""
    return unicodedata.normalize("NFC", path).casefold()


def file_stems(ids: Iterable[str], suffixes: Sequence[str],
               reserved: Iterable[str] = ()) -> dict[str, str]:
    """Each id's stem: distinct, safe file names once any of ``suffixes`` is added.

    ``reserved`` are names the writer uses itself at the top level (the manifest).
    Ids must be distinct; two ids never get stems whose files or folders clash.
    """
    longest = max((len(s.encode("utf-8")) for s in suffixes), default=0)
    room = MAX_PART_BYTES - longest
    files: set[str] = {_key(r) for r in reserved}
    folders: set[str] = set()
    out: dict[str, str] = {}
    for item_id in ids:
        stem = encode_id(item_id)
        if not _fits(stem, room) or _clashes(stem, suffixes, files, folders):
            stem = hashed_name(item_id, room)
            while _clashes(stem, suffixes, files, folders):  # a hash prefix collision
                stem = hashed_name(stem + item_id, room)
        _take(stem, suffixes, files, folders)
        out[item_id] = stem
    return out


def _parents(stem: str) -> list[str]:
    parts = stem.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts))]


def _clashes(stem: str, suffixes: Sequence[str], files: set[str], folders: set[str]) -> bool:
    names = {_key(stem + s) for s in suffixes}
    parents = {_key(p) for p in _parents(stem)}
    return bool(names & (files | folders) or parents & files)


def _take(stem: str, suffixes: Sequence[str], files: set[str], folders: set[str]) -> None:
    files.update(_key(stem + s) for s in suffixes)
    folders.update(_key(p) for p in _parents(stem))


def is_plain_relative(path: str) -> bool:
    """Whether ``path`` is relative and stays below its folder (no ``..``, no empty part)."""
    if not path or posixpath.isabs(path) or "\\" in path or "\0" in path:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))
