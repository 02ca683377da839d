"""Opening a case: from "My reports" (a button per case) or by typing its number anywhere
outside a report; only for those who may see it, and the same answer for a case that is not
theirs to see as for one that does not exist."""

from __future__ import annotations

from bot.sites import service as sites
from tests.engine.test_navigation import start_all_kinds
from tests.support import Chat, World, add_staff


async def reported(chat: Chat) -> None:
    await start_all_kinds(chat)
    await chat.say("/cancel")
    await chat.press("False alarm")


async def test_my_reports_open_each_case(world: World) -> None:
    chat = world.chat()
    await reported(chat)
    await chat.press("My reports")
    assert "2611-001 · All step kinds · cancelled" in chat.text
    assert "📂 2611-001" in chat.labels()
    await chat.press("📂 2611-001")
    shown = chat.text
    assert "Case 2611-001" in shown and "Status: cancelled (False alarm)" in shown
    assert "【Timeline】" in shown
    # The list again below the record, its buttons at hand.
    assert chat.question.title == "My reports"
    await chat.press("📂 2611-001")
    assert "Case 2611-001" in chat.text


async def test_a_typed_case_number_opens_it_outside_a_report(world: World) -> None:
    chat = world.chat()
    await reported(chat)
    await chat.say("2611-001")
    assert "Case 2611-001" in chat.text and "【Timeline】" in chat.text
    await chat.say("/mine")
    await chat.say("２６１１－００１")  # full-width, as a Chinese keyboard types it
    assert "Case 2611-001" in chat.text
    await chat.say("2611-999")
    assert chat.last[0].text == "There is no case 2611-999 that you may see."
    assert "📝 Report an incident" in chat.labels()  # where they were, again


async def test_a_case_number_says_nothing_to_those_who_may_not_see_it(world: World) -> None:
    await reported(world.chat())
    await add_staff(world, 2002, "Zhou Min", "guard")
    other_guard = world.chat(telegram_id=2002)
    await other_guard.say("/start")
    await other_guard.say("2611-001")
    assert other_guard.last[0].text == "There is no case 2611-001 that you may see."
    await add_staff(world, 2003, "Wu Gang", "manager")
    manager = world.chat(telegram_id=2003)
    await manager.say("/start")
    await manager.say("2611-001")
    assert "Case 2611-001" in manager.text
    with world.db.transaction() as session:
        elsewhere = sites.create(
            session,
            code="far",
            name="Far Hotel",
            timezone="Asia/Shanghai",
            locale="zh_Hans",
            now=world.clock.now(),
        )
    assert elsewhere.id is not None
    await add_staff(world, 2004, "孙丽", "manager", site_id=elsewhere.id)
    far = world.chat(telegram_id=2004)
    await far.say("/start")
    await far.say("2611-001")
    assert far.last[0].text == "没有您可以查看的案件 2611-001。"


async def test_inside_a_report_a_number_is_the_answer(world: World) -> None:
    chat = world.chat()
    await start_all_kinds(chat)
    for label in ("Done", "Red", "Pen", "Done", "No", "Skip"):
        await chat.press(label)
    await chat.say("2611")  # the amount, not a case
    assert "at most 1,000" in chat.text
