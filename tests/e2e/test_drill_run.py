"""Issue 11 over a real `dutybot run` and the fake Bot API: a coordinator plans a fire drill in
the chat with three participants; each is invited at once, gets the reminder at its time (here
a reminder a few seconds ahead, set in the config) and answers; the coordinator sees who said
what; the year's plan comes with its .ics; the drill is run and recorded (timeline, two
photos, attendance, a shortcoming) and its PDF sent; the shortcoming's owner confirms the
rectification with a photo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests.e2e.harness import TRANSPORTS, Bot, launched
from tests.fakes import StoredMessage
from tests.reports.conftest import text_of
from tests.support import png

PARTICIPANTS = {5101: "An Guard", 5102: "Bo Guard", 5103: "Cai Clerk"}
LEAD = 25  # seconds between planning and the reminder falling due


def titled(bot: Bot, chat: int, words: str) -> list[StoredMessage]:
    return [m for m in bot.api.sent_messages(chat) if words in (m.text or "")]


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_planned_drill_reminds_participants_who_answer(
    tmp_path: Path, transport: str
) -> None:
    # The drill at the start of a minute at least three minutes ahead; the last reminder due
    # LEAD seconds from now (the 7-day and 1-day ones fell due before the drill was planned).
    now = datetime.now(UTC)
    starts = (now + timedelta(minutes=3)).replace(second=0, microsecond=0)
    offset = int((starts - now).total_seconds()) - LEAD
    config = (
        f'[drills]\nreminders = ["7d", "1d", "{offset}s"]\ntick_seconds = 0.5\n'
        "required_months = {}\n"
    )
    async with launched(tmp_path, transport, config=config) as bot:
        api = bot.api
        await bot.add_staff(5001, "Chen Coord", "drill_coordinator")
        api.user(5001, "Chen Coord", started=True)
        for telegram_id, name in PARTICIPANTS.items():
            await bot.add_staff(telegram_id, name, "guard")
            api.user(telegram_id, name, started=True)
        coord = bot.person(5001, "Chen Coord")
        await coord.say("/start")
        assert "🧯 Drills" in coord.labels()
        await coord.say("/drill")
        await coord.press("Fire")
        local = starts.astimezone(ZoneInfo("Asia/Shanghai"))
        await coord.say(f"{local:%Y-%m-%d %H:%M}")
        await coord.say("Kitchen, 1F")
        await coord.press("Chen Coord")
        for name in PARTICIPANTS.values():
            await coord.press(name)
        await coord.press("✓ Done")
        await coord.press("Skip")
        await coord.press("Use the usual purpose")
        await coord.say("A fire breaks out in the kitchen.")
        await coord.press("Once")
        await coord.press("✅ Plan it")
        assert "Drill planned. 4 participants" in "\n".join(
            m.text or "" for m in coord.messages()[-3:]
        )

        # Each participant is invited at once, then reminded, with the answer buttons.
        def everyone(words: str) -> bool:
            return all(titled(bot, chat, words) for chat in PARTICIPANTS)

        await api.wait_for(lambda: everyone("DRILL planned"), timeout=15)
        await api.wait_for(lambda: everyone("DRILL in"), timeout=LEAD + 20)
        for chat in PARTICIPANTS:
            reminder = titled(bot, chat, "DRILL in")[0]
            assert reminder.button_texts() == [["✅ I'll attend", "❌ I can't"]]
            assert datetime.now(UTC) >= now + timedelta(seconds=LEAD - 1)
        assert len(titled(bot, 5101, "DRILL in")) == 1  # exactly once

        # An answers "I'll attend" under the reminder; the message then says so.
        an = bot.person(5101, "An Guard")
        reminder = titled(bot, 5101, "DRILL in")[0]
        await an.act(lambda: an.user.press("✅ I'll attend", message_id=reminder.message_id))
        await api.wait_for(
            lambda: "Your answer: ✅ I'll attend." in (titled(bot, 5101, "DRILL in")[0].text or ""),
            timeout=15,
        )
        bo = bot.person(5102, "Bo Guard")
        reminder = titled(bot, 5102, "DRILL in")[0]
        await bo.act(lambda: bo.user.press("❌ I can't", message_id=reminder.message_id))

        # The coordinator sees who said what, and who did not answer.
        await coord.say("/drills")
        await coord.press("Open 1")
        text = coord.text()
        assert "✅ Will attend: An Guard" in text
        assert "❌ Cannot: Bo Guard" in text
        assert "❔ No answer yet: Cai Clerk, Chen Coord" in text

        # The year's plan as a calendar file that a calendar can read.
        await coord.press("← Drills")
        await coord.press("📅 Calendar (.ics)")
        files = [m.file for m in coord.messages() if m.file is not None]
        assert files and files[-1].file_name == "drills-hq.ics"
        calendar = icalendar.Calendar.from_ical(files[-1].data)
        events = list(calendar.walk("VEVENT"))
        assert [str(e["summary"]) for e in events] == ["Drill: Fire"]
        assert events[0].decoded("dtstart") == starts

        # Run and record it: the timeline with two photos, attendance, a shortcoming, the end.
        await coord.press("Open 1")
        await coord.press("▶ Start the drill")
        await coord.say("Kitchen staff raise the alarm")
        await coord.photo(png(1))
        await coord.say("Fire out; everyone assembled")
        await coord.photo(png(2))
        await coord.press("👥 Attendance")
        await coord.press("An Guard")
        await coord.press("✓ Done")
        await coord.press("⚠ Shortcoming")
        await coord.say("Fire hose leaks")
        await coord.press("Bo Guard")
        await coord.press("Tomorrow")
        await coord.press("🏁 Conclude")
        await coord.say("The drill met its goal.")
        records = [m.file for m in coord.messages() if m.file and m.file.file_name]
        assert (records[-1].file_name or "").endswith(".pdf")
        assert records[-1].data.startswith(b"%PDF")
        assert "Present:AnGuard." in "".join(text_of(records[-1].data).split())

        # The shortcoming's owner is asked to rectify it, and confirms it with a photo.
        await api.wait_for(lambda: bool(titled(bot, 5102, "Fire hose leaks")), timeout=15)
        task = titled(bot, 5102, "Fire hose leaks")[0]
        await bo.act(
            lambda: bo.user.press("✅ Rectified: send a photo", message_id=task.message_id)
        )
        await bo.photo(png(3))
        assert "the rectification is confirmed" in (bo.messages()[-1].text or "")
        await api.wait_for(
            lambda: (
                "Confirmed done by Bo Guard" in (titled(bot, 5102, "Fire hose leaks")[0].text or "")
            ),
            timeout=15,
        )
        assert api.errors == []
