"""Photos go into a PDF as JPEG: stored ones as they are, others turned, scaled, re-encoded."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from bot.reports.photos import MAX_SIDE, load
from tests.reports import samples


def test_an_upright_jpeg_of_a_fair_size_is_used_as_stored(tmp_path: Path) -> None:
    photo = samples.photo_files(tmp_path, 1)[0]
    assert load(photo.path).source == photo.path


def test_large_turned_or_transparent_photos_become_jpeg_bytes(tmp_path: Path) -> None:
    big = tmp_path / "big.jpg"
    Image.new("RGB", (4000, 3000), (10, 120, 200)).save(big, "JPEG")
    turned, transparent = samples.photo_files(tmp_path / "media", 3)[2:0:-1]
    for path, size in (
        (big, (1600, 1200)),
        (turned.path, (480, 640)),
        (transparent.path, (640, 480)),
    ):
        picture = load(path)
        assert isinstance(picture.source, io.BytesIO)
        with Image.open(picture.source) as image:
            assert (image.format, image.size) == ("JPEG", size)
            assert max(image.size) <= MAX_SIDE
        assert (picture.width, picture.height) == size


def test_what_is_not_a_photo_is_marked_unreadable(tmp_path: Path) -> None:
    junk = tmp_path / "junk"
    junk.write_bytes(b"%PDF-1.7 not an image")
    assert load(junk).source is None
    assert load(tmp_path / "absent").source is None
