"""Issue acceptance over a real `dutybot run` against the fake Bot API: a guard halfway through a
theft report reports a fire, finishes it, and returns to the theft report where it was; the
security chief then takes the theft case's follow-up task from its message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cases import service as cases
from bot.cases.models import CaseStatus
from bot.sites import service as sites
from tests.e2e.harness import TRANSPORTS, launched
from tests.support import TEST_PLAYBOOKS

# No quiet hours, whatever the hour of the run: the chief's task is sent at once.
CONFIG = '[escalation]\nquiet_hours = "00:00-00:00"\n'


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_fire_in_the_middle_of_a_theft_report_and_back(
    tmp_path: Path, transport: str
) -> None:
    async with launched(
        tmp_path, transport, CONFIG, DUTYBOT_FLOWS__EXTRA_DIR=str(TEST_PLAYBOOKS)
    ) as bot:
        await bot.add_staff(4242, "Li Wei", "guard")
        await bot.add_staff(6001, "Zhou Hui", "security_chief")
        bot.api.user(6001, "Zhou Hui", started=True)
        guard = bot.person(4242, "Li Wei")
        await guard.say("/start")
        await guard.say("test follow-up")
        await guard.press("Test follow-up")
        await guard.say("A laptop")
        assert "Where was it?" in guard.text()
        theft = re.search(r"\d{4}-\d{3}", guard.text())
        assert theft is not None

        # A fire: the theft report waits where it is.
        await guard.say("/report")
        assert "is in progress (step 2 of 2)" in guard.text()
        await guard.press("📝 Report something else (this one waits)")
        await guard.say("test alarm")
        await guard.press("Test alarm")
        await guard.press("Fire")
        await guard.act(lambda: guard.user.send_location(31.23, 121.47))
        await guard.press("Skip")
        done = await guard.press("✓ Confirm")
        assert any("is recorded" in (m.text or "") for m in done)

        # Back to the theft report, on the question it was on.
        assert f"▶ Continue {theft.group(0)} (set aside)" in guard.labels()
        back = await guard.press(f"▶ Continue {theft.group(0)} (set aside)")
        assert any("where you left it" in (m.text or "") for m in back)
        assert "Where was it?" in guard.text()
        await guard.say("Room 1203")
        await guard.press("✓ Confirm")

        # The chief's task for the theft case arrives; the chief takes it from the message.
        def task() -> bool:
            return any("A follow-up task" in (m.text or "") for m in bot.api.sent_messages(6001))

        await bot.api.wait_for(task, timeout=15)
        chief = bot.person(6001, "Zhou Hui")
        [message] = [m for m in chief.messages() if "A follow-up task" in (m.text or "")]
        await chief.act(lambda: chief.user.press("▶ Start", message_id=message.message_id))
        assert "What does the footage show?" in chief.text()

        with bot.app.db.transaction() as session:
            site = sites.by_code(session, "hq")
            assert site is not None and site.id is not None
            first = cases.by_number(session, site.id, theft.group(0))
            assert first is not None and first.id is not None
            answers = cases.current_answers(session, first.id)
            statuses = sorted(c.status for c in cases.by_reporter(session, first.reporter_id))
        assert (answers["what"].value, answers["where"].value) == ("A laptop", "Room 1203")
        assert statuses == [CaseStatus.IN_FOLLOW_UP, CaseStatus.REPORTED]
        assert bot.api.errors == [], bot.api.errors
