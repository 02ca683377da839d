"""`dutybot run` as a process, configured by environment only, against a Bot API on 127.0.0.1:
a guard added with `dutybot staff add` completes A1; a foreman joins with a `dutybot staff
invite` link. Both transports."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.a1_script import check_case, report_a1
from tests.e2e.harness import TOKEN, TRANSPORTS, dutybot, environment, launched


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_guard_added_on_the_command_line_completes_a1(
    tmp_path: Path, transport: str
) -> None:
    async with launched(tmp_path, transport) as bot:
        await bot.cli("staff", "add", "--telegram-id", "42", "--name", "Li Wei", "--role", "guard")
        out = await bot.cli("staff", "invite", "--role", "foreman", "--hours", "2")
        link = out.strip().splitlines()[-1]
        assert link.startswith("https://t.me/duty_test_bot?start="), out

        guard = bot.person(42, "Li Wei")
        menu = await guard.say("/start")
        assert "What do you need?" in (menu[-1].text or "")
        await report_a1(guard)
        foreman = bot.person(43, "Zhou Qi")
        joined = await foreman.act(lambda: foreman.user.start(link.rsplit("=", 1)[1]))
        assert "registered as Shift foreman at HQ Hotel" in (joined[0].text or "")
        assert bot.api.errors == [], bot.api.errors
        await check_case(bot, 42)


async def test_dutybot_run_refuses_without_a_token_or_schema(tmp_path: Path) -> None:
    code, out = await dutybot(environment(tmp_path), "run")
    assert code == 2 and "DUTYBOT_TELEGRAM__TOKEN" in out
    code, out = await dutybot(environment(tmp_path, DUTYBOT_TELEGRAM__TOKEN=TOKEN), "run")
    assert code == 1 and "dutybot db upgrade" in out
