"""Cancelling asks why: a false alarm, a duplicate, started by mistake, or a few words; the
reason is on the ``cancelled`` event of the timeline and in the case's record."""

from __future__ import annotations

from bot.cases import service as cases
from bot.cases.models import CaseStatus
from tests.engine.test_navigation import start_all_kinds
from tests.support import Chat, World


async def cancelled(world: World) -> tuple[str, dict[str, object]]:
    with world.db.transaction() as session:
        case = cases.by_number(session, world.site_id, "2611-001")
        assert case is not None and case.id is not None
        event = cases.timeline(session, case.id)[-1]
        return case.status, {"kind": event.kind, **event.data}


async def record(chat: Chat) -> str:
    """The case's record, as its reporter opens it by typing its number."""
    await chat.say("2611-001")
    return chat.text


async def test_cancelling_asks_why_and_keeps_the_reason(world: World) -> None:
    chat = world.chat()
    await start_all_kinds(chat)
    await chat.press("Done")
    await chat.press("Cancel report")
    assert "Why is it cancelled?" in chat.question.text
    assert chat.labels() == [
        "False alarm",
        "Already reported (a duplicate)",
        "Started by mistake",
        "Another reason…",
        "No, continue",
    ]
    await chat.press("False alarm")
    assert "Report 2611-001 is cancelled" in chat.text
    status, event = await cancelled(world)
    assert status == CaseStatus.CANCELLED
    assert event == {"kind": "cancelled", "from": "in_progress", "reason": "false_alarm"}
    shown = await record(chat)
    assert "Status: cancelled (False alarm)" in shown
    assert "Li Wei · cancelled the report: False alarm" in shown


async def test_another_reason_is_typed(world: World) -> None:
    chat = world.chat()
    await start_all_kinds(chat)
    await chat.press("Done")
    await chat.press("Red")
    await chat.say("/cancel")
    await chat.press("Another reason…")
    assert "Why is report 2611-001 cancelled? Type it" in chat.question.text
    assert chat.question.expects == "text"
    await chat.say("   ")
    assert "Please type the reason" in chat.text
    await chat.say("/back")  # back to the reasons
    assert "Why is it cancelled?" in chat.question.text
    await chat.press("Another reason…")
    await chat.say("the guest found the wallet in her bag")
    assert "Report 2611-001 is cancelled" in chat.text
    status, event = await cancelled(world)
    assert status == CaseStatus.CANCELLED
    assert event["reason"] == "other" and event["note"] == "the guest found the wallet in her bag"
    shown = await record(chat)
    assert "Status: cancelled (the guest found the wallet in her bag)" in shown


async def test_not_cancelling_after_all_goes_back_to_the_question(world: World) -> None:
    chat = world.chat()
    await start_all_kinds(chat)
    await chat.press("Done")
    await chat.press("Red")
    await chat.press("Pen")  # a checklist half done
    await chat.say("/cancel")
    await chat.press("Another reason…")
    await chat.press("No, continue")
    assert "Items" in chat.question.text and "☑ Pen" in chat.labels()
    await chat.say("/cancel")
    await chat.press("No, continue")
    assert "Items" in chat.question.text and "☑ Pen" in chat.labels()
    status, _ = await cancelled(world)
    assert status == CaseStatus.IN_PROGRESS


async def test_the_reasons_in_chinese(world: World) -> None:
    chat = world.chat(language="zh")
    await chat.say("/start")
    await chat.say("钱包被偷")
    await chat.press("安防 · 客户挂失财物及失窃")
    await chat.say("/cancel")
    assert "为什么取消" in chat.question.text
    assert "误报" in chat.labels()
