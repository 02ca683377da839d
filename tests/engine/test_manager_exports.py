"""A case's record for a manager (album, pin, timeline, deadlines), its PDF, the month's CSV and
the statistics chart through the chat; and the same asks in a managers' group."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from PIL import Image

from bot.engine.incoming import Incoming
from tests.engine.test_manager_lists import MANAGER_ID, manager
from tests.reports.conftest import text_of
from tests.reports.test_pdf import rendered
from tests.support import Chat, World, png

GROUP = -100777


async def full_report(world: World) -> Chat:
    """The guard's whole report through every step kind: 2611-001, photos, a place, a
    deadline met, the chief alerted."""
    chat = world.chat()
    await chat.say("/start")
    await chat.press("Report an incident")
    await chat.press("Other")
    await chat.press("All step kinds")
    await chat.press("Done")
    await chat.press("Red")
    await chat.press("Pen")
    await chat.press("Done")
    await chat.press("Yes")
    await chat.say("=cmd()")  # the note
    world.clock.advance(timedelta(minutes=40))  # the 30-minute first contact, met late
    await chat.say("250")
    await chat.press("Done")
    await chat.press("Now")
    await chat.photo(png(1))
    await chat.photo(png(2))
    await chat.press("Done")
    await chat.place(31.2304, 121.4737)
    await chat.say("Wang Fang")
    await chat.say("cleaner")
    await chat.press("Skip this detail")
    await chat.press("Done")
    await chat.press("Confirm")
    assert "2611-001 is recorded" in chat.text
    return chat


async def test_a_managers_view_of_a_case_and_its_pdf(world: World) -> None:
    await full_report(world)
    chat = await manager(world)
    await chat.say("/case 2611-001")
    text = chat.text
    for expected in ("Case 2611-001", "【Timeline】", "【Alerts】", "Li Wei", "【Deadlines】"):
        assert expected in text, expected
    assert "• First contact (due 11/22/26, 11:00\u202fPM): met late, by 10 minutes" in text
    album = [m for m in chat.last if m.photos]
    assert len(album) == 1 and len(album[0].photos) == 2
    pins = [m.place for m in chat.last if m.place is not None]
    assert [(p.lat, p.lon) for p in pins] == [(31.2304, 121.4737)]
    await chat.press("📄 PDF report")
    (sent,) = [f for m in chat.last for f in m.files]
    assert sent.name == "case-2611-001.pdf" and sent.data.startswith(b"%PDF")
    assert all(m.private for m in chat.last)
    pdf = text_of(sent.data)
    for piece in (
        "Casereport2611-001",
        "Note=cmd()",
        "Firstcontact11/22/202623:0011/22/202623:10metlate",
        "LiWeianswered:Colour?",
        "Personondutysignature:",
    ):
        assert piece in pdf, piece
    pages, images = rendered(sent.data)
    assert pages >= 1 and images == 2
    # The same by command, and in Chinese with the CJK font.
    zh = world.chat(MANAGER_ID, "zh-hans")
    await zh.say("/export 2611-001")
    (chinese,) = [f for m in zh.last for f in m.files]
    assert "案件报告2611-001" in text_of(chinese.data) and "值班人员" in text_of(chinese.data)


async def test_the_month_as_csv(world: World) -> None:
    await full_report(world)
    chat = await manager(world)
    await chat.say("/export month 2026-11")
    (sent,) = [f for m in chat.last for f in m.files]
    assert sent.name == "cases-2026-11.csv" and sent.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(sent.data.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Case number", "Procedure", "Site", "Opened (site time)",
                           "Closed (site time)", "Status"]  # fmt: skip
    assert rows[1][0] == "2611-001" and rows[1][6] == "Important"
    assert "First contact" in rows[1] and "met late" in rows[1]
    await chat.say("/export month 2026-13")
    assert chat.text == "Which month? For example: /export month 2026-11"


async def test_statistics_as_a_chart_and_text(world: World) -> None:
    await full_report(world)
    chat = await manager(world, "zh-hans")
    # Submitted 40 minutes after it was opened, and closed by the manager then.
    await chat.say("2611-001")
    await chat.press("✔ 结案")
    await chat.press("✔ 不写说明直接结案")
    await chat.say("/stats month")
    (chart,) = [f for m in chat.last for f in m.files]
    assert chart.image and chart.data.startswith(b"\x89PNG")
    assert Image.open(io.BytesIO(chart.data)).size == (1200, 900)
    for line in ("• 全部步骤类型：1", "• 逾期完成：1（100%）", "结案用时中位数：40分钟"):
        assert line in chat.text, line
    await chat.say("统计")
    assert any(f.image for m in chat.last for f in m.files)
    await chat.say("/stats someday")
    assert "/stats week" in chat.text


async def test_asks_in_a_managers_group(world: World) -> None:
    await full_report(world)
    chat = await manager(world)

    async def in_group(text: str, telegram_id: int = MANAGER_ID) -> list:  # type: ignore[type-arg]
        user = world.chat(telegram_id).user
        return await world.engine.handle(Incoming.message(user, text, private=False, chat_id=GROUP))

    out = await in_group("/today")
    assert out[0].title == "Opened today and still open" and not out[0].private
    assert "2611-001" in out[0].text
    out = await in_group("今天的案件")  # a reply to the bot
    assert out[0].title == "Opened today and still open"
    out = await in_group("/case 2611-001")
    assert out and all(m.private for m in out)  # the record goes to the asker's own chat
    assert await in_group("hello there") == []
    assert await in_group("/start") == []  # only the managers' asks are taken in a group
    refused = await in_group("/today", telegram_id=chat.user.telegram_id - 2000)  # the guard
    assert refused[0].text.startswith("Sorry, the lists of cases are for managers.")
    assert await in_group("/today", telegram_id=424242) == []  # a stranger: nothing
