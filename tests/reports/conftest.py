"""Readers in both languages, photos made once per module, warnings that fail the test."""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator
from io import BytesIO

import pytest
from pypdf import PdfReader

from bot.i18n import Catalogs, Translator
from bot.reports.models import Photo
from tests.reports import samples


@pytest.fixture(scope="session")
def zh() -> Translator:
    return Catalogs().translator("zh_Hans", "Asia/Shanghai")


@pytest.fixture(scope="session")
def en() -> Translator:
    return Catalogs().translator("en", "Europe/London")  # the record's zone wins


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> tuple[Photo, ...]:
    return tuple(samples.photo_files(tmp_path_factory.mktemp("media"), 4))


@pytest.fixture
def strict(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Any warning (a missing glyph, a font not found) fails the test, logged ones included."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with caplog.at_level(logging.WARNING):
            yield
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert not logged, logged


def text_of(pdf: bytes, *, chrome: str = "") -> str:
    """All the PDF's text, whitespace removed (lines wrap anywhere in Chinese), without what
    matches ``chrome`` (a page's running header and footer)."""
    reader = PdfReader(BytesIO(pdf))
    pages = (squeeze(page.extract_text()) for page in reader.pages)
    return "".join(re.sub(chrome, "", page) if chrome else page for page in pages)


def squeeze(text: str) -> str:
    return "".join(text.split())
