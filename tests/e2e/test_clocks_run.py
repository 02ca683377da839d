"""A site's clocks shortened to seconds, over a real `dutybot run` against the fake Bot API: a
complaint received "now" with its reply clock set to 10 s reminds the complaint officer at
80 % and, unanswered, raises an alert at the breach, in real time; each once."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.deadlines import settings as clock_settings
from bot.sites import service as sites
from tests.e2e.harness import TRANSPORTS, launched
from tests.support import TEST_PLAYBOOKS

CONFIG = """
[escalation]
tick_seconds = 0.3
"""
OFFICER = 6101


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_reply_clock_of_ten_seconds_reminds_then_alerts(
    tmp_path: Path, transport: str
) -> None:
    async with launched(
        tmp_path, transport, CONFIG, DUTYBOT_FLOWS__EXTRA_DIR=str(TEST_PLAYBOOKS)
    ) as bot:
        api = bot.api
        with bot.app.db.transaction() as session:
            site = sites.get(session, bot.site.id or 0)
            clock_settings.store(session, site, "b4_enquiry_reply", "10s")
        await bot.add_staff(OFFICER, "Hu Min", "complaint_officer")
        api.user(OFFICER, "Hu Min", started=True)
        await bot.add_staff(4242, "Li Wei", "guard")
        guard = bot.person(4242, "Li Wei")
        await guard.say("/start")
        await guard.say("test reply")
        await guard.press("Test reply clock")
        started = time.monotonic()
        await guard.press("🕒 Now")

        def said(text: str) -> list[str]:
            return [m.text or "" for m in api.sent_messages(OFFICER) if text in (m.text or "")]

        await api.wait_for(lambda: bool(said("Reminder")), timeout=20)
        reminded = time.monotonic() - started
        await api.wait_for(lambda: bool(said("Overdue: Reply to the customer")), timeout=20)
        breached = time.monotonic() - started
        print(f"reminded after {reminded:.1f} s, alerted after {breached:.1f} s (8 s and 10 s due)")
        assert 7 <= reminded < 20 and 9 <= breached < 25  # never early; late only under load
        assert "“Reply to the customer” is due by" in said("Reminder")[0]
        await asyncio.sleep(2)  # anything sent twice would have arrived by now
        assert len(said("Reminder")) == 1 and len(said("Overdue")) == 1
        assert api.errors == []
