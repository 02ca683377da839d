"""Catalogs: complete, compiled, in step with the code; formatting in the site's zone."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from bot.i18n import Catalogs, default_locales_dir, normalize_locale

ROOT = Path(__file__).parent.parent
LOCALES = default_locales_dir()
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def catalog(lang: str) -> object:
    with open(LOCALES / lang / "LC_MESSAGES" / "dutybot.po", "rb") as handle:
        return read_po(handle)


def test_template_is_in_step_with_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_",
            "-k",
            "N_",
            "-k",
            "n_:1,2",
            "--no-location",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    with open(fresh, "rb") as handle:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    with open(LOCALES / "dutybot.pot", "rb") as handle:
        committed = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert extracted == committed, "run: bash scripts/i18n.sh"


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_every_message_is_in_each_catalog(lang: str) -> None:
    with open(LOCALES / "dutybot.pot", "rb") as handle:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(lang) if m.id}  # type: ignore[attr-defined]
    assert template <= ids


def test_chinese_is_complete_and_keeps_placeholders() -> None:
    for message in catalog("zh_Hans"):  # type: ignore[attr-defined]
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        text = message.string if isinstance(message.string, str) else message.string[0]
        assert text, f"untranslated: {source!r}"
        assert not message.fuzzy, f"fuzzy: {source!r}"
        assert set(PLACEHOLDER.findall(source)) == set(PLACEHOLDER.findall(text)), source


def _pairs(messages: object) -> dict[object, object]:
    def key(value: object) -> object:
        return value if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]

    def filled(value: object) -> bool:
        return bool(value) if isinstance(value, str) else any(value)  # type: ignore[arg-type]

    return {key(m.id): key(m.string) for m in messages if m.id and filled(m.string)}  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_compiled_catalogs_match_their_sources(lang: str) -> None:
    with open(LOCALES / lang / "LC_MESSAGES" / "dutybot.mo", "rb") as handle:
        compiled = _pairs(read_mo(handle))
    assert compiled == _pairs(catalog(lang)), "run: bash scripts/i18n.sh compile"


def test_translator_speaks_chinese_and_formats_in_the_site_zone() -> None:
    tr = Catalogs().translator("zh-hans", "Asia/Shanghai")
    assert tr._("Step {n} of {total}", n=4, total=10) == "第 4 步,共 10 步"
    assert tr.n_("{n} photo", "{n} photos", 3) == "3 张照片"
    moment = datetime(2026, 3, 5, 14, 7, 9, tzinfo=UTC)
    assert tr.datetime(moment) == "2026年3月5日 22:07:09"
    assert tr.duration(timedelta(minutes=90)) == "1小时30分钟"
    assert tr.duration(timedelta(days=2, minutes=5)) == "2天5分钟"
    english = Catalogs().translator("en-US", "Europe/London")
    assert english.datetime(moment) == "Mar 5, 2026, 2:07:09\u202fPM"
    assert english.n_("{n} photo", "{n} photos", 1) == "1 photo"
    assert english.duration(timedelta(minutes=90)) == "1 hour 30 minutes"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("zh-hans", "zh_Hans"),
        ("zh_CN", "zh_Hans"),
        ("en-GB", "en"),
        ("fr", "zh_Hans"),
        (None, "zh_Hans"),
    ],
)
def test_locale_codes_from_clients(code: str | None, expected: str) -> None:
    assert normalize_locale(code) == expected
