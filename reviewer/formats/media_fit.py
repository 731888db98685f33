"""Whether a benchmark's media files suit its task kind: images for text, kern and label,
recordings for asr.

A file is judged by its suffix; files with other suffixes (or none) are not judged. When no
judged file suits the kind (an OCR table imported as asr: its PNGs cannot be played), the
import is refused with a message naming the column, an example file and the kind that
fits; when only some do, the others are named in a warning and the import goes on.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Literal

from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.formats.folders import IMAGE_SUFFIXES
from reviewer.formats.speech import AUDIO_SUFFIXES

MediaType = Literal["image", "audio"]

# What the window does with an item's media, per kind; kinds not listed have no media.
KIND_MEDIA: dict[str, MediaType] = {"text": "image", "kern": "image", "label": "image",
                                    "asr": "audio"}
_VERB: dict[MediaType, str] = {"image": "show", "audio": "play"}
_NOUN: dict[MediaType, str] = {"image": "images", "audio": "audio files"}
_ONE: dict[MediaType, str] = {"image": "image", "audio": "audio file"}
# Image formats the window's image dock reads besides the line images folders are searched for.
_MORE_IMAGES = (".gif", ".bmp", ".webp", ".jp2", ".pbm", ".pgm", ".ppm")
_KERN_STARTS = ("**kern", "**ekern")


def media_type(path: str) -> MediaType | None:
    """``image`` or ``audio`` by the suffix of ``path``; ``None`` when the suffix says neither."""
    suffix = PurePosixPath(path.replace("\\", "/")).suffix.lower()
    if suffix in AUDIO_SUFFIXES:
        return "audio"
    if suffix in IMAGE_SUFFIXES or suffix in _MORE_IMAGES:
        return "image"
    return None


def check_media(kind: str, items: Sequence[Item], source: Path,
                column: str | None = None) -> list[str]:
    """Warnings about media that do not suit ``kind``; raises :class:`InputError` when none do.

    ``column`` is the table column the media came from (``None``: another source).
    """
    wanted = KIND_MEDIA.get(kind)
    if wanted is None:
        return []
    judged = [(m, t) for item in items if (m := item.media) and (t := media_type(m))]
    wrong = [(m, t) for m, t in judged if t != wanted]
    if not wrong:
        return []
    example, other = wrong[0]
    where = f"the media column {column!r} holds" if column else "the items' media files are"
    fits = _fitting_kind(other, items)
    if len(wrong) == len(judged):
        other_column = ", or choose another media column with --media-col" if column else ""
        raise InputError(source, f"{where} {_NOUN[other]} (for example "
                         f"{_shown(example, source)}), which the {kind} kind cannot "
                         f"{_VERB[wanted]}; {_NOUN[other]} suit the {fits} kind: import with "
                         f"--kind {fits}{other_column}")
    where = f"the media column {column!r} holds" if column else "the items' media hold"
    return [f"{source}: {where} {_count(len(wrong), other)} among {len(judged):,} "
            f"media files (for example {_shown(example, source)}), which the {kind} kind "
            f"cannot {_VERB[wanted]}; {_NOUN[other]} suit the {fits} kind"]


def _count(n: int, media: MediaType) -> str:
    """``1 image``, ``3 audio files``."""
    return f"{n:,} {_NOUN[media] if n != 1 else _ONE[media]}"


def _fitting_kind(media: MediaType, items: Sequence[Item]) -> str:
    """The kind a benchmark whose media are ``media`` most likely is."""
    if media == "audio":
        return "asr"
    sample = [item.reference.lstrip() for item in items[:20]]
    if sample and all(ref.startswith(_KERN_STARTS) for ref in sample):
        return "kern"
    return "text"


def _shown(media: str, source: Path) -> str:
    """``media`` as the source names it: relative to the source folder, or to the table's
    folder, where it is inside."""
    folder = os.path.abspath(source if source.is_dir() else source.parent)
    inside = os.path.commonpath([folder, os.path.abspath(media)]) == folder
    return Path(os.path.relpath(media, folder)).as_posix() if inside else media
