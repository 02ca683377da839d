"""Photos for a PDF: read once, turned upright, large ones scaled down; unreadable ones marked.

A JPEG no larger than :data:`MAX_SIDE` and already upright goes into the PDF as it is stored
(fpdf2 copies its bytes, no decoding); anything else is decoded, turned by its EXIF
orientation, scaled to :data:`MAX_SIDE` on its longer side and handed over as an image.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 1600  # pixels: about 270 dpi across half an A4 page
ORIENTATION = 0x0112  # the EXIF tag


@dataclass(frozen=True)
class Picture:
    """What the layout draws: a file path or a decoded image, or None when unreadable."""

    source: Path | Image.Image | None
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
                and image.mode in ("RGB", "L", "CMYK")
            ):
                return Picture(path, *image.size)
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return Picture(None)
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    if upright.mode not in ("RGB", "L", "RGBA", "LA"):
        upright = upright.convert("RGBA" if "A" in upright.getbands() else "RGB")
    return Picture(upright, *upright.size)
