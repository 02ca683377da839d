"""Issue acceptance over a real `dutybot run` against the fake Bot API: after a guard's A1
report, a manager types "open cases today" and gets the list, opens the case (its photos as an
album, its place as a pin), gets its PDF as a document, asks again in the managers' group and
gets the month's statistics chart; the guard typing the same gets a polite refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from bot.cases.models import Case
from tests.e2e.a1_script import report_a1
from tests.e2e.harness import TRANSPORTS, launched
from tests.reports.conftest import text_of

GROUP = -1001234


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_manager_lists_opens_and_exports_a_case(tmp_path: Path, transport: str) -> None:
    async with launched(tmp_path, transport) as bot:
        api = bot.api
        await bot.add_staff(42, "Li Wei", "guard")
        await bot.add_staff(50, "Wu Gang", "manager")
        api.user(50, "Wu Gang", started=True)  # pings reach them too
        guard = bot.person(42, "Li Wei")
        await guard.say("/start")
        await report_a1(guard)
        with bot.app.db.transaction() as session:
            number = session.exec(select(Case)).one().number

        manager = bot.person(50, "Wu Gang")
        shown = await manager.say("open cases today")
        listing = shown[-1]
        assert (listing.text or "").startswith("Opened today and still open")
        assert f"1. {number} · Lost or stolen property" in (listing.text or "")
        assert listing.button_texts() == [[f"📂 1. {number}"]]

        record = await manager.act(
            lambda: manager.user.press(f"📂 1. {number}", message_id=listing.message_id)
        )
        text = "\n".join(m.text or "" for m in record)
        assert f"Case {number}" in text and "【Timeline】" in text and "【Deadlines】" in text
        assert sum(1 for m in record if m.photo_file_ids) == 4  # the A1 photos, as an album
        assert any(m.location for m in record)
        pdf_button = next(m for m in record if ["📄 PDF report"] in m.button_texts())
        got = await manager.act(
            lambda: manager.user.press("📄 PDF report", message_id=pdf_button.message_id)
        )
        (document,) = [m for m in got if m.file is not None]
        assert document.file is not None and document.file.file_name == f"case-{number}.pdf"
        assert document.caption == f"Case report {number}"
        assert document.file.data.startswith(b"%PDF")
        assert f"Casereport{number}" in text_of(document.file.data)

        # The same ask in the managers' group: a command there works (privacy mode).
        api.group(GROUP, "Managers", "supergroup")
        before = len(api.sent_messages(GROUP))
        sent = manager.user.send_text("/today@duty_test_bot", chat_id=GROUP)
        await bot.finished.wait(int(u["update_id"]) for u in sent.updates)
        in_group = api.sent_messages(GROUP)[before:]
        assert in_group and f"1. {number}" in (in_group[-1].text or "")
        # A reply to the bot's message is heard too.
        before = len(api.sent_messages(GROUP))
        reply = manager.user.send_text("超时的", chat_id=GROUP, reply_to=in_group[-1].message_id)
        await bot.finished.wait(int(u["update_id"]) for u in reply.updates)
        answered = api.sent_messages(GROUP)[before:]
        assert [m.text for m in answered] == ["Overdue deadlines\n\nNo deadline is overdue."]
        # Chatter in the group that is not for the bot is left alone.
        manager.user.send_text("lunch at noon?", chat_id=GROUP)
        await api.wait_until_consumed()
        assert len(api.sent_messages(GROUP)) == before + 1

        # The month's statistics: a chart and its numbers.
        got = await manager.say("/stats month")
        charts = [m for m in got if m.photo_file_ids]
        assert len(charts) == 1 and (charts[0].caption or "").startswith("Statistics:")
        assert any("Cases by procedure" in (m.text or "") for m in got)

        # The guard asking the same is refused, politely, and shown no case.
        refused = await guard.say("open cases today")
        assert (refused[0].text or "").startswith("Sorry, the lists of cases are for managers.")
        assert api.errors == [], api.errors
