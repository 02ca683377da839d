"""A people step limited to one person (the reporter, ``max: 1``): going back to it shows the
person once, offers no "add more", and a typed name replaces the person."""

from __future__ import annotations

from bot.cases import service as cases
from tests.support import Chat, World


async def start_theft(chat: Chat, language: str = "en") -> None:
    await chat.say("/start")
    await chat.say("wallet stolen" if language == "en" else "钱包被偷")
    await chat.press(
        "Security · Lost or stolen property" if language == "en" else "安防 · 客户挂失财物及失窃"
    )
    await chat.press("Stolen" if language == "en" else "失窃")
    await chat.press("Now" if language == "en" else "现在")


async def reporter_of(world: World) -> object:
    with world.db.transaction() as session:
        case = cases.by_number(session, world.site_id, "2611-001")
        assert case is not None and case.id is not None
        return cases.current_answers(session, case.id)["reporter"].value


async def test_back_to_a_one_person_step_shows_the_person_once_and_offers_no_more(
    world: World,
) -> None:
    chat = world.chat()
    await start_theft(chat)
    for typed in ("Zhang San", "owner 1203", "13800000000"):
        await chat.say(typed)
    assert "Where was the property" in chat.question.text
    await chat.press("Back")
    text = chat.question.text
    assert text.count("Zhang San") == 1, text
    assert "  " not in text, text
    assert not any("Add" in label for label in chat.labels())
    assert "Add another" not in text and "add" not in text.casefold().replace("address", "")
    # A typed name is a new reporter, not an error about a button that is not there.
    await chat.say("Li Si")
    assert "Person 1 — Status" in chat.question.text
    await chat.say("guest")
    await chat.say("13900000000")
    assert "Where was the property" in chat.question.text
    assert await reporter_of(world) == [
        {"name": "Li Si", "status": "guest", "contact": "13900000000"}
    ]


async def test_back_to_a_one_person_step_reads_right_in_chinese(world: World) -> None:
    chat = world.chat(language="zh")
    await start_theft(chat, "zh")
    for typed in ("张三", "业主 1203室", "13800000000"):
        await chat.say(typed)
    await chat.press("上一步")
    text = chat.question.text
    assert text.count("张三") == 1, text
    assert "  " not in text, text
    await chat.press("完成")
    assert "发现财物丢失或失窃的地点" in chat.question.text


async def test_one_person_reads_on_one_line_in_the_review(world: World) -> None:
    chat = world.chat()
    await start_theft(chat)
    for typed in ("Zhang San", "owner 1203", "13800000000"):
        await chat.say(typed)
    await chat.say("/cancel")
    # The record shows the reporter without a number and without a double space.
    from bot.engine.summary import format_value
    from tests.flows.test_all_paths import SHIPPED

    step = SHIPPED.get("lost_property").step("reporter")
    value = await reporter_of(world)
    tr = world.engine.catalogs.translator("en", "Asia/Shanghai")
    assert format_value(step, tr, value) == "Zhang San (Status: owner 1203; Contact: 13800000000)"
