"""Settings: TOML file, environment overrides, and start-up errors that name the key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.config import ConfigError, load_settings

EXAMPLE = Path(__file__).parent.parent / "config.example.toml"


def test_defaults_need_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DUTYBOT_CONFIG", raising=False)
    settings = load_settings()
    assert settings.database.url.startswith("sqlite:///")
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
    assert settings.database.url == "postgresql+psycopg://u@db/dutybot"
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
    # No language configured: the default, Chinese.
    assert result.stderr == (
        "dutybot: 配置无效:\n"
        "  media.max_file_bytes（环境变量 DUTYBOT_MEDIA__MAX_FILE_BYTES）:须大于 0,而不是 -5\n"
    )


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for key in list(os.environ):
        if key.upper().startswith("DUTYBOT_"):
            monkeypatch.delenv(key)
    return monkeypatch


def test_only_the_supported_languages_are_accepted(tmp_path: Path, clean_env: Any) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[site]\nlocale = "fr"\n')
    with pytest.raises(ConfigError) as refused:
        load_settings(config)
    assert str(refused.value) == (
        f"invalid configuration in {config}:\n"
        "  site.locale (env DUTYBOT_SITE__LOCALE): only zh_Hans and en are supported "
        "(zh for zh_Hans), not “fr”"
    )
    config.write_text('[site]\nlocale = "zh"\n')
    assert load_settings(config).site.locale == "zh_Hans"
    clean_env.setenv("DUTYBOT_SITE__LOCALE", "fr_FR")
    with pytest.raises(ConfigError, match=r"site.locale .env DUTYBOT_SITE__LOCALE.: only zh_Hans"):
        load_settings(config)
    clean_env.setenv("DUTYBOT_SITE__LOCALE", "EN")
    assert load_settings(config).site.locale == "en"


def test_an_unknown_key_gets_the_nearest_one_and_no_invented_variable(
    tmp_path: Path, clean_env: Any
) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[site]\ntimzone = "UTC"\n[telegarm]\ntoken = "x"\n[media]\nsize = 1\n')
    with pytest.raises(ConfigError) as refused:
        load_settings(config)
    message = str(refused.value)
    assert sorted(message.splitlines()[1:]) == [
        "  [telegarm]: no such section; did you mean [telegram]?",
        "  media.size: no such setting (known: dir, max_file_bytes)",
        "  site.timzone: no such setting; did you mean timezone?",
    ]
    assert "Extra inputs" not in message and "DUTYBOT_SITE__TIMZONE" not in message
    config.write_text("")
    clean_env.setenv("DUTYBOT_TELEGRAM__TOKN", "123:abc")
    with pytest.raises(ConfigError) as refused:
        load_settings(config)
    assert str(refused.value).splitlines()[1] == (
        "  DUTYBOT_TELEGRAM__TOKN: no such setting; did you mean DUTYBOT_TELEGRAM__TOKEN?"
    )


@pytest.mark.parametrize(
    ("body", "env", "expected"),
    [
        # The configured language, though another key is wrong.
        ('[site]\nlocale = "en"\ntimzone = "UTC"\n', {}, "  site.timzone: no such setting; did"),
        ('[site]\ntimzone = "UTC"\n', {"DUTYBOT_SITE__LOCALE": "en"}, "  site.timzone: no such"),
        # None configured: the default language.
        ('[site]\ntimzone = "UTC"\n', {}, "  site.timzone:没有这个设置项;是不是 timezone?"),
        ('[telegram]\nmode = "push"\n', {}, "须为 polling / webhook 之一,而不是“push”"),
        # One that cannot be used: English, naming it.
        ('[site]\nlocale = "fr"\n', {}, "  site.locale (env DUTYBOT_SITE__LOCALE): only zh_Hans"),
        ("[site\n", {"DUTYBOT_SITE__LOCALE": "zh_Hans"}, "不是有效的 TOML"),
        ("[site\n", {}, "not valid TOML"),
    ],
)
def test_configuration_errors_speak_the_deployment_language(
    tmp_path: Path,
    clean_env: Any,
    capsys: pytest.CaptureFixture[str],
    body: str,
    env: dict[str, str],
    expected: str,
) -> None:
    from bot.cli import main

    config = tmp_path / "c.toml"
    config.write_text(body)
    for key, value in env.items():
        clean_env.setenv(key, value)
    assert main(["--config", str(config), "db", "current"]) == 2
    err = capsys.readouterr().err
    assert expected in err, err
    assert "Extra inputs are not permitted" not in err and "Input should" not in err
