"""The `dutybot` admin commands speak the deployment's language; a bad value gets a clear answer."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.staff import invites
from bot.storage.db import Database


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
    assert code == 1 and "还没有 dutybot 数据表" in err and "`dutybot db upgrade`" in err
    assert dutybot(capsys, "db", "upgrade")[1].startswith("已创建 dutybot 数据表")
    code, out, _ = dutybot(capsys, "site", "add", "HQ", "总部酒店")
    assert code == 0 and out.startswith("已添加场所 HQ（") and "Asia/Shanghai" in out
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


def test_listings_are_tables_for_people_and_tsv_or_json_for_scripts(
    deployment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dutybot(capsys, "db", "upgrade")
    assert dutybot(capsys, "staff", "list")[1] == (
        "还没有员工:请用 `dutybot staff add` 添加,或用 `dutybot staff invite` 邀请。\n"
    )
    assert dutybot(capsys, "staff", "requests")[1] == "没有待处理的访问申请。\n"
    dutybot(capsys, "site", "add", "HQ", "总部酒店")
    dutybot(capsys, "site", "set", "HQ", "large_value_threshold", "5000")
    code, out, _ = dutybot(
        capsys, "staff", "add", "--telegram-id", "42", "--name", "李伟", "--role", "guard",
        "--role", "foreman", "--locale", "en",
    )  # fmt: skip
    assert code == 0 and "岗位 领班、保安员" in out
    assert dutybot(capsys, "staff", "list")[1].splitlines() == [
        "编号  Telegram id  姓名  岗位          场所  语言     状态",
        "----  -----------  ----  ------------  ----  -------  ----",
        "1     42           李伟  领班、保安员  HQ    English  有效",
    ]
    assert dutybot(capsys, "site", "list")[1].splitlines() == [
        "代码  名称      时区           语言  参数",
        "----  --------  -------------  ----  ----------------------------",
        "HQ    总部酒店  Asia/Shanghai  中文  large_value_threshold = 5000",
    ]
    assert dutybot(capsys, "staff", "list", "--format", "tsv")[1] == (
        "id\ttelegram_id\tname\troles\tsite\tlocale\tstate\n"
        "1\t42\t李伟\tforeman,guard\tHQ\ten\tactive\n"
    )
    [site] = json.loads(dutybot(capsys, "site", "list", "--format", "json")[1])
    assert site == {
        "code": "HQ",
        "name": "总部酒店",
        "timezone": "Asia/Shanghai",
        "locale": "zh_Hans",
        "settings": {"large_value_threshold": 5000},
    }
    code, _, err = dutybot(capsys, "staff", "list", "--format", "csv")
    assert code == 2 and err == "dutybot: --format 须为 table、tsv、json 之一,而不是“csv”。\n"
    code, out, err = dutybot(capsys, "staff", "invite", "--role", "foreman", "--hours", "2")
    assert code == 0 and out.startswith("已为 HQ 创建 foreman 邀请,仅可使用一次")
    assert out.splitlines()[-1].startswith("/start ") and "bot_username" in err
    assert dutybot(capsys, "staff", "revoke", "1")[1].startswith("已撤销员工 李伟（编号 1）")
    assert dutybot(capsys, "staff", "list")[1].splitlines()[-1].endswith("English  已撤销")
    assert dutybot(capsys, "staff", "list", "--format", "tsv")[1].endswith("\trevoked\n")


def test_exit_codes_two_for_usage_one_for_a_failed_check(
    deployment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = dutybot(capsys, "db", "current")
    assert code == 1 and "dutybot db upgrade" in out  # the check failed: no tables yet
    dutybot(capsys, "db", "upgrade")
    assert dutybot(capsys, "db", "current")[0] == 0
    # Nobody by that name: no demo offered, no chat, and not a success.
    code, out, err = dutybot(capsys, "console", "--as", "Nobody")
    assert code == 2 and out == "" and "“Nobody”" in err
    dutybot(capsys, "site", "add", "HQ", "HQ")
    dutybot(capsys, "staff", "add", "--telegram-id", "42", "--name", "Li", "--role", "guard")
    code, _, err = dutybot(capsys, "console", "--as", "Nobody")
    assert code == 2 and err == "dutybot: 没有在职员工“Nobody”。已有:Li (42)\n"
    code, _, err = dutybot(capsys, "flows", "show", "nothing")
    assert code == 2 and err.startswith("dutybot: 找不到预案“nothing”")
    assert dutybot(capsys, "site", "add", "B", "Branch", "--locale", "fr")[0] == 2
    assert dutybot(capsys, "site", "add", "B", "Branch", "--locale", "en")[0] == 0
    code, out, _ = dutybot(capsys, "site", "add", "C", "Third", "--locale", "zh")
    assert code == 0 and "语言 zh_Hans" in out


def test_argparse_speaks_the_deployment_language(
    deployment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["staff", "add", "--name", "李伟"])
    err = capsys.readouterr().err
    assert stopped.value.code == 2
    assert err.startswith("用法:dutybot staff add [-h]")
    assert err.endswith("dutybot staff add:错误:缺少以下参数:--telegram-id, --role\n")
    with pytest.raises(SystemExit):
        main(["sight", "list"])
    assert "参数 command:无效的选择:'sight'（可选:'db', 'flows'," in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "位置参数:" in out and "选项:" in out and "显示此帮助信息并退出" in out
    monkeypatch.setenv("DUTYBOT_SITE__LOCALE", "en")
    with pytest.raises(SystemExit):
        main(["staff", "add", "--name", "Li"])
    err = capsys.readouterr().err
    assert err.startswith("usage: dutybot staff add [-h]")
    assert "error: the following arguments are required: --telegram-id, --role" in err


def test_invites_are_listed_cancelled_and_die_with_their_maker(
    deployment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: no way to see or cancel an invite, and a revoked admin's invites kept working."""
    monkeypatch.setenv("DUTYBOT_SITE__LOCALE", "en")
    dutybot(capsys, "db", "upgrade")
    dutybot(capsys, "site", "add", "HQ", "HQ Hotel")
    dutybot(capsys, "site", "add", "B", "B Tower")
    dutybot(capsys, "staff", "add", "--telegram-id", "1", "--name", "Wu", "--role", "admin",
            "--site", "HQ")  # fmt: skip
    assert dutybot(capsys, "staff", "invites")[1] == "No invite is outstanding.\n"
    dutybot(capsys, "staff", "invite", "--role", "guard", "--site", "HQ", "--hours", "2")
    dutybot(capsys, "staff", "invite", "--role", "foreman", "--site", "B", "--hours", "3")
    asyncio.run(_invite_made_in_chat(deployment, maker=1, site=1))
    table = dutybot(capsys, "staff", "invites")[1].splitlines()
    assert table[0].split() == ["Id", "Site", "Role", "Made", "by", "Expires"]
    assert [line.split()[:3] for line in table[2:]] == [
        ["1", "HQ", "Security"], ["2", "B", "Shift"], ["3", "HQ", "Duty"]
    ]  # fmt: skip
    assert "command line" in table[2] and "Wu (1)" in table[4]
    records = json.loads(dutybot(capsys, "staff", "invites", "--site", "B", "--format", "json")[1])
    assert [(r["id"], r["site"], r["role"], r["created_by"]) for r in records] == [
        (2, "B", "foreman", None)
    ]
    code, out, _ = dutybot(capsys, "staff", "invite-cancel", "1")
    assert (
        code == 0
        and out == "Invite 1 (Security guard at HQ) cancelled: its link no longer works.\n"
    )
    code, out, _ = dutybot(capsys, "staff", "invite-cancel", "1")
    assert code == 0 and out == "Invite 1 was used, cancelled or has expired already.\n"
    code, _, err = dutybot(capsys, "staff", "invite-cancel", "99")
    assert code == 2 and err.startswith("dutybot: No invite with id 99")
    code, out, _ = dutybot(capsys, "staff", "revoke", "1")
    assert out.splitlines()[1] == "1 invite they made was cancelled."
    tsv = dutybot(capsys, "staff", "invites", "--format", "tsv")[1].splitlines()
    assert tsv[0] == "id\tsite\trole\tcreated_by\tcreated_by_name\tcreated_at\texpires_at"
    assert [line.split("\t")[0] for line in tsv[1:]] == ["2"]


