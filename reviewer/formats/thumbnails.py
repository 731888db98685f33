"""Small copies of a benchmark's images, as data URIs, for the one-file HTML report.

Images are decoded as the window decodes them (:mod:`reviewer.formats.image_decode`:
regular files only, Pillow's pixel limit kept), scaled down to fit
``REPORT_THUMBNAIL_BOX`` (:mod:`reviewer.core.limits`) and written again by Pillow:
greyscale as PNG, colour as JPEG. Nothing of the original file but its pixels reaches the
report.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

from reviewer.core.limits import REPORT_THUMBNAIL_BOX
from reviewer.formats.image_decode import decode_image

# Files a thumbnail is tried for; other media (audio) have none.
THUMBNAIL_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp")
_JPEG_QUALITY = 82


@dataclass(frozen=True, slots=True)
class Thumbnail:
    """An image scaled down and encoded for embedding: ``data:image/...;base64,...``."""

    uri: str
    width: int
    height: int


def has_thumbnail(path: str) -> bool:
    """Whether ``path`` names a file a thumbnail is made of (an image, by its suffix)."""
    return Path(path).suffix.lower() in THUMBNAIL_SUFFIXES


def thumbnail(path: str | Path, box: tuple[int, int] = REPORT_THUMBNAIL_BOX) -> Thumbnail:
    """The image ``path`` fitted into ``box`` (never enlarged) as a data URI.

    Raises :class:`~reviewer.core.errors.InputError` naming the file when it cannot be
    read as an image.
    """
    image, _size = decode_image(path, max(box))
    image.thumbnail(box)
    out = io.BytesIO()
    if image.mode == "L":
        image.save(out, "PNG", optimize=True)
        mime = "image/png"
    else:
        image.save(out, "JPEG", quality=_JPEG_QUALITY)
        mime = "image/jpeg"
    data = base64.b64encode(out.getvalue()).decode("ascii")
    return Thumbnail(f"data:{mime};base64,{data}", image.width, image.height)
