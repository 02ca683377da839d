"""Managers in the chat: phrases and commands for today's, open and overdue cases, pages turned
in place, a line opening its case; a guard, another site's manager and a stranger get nothing."""

from __future__ import annotations

from datetime import timedelta

from bot.cases.models import Case, CaseStatus
from bot.engine.callbacks import ListPress, RecordPress
from bot.engine.incoming import Incoming
from bot.sites import service as sites
from tests.managers import seeding
from tests.support import Chat, World, add_staff

MANAGER_ID, OTHER_ID, FAR_ID = 3001, 3002, 3003


def seed(world: World, count: int = 3, *, status: str = CaseStatus.IN_PROGRESS) -> list[Case]:
    now = world.clock.now()
    with world.db.transaction() as s:
        site = sites.get(s, world.site_id)
        return [
            seeding.case(s, site, world.guard, now - timedelta(minutes=10 * n), status=status)
            for n in range(count)
        ]


async def manager(world: World, language: str | None = None) -> Chat:
    await add_staff(world, MANAGER_ID, "Wu Gang", "manager")
    return world.chat(MANAGER_ID, language)


async def test_a_manager_asks_in_plain_words_and_opens_a_line(world: World) -> None:
    made = seed(world)
    chat = await manager(world)
    for phrase in ("open cases today", "Today’s cases", "今天的案件", "今日未结", "/today"):
        await chat.say(phrase)
        assert chat.question.title == "Opened today and still open", phrase
        assert "3 cases" in chat.text
    lines = chat.text.splitlines()
    assert lines[1].startswith(f"1. {made[0].number} · Lost or stolen property · in progress")
    assert lines[1].endswith("Li Wei")
    assert chat.labels() == [f"📂 {n}. {c.number}" for n, c in enumerate(made, 1)]
    await chat.press(f"📂 2. {made[1].number}")
    assert f"Case {made[1].number}" in chat.text and "【Timeline】" in chat.text
    assert "【Deadlines】" in chat.text and all(m.private for m in chat.last)
    assert "📄 PDF report" in chat.labels()
    assert chat.last[0].notice == f"Case {made[1].number}"


async def test_a_manager_in_chinese(world: World) -> None:
    seed(world, 1)
    chat = await manager(world, "zh-hans")
    await chat.say("今天的案件")
    assert chat.question.title == "今天新开及仍未结的案件"
    assert "1 个案件" in chat.text


async def test_pages_turn_in_place(world: World) -> None:
    made = seed(world, 11)
    chat = await manager(world)
    await chat.say("/open")
    assert "Page 1 of 2" in chat.text and "Next ▶" in chat.labels()
    assert "◀ Previous" not in chat.labels()
    await chat.press("Next ▶")
    assert chat.question.replace
    assert f"9. {made[8].number}" in chat.text and "Page 2 of 2" in chat.text
    assert chat.labels()[-1] == "◀ Previous"
    await chat.press("◀ Previous")
    assert f"1. {made[0].number}" in chat.text


async def test_overdue_says_by_how_long(world: World) -> None:
    (case,) = seed(world, 1)
    with world.db.transaction() as s:
        due = world.clock.now() - timedelta(hours=2, minutes=5)
        seeding.deadline(s, case, "call_back", due)
    chat = await manager(world)
    await chat.say("overdue")
    assert chat.question.title == "Overdue deadlines"
    assert f"1. {case.number} · Lost or stolen property · Deadline call_back · " in chat.text
    assert "overdue by 2 hours 5 minutes" in chat.text
    await chat.say("超时的")
    assert "overdue by 2 hours 5 minutes" in chat.text
    zh = world.chat(MANAGER_ID, "zh-hans")
    await zh.say("/overdue")
    assert "超时 2小时5分钟" in zh.text


async def test_find_by_words_and_dates(world: World) -> None:
    made = seed(world, 2)
    chat = await manager(world)
    await chat.say("/find li wei")
    assert "2 cases" in chat.text and "The newest are shown" not in chat.text
    seed(world, 8)
    await chat.say("/find li wei")
    assert "10 cases" in chat.text and len(chat.labels()) == 8
    assert chat.last[-1].text == "The newest are shown; add words or dates to narrow it down."
    await chat.say(f"/find {made[1].number}")
    assert "1 case" in chat.text and made[1].number in chat.text
    await chat.say("/find 2026-10")
    assert chat.text.startswith("No case matches.")
    await chat.say("/find")
    assert "What should I look for?" in chat.text


async def test_others_get_nothing(world: World) -> None:
    made = seed(world, 2)
    guard = world.chat()
    for asked in ("/today", "open cases today", "今天的案件", "/overdue", "/stats", "/find li"):
        await guard.say(asked)
        assert guard.last[0].text.startswith("Sorry, the lists of cases are for managers."), asked
        assert made[0].number not in guard.text
    # A press forged from another's list is re-checked (the reporter may see their own case).
    await add_staff(world, OTHER_ID, "Zhou Min", "guard")
    forged = Incoming.press(world.chat(OTHER_ID).user, RecordPress(made[1].id or 0, "r").pack())
    out = await world.engine.handle(forged)
    assert out[0].notice == "That is not a case you may see." and not out[0].text
    page = await world.engine.handle(Incoming.press(guard.user, ListPress("o", 0).pack()))
    assert page[0].notice == "These lists are for managers." and not page[0].text
    # Another site's manager sees their own site only, and not our cases.
    with world.db.transaction() as s:
        far = sites.create(
            s, code="far", name="Far", timezone="Asia/Shanghai", locale="en", now=world.clock.now()
        )
    await add_staff(world, FAR_ID, "Sun Li", "manager", site_id=far.id)
    other = world.chat(FAR_ID)
    await other.say("/today")
    assert other.text == "Nothing was opened today and no case is open."
    out = await world.engine.handle(
        Incoming.press(other.user, RecordPress(made[0].id or 0, "p").pack())
    )
    assert out[0].notice == "That is not a case you may see." and not out[0].files
    await other.say(f"/export {made[0].number}")
    assert other.text == f"There is no case {made[0].number} that you may see."
    # A stranger is only offered to ask for access.
    stranger = world.chat(9999)
    await stranger.say("/today")
    assert made[0].number not in stranger.text


async def test_a_list_leaves_the_report_in_progress_alone(world: World) -> None:
    seed(world, 1)
    await add_staff(world, FAR_ID + 1, "Zhao Qiang", "manager", "guard")
    chat = world.chat(FAR_ID + 1)
    await chat.say("wallet stolen")
    await chat.press("Lost or stolen property")
    question = chat.last
    await chat.say("/today")
    assert "2 cases" in chat.text  # theirs, being reported, and the seeded one
    chat.last = question
    await chat.press("Stolen")  # the question's buttons still work
    assert "When did the security team receive the report?" in chat.text


async def test_the_managers_menu_and_commands(world: World) -> None:
    seed(world, 1)
    chat = await manager(world)
    await chat.say("/start")
    assert "📋 Cases today" in chat.labels() and "⏰ Overdue" in chat.labels()
    names = [name for name, _ in chat.last[0].commands or ()]
    assert {"today", "open", "overdue", "case", "find", "stats", "export"} <= set(names)
    await chat.press("📋 Cases today")
    assert chat.question.title == "Opened today and still open"
    guard = world.chat()
    await guard.say("/start")
    assert "📋 Cases today" not in guard.labels()
    assert "today" not in [name for name, _ in guard.last[0].commands or ()]
