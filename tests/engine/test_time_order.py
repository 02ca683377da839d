"""Times that contradict each other are asked about, never silently accepted: the foreman
cannot arrive before the report was received (``not_before``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cases import service as cases
from bot.flows.loader import PlaybookError
from bot.flows.registry import load_registry
from tests.engine.test_people_step import start_theft
from tests.flows.test_all_paths import SHIPPED
from tests.support import Chat, World


async def to_foreman_arrival(chat: Chat) -> None:
    await chat.say("/start")
    await chat.say("wallet stolen")
    await chat.press("Security · Lost or stolen property")
    await chat.press("Stolen")
    await chat.say("22:00")  # report received (it is 22:30 now)
    for typed in ("Zhang San", "owner", "138"):
        await chat.say(typed)
    await chat.say("lobby")
    assert "When did the foreman arrive?" in chat.question.text


async def answers(world: World) -> dict[str, object]:
    with world.db.transaction() as session:
        case = cases.by_number(session, world.site_id, "2611-001")
        assert case is not None and case.id is not None
        return {k: r.value for k, r in cases.current_answers(session, case.id).items()}


async def test_an_arrival_before_the_report_is_asked_about_then_changed(world: World) -> None:
    chat = world.chat()
    await to_foreman_arrival(chat)
    await chat.say("21:30")
    question = chat.question.text.replace("\u202f", " ")
    assert (
        "11/22/26, 9:30 PM is earlier than Reported at (11/22/26, 10:00 PM). Keep it?" in question
    )
    assert chat.labels()[:2] == ["✓ Keep", "✎ Change"]
    assert "foreman_arrival" not in await answers(world)  # nothing recorded yet
    await chat.press("Change")
    assert "When did the foreman arrive?" in chat.question.text
    assert "Keep it?" not in chat.question.text and "🕒 Now" in chat.labels()
    await chat.say("22:10")
    assert "CCTV" in chat.question.text
    assert (await answers(world))["foreman_arrival"] == "2026-11-22T14:10:00+00:00"


async def test_an_out_of_order_time_can_be_kept(world: World) -> None:
    chat = world.chat()
    await to_foreman_arrival(chat)
    await chat.say("21:30")
    await chat.press("Keep")
    assert "CCTV" in chat.question.text
    assert (await answers(world))["foreman_arrival"] == "2026-11-22T13:30:00+00:00"


async def test_moving_the_earlier_time_past_a_later_one_is_asked_about(world: World) -> None:
    chat = world.chat()
    await to_foreman_arrival(chat)
    await chat.say("22:10")
    for _ in range(4):
        await chat.press("Back")
    assert "When did the security team receive the report?" in chat.question.text
    await chat.press("Now")  # 22:30, after the foreman's 22:10
    question = chat.question.text.replace("\u202f", " ")
    assert "10:30 PM is later than Foreman arrived (11/22/26, 10:10 PM). Keep it?" in question


async def test_the_question_is_in_chinese_for_a_chinese_reader(world: World) -> None:
    chat = world.chat(language="zh")
    await start_theft(chat, "zh")  # the report received "now", 22:30
    for typed in ("张三", "业主", "138", "大堂"):
        await chat.say(typed)
    await chat.say("22:00")
    assert "早于报案时间" in chat.question.text and "保留吗" in chat.question.text
    assert chat.labels()[:2] == ["✓ 保留", "✎ 修改"]


def test_the_shipped_procedures_order_their_times() -> None:
    a1 = SHIPPED.get("lost_property")
    assert a1.step("foreman_arrival").not_before == ["report_time"]  # type: ignore[attr-defined]
    fire = SHIPPED.get("fire")
    assert fire.step("brigade_arrival").not_before == [  # type: ignore[attr-defined]
        "discovered_at",
        "called_119_at",
    ]


@pytest.mark.parametrize(
    ("not_before", "message"),
    [
        ("later", "names 'later', which is not asked before it"),
        ("nowhere", "unknown step 'nowhere'"),
        ("kind", "names 'kind', which is not a datetime step"),
    ],
)
def test_flows_check_names_a_wrong_not_before(
    tmp_path: Path, not_before: str, message: str
) -> None:
    (tmp_path / "order.yaml").write_text(
        f"""id: order
version: 1
title: {{zh: 顺序, en: Order}}
keywords: {{zh: [顺序], en: [order]}}
steps:
  - id: kind
    kind: yesno
    source: "t"
    text: {{zh: 是吗, en: Is it}}
  - id: first
    kind: datetime
    source: "t"
    not_before: {not_before}
    text: {{zh: 何时, en: When}}
  - id: later
    kind: datetime
    source: "t"
    text: {{zh: 何时, en: When}}
""",
        encoding="utf-8",
    )
    with pytest.raises(PlaybookError) as raised:
        load_registry(tmp_path)
    assert "order.yaml:13: error: steps[1:first].not_before[0]: " + message in str(raised.value)
