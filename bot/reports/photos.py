"""Photos for a PDF: read once, turned upright, large ones scaled down; unreadable ones marked.

A JPEG no larger than :data:`MAX_SIDE` and already upright goes into the PDF as it is stored
(fpdf2 copies its bytes, no decoding). Anything else is decoded (a large JPEG at a reduced
scale), turned by its EXIF orientation, scaled to :data:`MAX_SIDE` on its longer side, laid on
white if it has transparency and encoded as JPEG: fpdf2 would store a decoded image losslessly,
several megabytes a photo.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 1600  # pixels: about 270 dpi across half an A4 page
QUALITY = 85
ORIENTATION = 0x0112  # the EXIF tag


@dataclass(frozen=True)
class Picture:
    """What the layout draws: a JPEG file or JPEG bytes, or None when unreadable."""

    source: Path | io.BytesIO | None
    width: int = 0
    height: int = 0


def load(path: Path) -> Picture:
    try:
        with Image.open(path) as image:
            orientation = image.getexif().get(ORIENTATION, 1)
            if (
                image.format == "JPEG"
                and orientation == 1
                and max(image.size) <= MAX_SIDE
                and image.mode in ("RGB", "L")
            ):
                return Picture(path, *image.size)
            if image.format == "JPEG":
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode at 1/2, 1/4… of the size
            image.load()
            picture = _prepared(ImageOps.exif_transpose(image))
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return Picture(None)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=QUALITY)
    buffer.seek(0)
    return Picture(buffer, *picture.size)


def _prepared(image: Image.Image) -> Image.Image:
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if image.mode in ("RGB", "L"):
        return image
    if "A" in image.getbands() or image.mode == "P":
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")
