"""Settings: TOML file, environment overrides, and start-up errors that name the key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

EXAMPLE = Path(__file__).parent.parent / "config.example.toml"


def test_defaults_need_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DUTYBOT_CONFIG", raising=False)
    settings = load_settings()
    assert settings.database.url.startswith("sqlite+aiosqlite:///")
    assert settings.site.locale == "zh_Hans"


def test_example_file_loads_and_documents_every_key() -> None:
    settings = load_settings(EXAMPLE)
    text = EXAMPLE.read_text(encoding="utf-8")
    for section, model in settings:
        assert f"[{section}]" in text, section
        for key in type(model).model_fields:
            assert f"\n{key} =" in text or f"\n# {key} =" in text, f"{section}.{key}"


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "dutybot.toml"
    config.write_text('[database]\nurl = "sqlite:///from-file.db"\n[telegram]\nmode = "webhook"\n')
    monkeypatch.setenv("DUTYBOT_DATABASE__URL", "postgresql://u@db/dutybot")
    settings = load_settings(config)
    assert settings.database.url == "postgresql+asyncpg://u@db/dutybot"
    assert settings.telegram.mode == "webhook"


def test_config_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[site]\ntimezone = "Europe/Berlin"\n')
    monkeypatch.setenv("DUTYBOT_CONFIG", str(config))
    assert load_settings().site.timezone == "Europe/Berlin"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[site]\ntimezone = "Mars/Olympus"\n', "site.timezone (env DUTYBOT_SITE__TIMEZONE)"),
        ('[database]\nurl = "mysql://x"\n', "database.url"),
        ('[telegram]\ntransport = "carrier-pigeon"\n', "telegram.transport"),
        ('[telegram]\ntokn = "x"\n', "telegram.tokn"),
        ('[site]\nlocale = "xx_YY_ZZ"\n', "site.locale"),
        ("[media\n", "not valid TOML"),
    ],
)
def test_a_wrong_value_names_the_key(tmp_path: Path, body: str, expected: str) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(body)
    with pytest.raises(ConfigError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        load_settings(config)


def test_wrong_environment_value_stops_start_up(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "current"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "DUTYBOT_MEDIA__MAX_FILE_BYTES": "-5"},
    )
    assert result.returncode == 2
    assert "media.max_file_bytes (env DUTYBOT_MEDIA__MAX_FILE_BYTES)" in result.stderr