async def _invite_made_in_chat(deployment: Path, *, maker: int, site: int) -> None:
    db = Database(f"sqlite:///{deployment / 'dutybot.db'}")
    try:
        with db.transaction() as session:
            invites.create(
                session, role="duty_manager", site_id=site, created_by=maker,
                valid_for=timedelta(hours=4), now=datetime.now(UTC),
            )  # fmt: skip
    finally:
        await db.dispose()


def test_a_site_request_link_is_printed_and_can_be_replaced(
    deployment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DUTYBOT_SITE__LOCALE", "en")
    monkeypatch.setenv("DUTYBOT_TELEGRAM__BOT_USERNAME", "duty_bot")
    dutybot(capsys, "db", "upgrade")
    dutybot(capsys, "site", "add", "HQ", "HQ Hotel")
    code, out, err = dutybot(capsys, "site", "request-link", "HQ")
    first = out.splitlines()[-1]
    assert code == 0 and err == "" and first.startswith("https://t.me/duty_bot?start=ask_")
    assert "only the administrators of HQ see the request" in out
    assert dutybot(capsys, "site", "request-link", "HQ")[1].splitlines()[-1] == first
    code, out, _ = dutybot(capsys, "site", "request-link", "HQ", "--new")
    assert out.startswith("HQ: a new request link; the old one no longer works.")
    assert out.splitlines()[-1] not in (first, "") and "?start=ask_" in out
    code, _, err = dutybot(capsys, "site", "request-link", "XX")
    assert code == 2 and err.startswith("dutybot: No site “XX”")
    header = dutybot(capsys, "staff", "requests", "--format", "tsv")[1].splitlines()[0]
    assert header == "id\tsite\ttelegram_id\tname\tusername\tlanguage\trequested_at"


def test_a_sites_clocks_are_listed_and_set_with_the_rules_value_beside(
    deployment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DUTYBOT_SITE__LOCALE", "en")
    dutybot(capsys, "db", "upgrade")
    assert dutybot(capsys, "site", "add", "HQ", "HQ Hotel")[0] == 0
    code, out, _ = dutybot(capsys, "site", "clocks", "set", "HQ", "b10_satisfactory_reply", "3wd")
    assert (code, out.strip()) == (0, "HQ: b10_satisfactory_reply set to 3wd.")
    code, out, _ = dutybot(
        capsys, "site", "clocks", "set", "HQ", "closed_days", "2026-12-25, 2026-12-24"
    )
    assert (code, out.strip()) == (0, "HQ: closed_days set to 2026-12-24,2026-12-25.")
    refusals = {
        ("b3_callback", "3x"): "b3_callback takes a span such as 10m",
        ("c4_duty_24h", "1h"): "c4_duty_24h is a rule without a clock",
        ("closed_days", "tomorrow"): "closed_days takes dates separated by commas",
        ("digest_at", "8am"): "digest_at does not take “8am” (the rules' value: 08:00)",
        ("no_such", "1"): "No clock setting “no_such”",
    }
    for (name, value), said in refusals.items():
        code, _, err = dutybot(capsys, "site", "clocks", "set", "HQ", name, value)
        assert code == 2 and said in err, err
    rows = json.loads(dutybot(capsys, "site", "clocks", "list", "HQ", "--format", "json")[1])
    by_name = {row["name"]: (row["default"], row["value"]) for row in rows}
    assert by_name["b10_satisfactory_reply"] == ("2wd", "3wd")
    assert by_name["closed_days"] == ("", "2026-12-24,2026-12-25")
    assert by_name["digest_at"] == ("08:00", "08:00")
    assert "c4_duty_24h" not in by_name  # no clock: nothing to set
    code, out, _ = dutybot(capsys, "site", "clocks", "set", "HQ", "b10_satisfactory_reply", "")
    assert (code, out.strip()) == (0, "HQ: b10_satisfactory_reply cleared.")
