"""`dutybot run` as a process, configured by environment only, against a Bot API on 127.0.0.1:
a guard added with `dutybot staff add` submits A1 on the night with the investigation still open;
the security chief gets the task, records the CCTV review and the findings, and closes the case;
a foreman joins with a `dutybot staff invite` link. Both transports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.a1_script import check_case, follow_up_a1, report_a1
from tests.e2e.harness import TOKEN, TRANSPORTS, dutybot, environment, launched
from tests.fakes import StoredMessage


def _number(message: StoredMessage) -> str:
    """The case number a task's message names."""
    found = re.search(r"\d{4}-\d{3}", message.text or "")
    assert found is not None
    return found.group(0)


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_guard_added_on_the_command_line_completes_a1(
    tmp_path: Path, transport: str
) -> None:
    # No quiet hours: the chief's task is not held until the morning whatever the hour of the run.
    config = '[escalation]\nquiet_hours = "00:00-00:00"\n'
    # A fresh `python -m bot.cli run` (the other end-to-end tests fork it from a zygote).
    async with launched(tmp_path, transport, config=config, fork=False) as bot:
        await bot.cli("staff", "add", "--telegram-id", "42", "--name", "Li Wei", "--role", "guard")
        await bot.cli(
            "staff", "add", "--telegram-id", "77", "--name", "Zhou Hui", "--role", "security_chief"
        )
        bot.api.user(77, "Zhou Hui", started=True)
        out = await bot.cli("staff", "invite", "--role", "foreman", "--hours", "2")
        link = out.strip().splitlines()[-1]
        assert link.startswith("https://t.me/duty_test_bot?start="), out

        guard = bot.person(42, "Li Wei")
        menu = await guard.say("/start")
        assert "What do you need?" in (menu[-1].text or "")
        await report_a1(guard)

        # The chief's task arrives with its buttons; the chief does the part and closes the case.
        def task_message() -> StoredMessage | None:
            found = [m for m in bot.api.sent_messages(77) if "A follow-up task" in (m.text or "")]
            return found[0] if found else None

        await bot.api.wait_for(lambda: task_message() is not None, timeout=15)
        task = task_message()
        assert task is not None and "• CCTV review" not in (task.text or "")
        assert "• Investigation" in (task.text or "") and "Reported by Li Wei" in (task.text or "")
        assert task.button_texts() == [["▶ Start", "↪ Hand to…"], ["📂 Open case"]]
        chief = bot.person(77, "Zhou Hui")
        await follow_up_a1(chief, task)

        # The guard is told; the record shows both people.
        def told() -> bool:
            return any("was closed by Zhou Hui" in (m.text or "") for m in guard.messages())

        await bot.api.wait_for(told, timeout=15)
        record = await guard.say(_number(task))
        shown = "\n".join(m.text or "" for m in record)
        assert "Li Wei · submitted the report" in shown
        assert "Zhou Hui · took the task of the Security chief" in shown
        assert "Zhou Hui · closed the case: Handed to the police" in shown
        foreman = bot.person(43, "Zhou Qi")
        joined = await foreman.act(lambda: foreman.user.start(link.rsplit("=", 1)[1]))
        assert "registered as Shift foreman at HQ Hotel" in (joined[0].text or "")
        assert bot.api.errors == [], bot.api.errors
        await check_case(bot, 42, chief_id=77)


async def test_dutybot_run_refuses_without_a_token_or_schema(tmp_path: Path) -> None:
    code, out = await dutybot(environment(tmp_path), "run")
    assert code == 2 and "DUTYBOT_TELEGRAM__TOKEN" in out
    code, out = await dutybot(environment(tmp_path, DUTYBOT_TELEGRAM__TOKEN=TOKEN), "run")
    assert code == 1 and "dutybot db upgrade" in out
