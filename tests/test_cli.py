"""The `dutybot` admin commands speak the deployment's language; a bad value gets a clear answer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.cli import main


@pytest.fixture
def deployment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A deployment configured by environment only: its own database, default language."""
    for key in list(os.environ):
        if key.startswith("DUTYBOT_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("DUTYBOT_DATABASE__URL", f"sqlite:///{tmp_path / 'dutybot.db'}")
    monkeypatch.setenv("DUTYBOT_MEDIA__DIR", str(tmp_path / "media"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def dutybot(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_by_default_the_command_line_speaks_chinese(
    deployment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = dutybot(capsys, "site", "list")
    assert code == 2 and "还没有 dutybot 数据表" in err and "`dutybot db upgrade`" in err
    assert dutybot(capsys, "db", "upgrade")[1].startswith("已创建 dutybot 数据表")
    code, out, _ = dutybot(capsys, "site", "add", "HQ", "总部酒店")
    assert code == 0 and out.startswith("已添加场所 HQ(") and "Asia/Shanghai" in out
    code, _, err = dutybot(
        capsys, "staff", "add", "--telegram-id", "abc", "--name", "李伟", "--role", "guard"
    )
    assert code == 2 and err == "dutybot: --telegram-id 须为正整数,而不是“abc”。\n"
    code, _, err = dutybot(capsys, "run")
    assert code == 2 and "未设置机器人 token" in err and "DUTYBOT_TELEGRAM__TOKEN" in err
    with pytest.raises(SystemExit):
        main(["staff", "--help"])
    assert "撤销员工的使用权限" in capsys.readouterr().out


def test_bad_values_are_answered_in_english_where_the_deployment_says_so(
    deployment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DUTYBOT_SITE__LOCALE", "en")
    assert dutybot(capsys, "db", "upgrade")[1].startswith("The dutybot tables were created")
    wrong = {
        ("staff", "invite", "--role", "guard"): "No site yet: add one with `dutybot site add",
        ("site", "add", "B", "Branch", "--timezone", "Mars/Olympus"): "Unknown time zone “Mars",
        ("site", "add", "B", "Branch", "--locale", "fr"): "--locale takes one of zh_Hans, en,",
        ("staff", "revoke", "7"): "No staff member with id 7",
    }
    for args, message in wrong.items():
        code, _, err = dutybot(capsys, *args)
        assert code == 2 and err.startswith(f"dutybot: {message}"), (args, err)
    assert dutybot(capsys, "site", "add", "HQ", "HQ Hotel")[0] == 0
    wrong = {
        ("site", "add", "HQ", "Again"): "A site “HQ” exists already.",
        ("staff", "add", "--telegram-id", "42", "--name", "Li", "--role", "janitor"): (
            "Unknown role “janitor” (known: guard, foreman,"
        ),
        ("staff", "invite", "--role", "guard", "--hours", "0"): (
            "--hours takes a whole number from 1 to 720, not “0”."
        ),
        ("site", "set", "HQ", "large_value_threshold", "lots"): (
            "large_value_threshold takes a number, not “lots”."
        ),
        ("site", "set", "HQ", "no_such_key", "1"): "No playbook reads a setting “no_such_key”",
        ("site", "set", "XX", "large_value_threshold", "1"): "No site “XX”",
    }
    for args, message in wrong.items():
        code, _, err = dutybot(capsys, *args)
        assert code == 2 and err.startswith(f"dutybot: {message}"), (args, err)
    code, out, _ = dutybot(capsys, "site", "set", "HQ", "large_value_threshold", "5000")
    assert code == 0 and out == "HQ: large_value_threshold set to 5000.\n"


def test_listings_keep_their_columns_and_invites_end_with_the_link(
    deployment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dutybot(capsys, "db", "upgrade")
    dutybot(capsys, "site", "add", "HQ", "总部酒店")
    dutybot(capsys, "staff", "add", "--telegram-id", "42", "--name", "李伟", "--role", "guard")
    assert dutybot(capsys, "staff", "list")[1] == "1\t42\t李伟\tguard\t1\tactive\n"
    code, out, err = dutybot(capsys, "staff", "invite", "--role", "foreman", "--hours", "2")
    assert code == 0 and out.startswith("已为 HQ 创建 foreman 邀请,仅可使用一次")
    assert out.splitlines()[-1].startswith("/start ") and "bot_username" in err
    assert dutybot(capsys, "staff", "revoke", "1")[1].startswith("已撤销员工 李伟(编号 1)")
    assert dutybot(capsys, "staff", "list")[1].endswith("\trevoked\n")
