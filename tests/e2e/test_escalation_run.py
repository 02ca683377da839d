"""Issue acceptance over a real `dutybot run` against the fake Bot API: a guard files A1 with the
police branch; the step-5 ping reaches the chief, the service-centre head and the property
manager; unacknowledged, it climbs to the general manager; the chief acknowledges and every copy
says so; "Open case" shows him the record; a guard of another site gets nothing."""

from __future__ import annotations

import asyncio
import random
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.delivery.models import Delivery
from bot.sites import service as sites
from tests.e2e.a1_script import report_a1
from tests.e2e.harness import TRANSPORTS, Bot, Person, launched
from tests.fakes import RateLimits, StoredMessage
from tests.support import TEST_PLAYBOOKS

STEP5 = "A lost or stolen property report needs your attention"
# Short waits so that the run shows the climb in seconds; the alert named the chief, the head
# and the property manager, so the next level of the chain is the general manager.
CONFIG = """
[escalation]
tick_seconds = 0.3
[escalation.chains.security]
wait = "4s"
steps = [
  { roles = ["foreman"], wait = "4s" },
  { roles = ["security_chief"], wait = "4s" },
  { roles = ["property_manager"], wait = "4s" },
  { roles = ["general_manager"], wait = "1h" },
]
"""
PEOPLE = {
    6001: ("Zhou Hui", "security_chief"),
    6002: ("Wu Centre", "service_centre_head"),
    6003: ("Qian Yu", "property_manager"),
    6004: ("Wang GM", "general_manager"),
}


def step5(bot: Bot, chat: int) -> list[StoredMessage]:
    return [m for m in bot.api.sent_messages(chat) if STEP5 in (m.text or "")]


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a1_pings_climb_are_acknowledged_and_open_the_case(
    tmp_path: Path, transport: str
) -> None:
    async with launched(tmp_path, transport, config=CONFIG) as bot:
        api = bot.api
        for telegram_id, (name, role) in PEOPLE.items():
            await bot.add_staff(telegram_id, name, role)
            api.user(telegram_id, name, started=True)
        await bot.add_staff(4242, "Li Wei", "guard")
        guard = bot.person(4242, "Li Wei")
        await guard.say("/start")
        started = time.monotonic()
        await report_a1(guard)

        # The step-5 ping reached each role holder the procedure names, within seconds.
        for chat in (6001, 6002, 6003):

            def pinged(c: int = chat) -> bool:
                return bool(step5(bot, c))

            await api.wait_for(pinged, timeout=15)
            message = step5(bot, chat)[0]
            assert "2612-001" in (message.text or "") or "-001" in (message.text or "")
            assert message.button_texts() == [["✅ Acknowledge", "📂 Open case"]]
        print(f"step-5 pings within {time.monotonic() - started:.1f} s of the report's start")
        # Nobody acknowledged: after the wait, the general manager.
        await api.wait_for(lambda: bool(step5(bot, 6004)), timeout=20)
        assert "went up the chain" in (step5(bot, 6004)[0].text or "")

        # The chief acknowledges; every copy, to everyone, says who and when.
        chief = bot.person(6001, "Zhou Hui")
        ping = step5(bot, 6001)[0]
        await chief.act(lambda: chief.user.press("✅ Acknowledge", message_id=ping.message_id))

        def acknowledged() -> bool:
            copies = [m for chat in PEOPLE for m in step5(bot, chat)]
            return all("Acknowledged by Zhou Hui" in (m.text or "") for m in copies)

        await api.wait_for(acknowledged, timeout=15)
        for chat in PEOPLE:
            assert step5(bot, chat)[0].button_texts() == [["📂 Open case"]]

        # "Open case" shows the chief the whole record: text, photos, the place.
        before = len(api.sent_messages(6001))
        await chief.act(lambda: chief.user.press("📂 Open case", message_id=ping.message_id))
        await api.wait_for(lambda: any(m.location for m in api.sent_messages(6001)[before:]))
        shown = api.sent_messages(6001)[before:]
        record = "\n".join(m.text or "" for m in shown)
        assert "【Police and scene protection】" in record and "【Timeline】" in record
        assert "acknowledged the alert" in record and "Zhou Hui" in record
        assert sum(1 for m in shown if m.photo_file_ids) >= 4
        assert any(m.location for m in shown)

        # A guard of another site pressing the chief's button learns nothing.
        with bot.app.db.transaction() as session:
            other = sites.create(
                session, code="b", name="B", timezone="UTC", locale="en", now=datetime.now(UTC)
            )
        await bot.add_staff(7001, "Other Guard", "guard", site_id=other.id)
        stranger = bot.person(7001, "Other Guard")
        await stranger.say("/start")
        seen = len(api.sent_messages(7001))
        data = api.find_button(6001, "📂 Open case", ping.message_id)["callback_data"]
        await stranger.act(lambda: stranger.user.press_data(stranger.question().message_id, data))
        assert len(api.sent_messages(7001)) == seen  # no message, only a toast
        assert api.callback_answers[-1].get("text") == (
            "That button is not valid for you; nothing was changed."
        )
        assert api.errors == []


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_killing_dutybot_run_while_pings_go_out_loses_none(
    tmp_path: Path, transport: str
) -> None:
    """150 pings are due when `dutybot run` is killed (SIGKILL) at a random moment mid-stream,
    under the fake Bot API's 30/s limit; after a restart every one of them arrives, each once.
    The Bot API has no idempotency key: a ping whose request was in flight at the very moment of
    the kill (at most one per sender worker) may arrive twice, never less than once. (Zero 429s
    at full speed on a quiet machine is the delivery benchmark's to show; on a loaded test
    machine a late burst may meet one, which the sender honours without loss.)"""
    async with launched(tmp_path, transport, DUTYBOT_FLOWS__EXTRA_DIR=str(TEST_PLAYBOOKS)) as bot:
        api = bot.api
        api.limits = RateLimits(per_second=30)
        chiefs = range(8000, 8150)
        for telegram_id in chiefs:
            await bot.add_staff(telegram_id, f"Chief {telegram_id}", "security_chief")
            api.user(telegram_id, f"Chief {telegram_id}", started=True)
        guard = await _alarm_reporter(bot)
        await guard.say("Lobby, 3F")  # raises the alert: 150 pings due at once

        def received() -> int:
            return sum(1 for chat in chiefs if api.sent_messages(chat))

        await api.wait_for(lambda: received() >= 20, timeout=30)
        await asyncio.sleep(random.uniform(0, 1.5))
        assert bot.run is not None
        await bot.run.kill()
        assert received() < len(chiefs)  # killed with pings still due
        await bot.run.start()
        await api.wait_for(lambda: received() == len(chiefs), timeout=60)
        await asyncio.sleep(1.5)  # anything sent twice would have arrived by now
        counts = [len(api.sent_messages(chat)) for chat in chiefs]
        assert min(counts) == 1 and max(counts) <= 2
        assert counts.count(2) <= 6, counts  # the sender's workers: requests in flight at once
        # No chat got more than its share (the guard's own quick replies may: the front end
        # retries those after the 429's retry_after).
        assert [h for h in api.rate_limit_hits if h.chat_id in chiefs and h.scope != "global"] == []


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_pings_due_while_dutybot_run_is_down_arrive_exactly_once(
    tmp_path: Path, transport: str
) -> None:
    """Killed while an alert waits to climb: after the restart the level that fell due while the
    bot was down is pinged once, and nothing sent before the kill is sent again."""
    config = CONFIG.replace('wait = "4s"\nsteps', 'wait = "3s"\nsteps')
    async with launched(
        tmp_path, transport, config, DUTYBOT_FLOWS__EXTRA_DIR=str(TEST_PLAYBOOKS)
    ) as bot:
        api = bot.api
        for telegram_id, (name, role) in PEOPLE.items():
            await bot.add_staff(telegram_id, name, role)
            api.user(telegram_id, name, started=True)
        guard = await _alarm_reporter(bot)
        await guard.say("Lobby, 3F")  # pings the chief; the property manager is next in 3 s
        await api.wait_for(lambda: bool(api.sent_messages(6001)), timeout=15)
        await _settled(bot)  # the chief's ping is recorded as sent: it is not in flight
        assert bot.run is not None
        await bot.run.kill()
        await asyncio.sleep(4)  # the next level falls due while nothing runs
        await bot.run.start()
        await api.wait_for(lambda: bool(api.sent_messages(6003)), timeout=15)
        await asyncio.sleep(1.5)
        assert [len(api.sent_messages(c)) for c in (6001, 6003)] == [1, 1]


