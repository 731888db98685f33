"""Decoding a benchmark's image for display, safely: the window's image dock and the report's
thumbnails both read images through :func:`decode_image`.

Only a regular file of at most ``MAX_IMAGE_BYTES`` is read (a FIFO or a device would block
for ever), and Pillow's decompression-bomb limit (``Image.MAX_IMAGE_PIXELS``) is kept:
larger images are refused with the reason, never decoded.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image, ImageOps

from reviewer.core.errors import InputError
from reviewer.core.limits import MAX_IMAGE_BYTES
from reviewer.formats.safe_read import read_regular


def decode_image(path: str | Path, max_side: int) -> tuple[Image.Image, tuple[int, int]]:
    """``path`` decoded as an RGB or greyscale image of at most ``max_side`` px a side,
    turned as its EXIF data says, with the file's own pixel size.

    Raises :class:`InputError` naming the file and what is wrong: missing, not a regular
    file, too large, more pixels than Pillow's limit, or not an image Pillow can read.
    """
    if not os.path.exists(path):
        raise InputError(path, "not found")
    raw = read_regular(path, MAX_IMAGE_BYTES)
    try:
        with Image.open(io.BytesIO(raw)) as opened:
            size = opened.size
            limit = Image.MAX_IMAGE_PIXELS
            if limit is not None and size[0] * size[1] > limit:
                raise InputError(path, f"{size[0]}×{size[1]} pixels is more than the "
                                 f"{limit:,}-pixel limit for images")
            opened.draft("RGB", (max_side, max_side))  # JPEG decodes at a reduced scale
            image = ImageOps.exif_transpose(opened)
            image.thumbnail((max_side, max_side))
            return displayable(image), size
    except InputError:
        raise
    # Untrusted files make Pillow raise many kinds of errors; each becomes a message.
    except Exception as exc:
        raise InputError(path, str(exc) or type(exc).__name__) from None


def displayable(image: Image.Image) -> Image.Image:
    """``image`` as 8-bit greyscale (``L``) or ``RGB``, transparency composed on white."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        return image.convert("I").point(lambda v: v / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if image.mode in ("1", "L"):
        return image.convert("L")
    return image.convert("RGB")