async def _settled(bot: Bot) -> None:
    for _ in range(100):
        with bot.app.db.transaction() as session:
            rows = (session.exec(select(Delivery))).all()
        if rows and all(row.status == "sent" and row.lease_until is None for row in rows):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the sent pings were not recorded as sent")


async def _alarm_reporter(bot: Bot) -> Person:
    """A guard in the test alarm procedure, one answer away from raising its alert."""
    await bot.add_staff(4242, "Li Wei", "guard")
    guard = bot.person(4242, "Li Wei")
    await guard.say("/start")
    await guard.say("test alarm")
    await guard.press("Test alarm")
    await guard.press("Theft")
    return guard


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_fire_pings_the_duty_manager_the_rota_names_now(
    tmp_path: Path, transport: str
) -> None:
    """The rota is set with `dutybot rota add`; a fire report pings whoever it names at this
    hour, not the other duty manager; /duty shows it; an admin hears of a blocked recipient."""
    async with launched(tmp_path, transport) as bot:
        api = bot.api
        now_on = await bot.add_staff(6101, "Feng Night", "duty_manager")
        off = await bot.add_staff(6102, "Zheng Day", "duty_manager")
        await bot.add_staff(6103, "Admin Ma", "admin")
        for telegram_id in (6101, 6102, 6103):
            api.user(telegram_id, "x", started=True)
        hour = datetime.now(ZoneInfo("Asia/Shanghai")).hour
        start, end = f"{(hour - 1) % 24:02d}:00", f"{(hour + 2) % 24:02d}:00"
        await bot.cli("rota", "add", "--role", "duty_manager", "--staff", str(now_on),
                      "--days", "daily", "--from", start, "--to", end)  # fmt: skip
        await bot.cli("rota", "add", "--role", "duty_manager", "--staff", str(off),
                      "--days", "daily", "--from", end, "--to", start)  # fmt: skip
        await bot.add_staff(4242, "Li Wei", "guard")
        guard = bot.person(4242, "Li Wei")
        await guard.say("/start")
        await guard.say("/duty")
        assert "On duty now: Feng Night" in (guard.messages()[-1].text or "")
        await guard.say("fire")
        await guard.press("Fire alarm and initial fire")
        await guard.press("Now")
        await guard.press("Staff")
        await guard.say("5F linen room")
        api.user(6101, "x").block()  # the one on duty has blocked the bot
        await guard.press("Done")  # the duty manager is notified as the next step opens
        await api.wait_for(lambda: bool(api.sent_messages(6103)), timeout=15)
        assert "Feng Night cannot be reached on Telegram" in (api.sent_messages(6103)[0].text or "")
        assert api.sent_messages(6102) == []  # off duty: not pinged
        assert [e.status for e in api.errors] == [403]  # the one refused ping, not retried
