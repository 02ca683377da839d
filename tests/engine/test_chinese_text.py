"""Chinese as people read it: short labels, 、 between list items, brackets without stray spaces."""

from __future__ import annotations

from pathlib import Path

from bot.engine.steps import KINDS
from bot.engine.steps.location import LocationStep
from bot.engine.steps.people import PeopleStep
from bot.i18n import Catalogs
from bot.staff import service as staff_service
from bot.storage.db import Database
from tests.conftest import START
from tests.flows.test_all_paths import SHIPPED
from tests.support import make_world

ZH = Catalogs().translator("zh_Hans", "Asia/Shanghai")
EN = Catalogs().translator("en", "Asia/Shanghai")


def test_a_person_reads_with_short_labels_not_the_question_hint() -> None:
    reporter = SHIPPED.get("lost_property").step("reporter")
    assert isinstance(reporter, PeopleStep)
    person = {"name": "张三", "status": "业主 1203室", "contact": "13800000000"}
    assert KINDS["people"].format(reporter, ZH, [person]) == (
        "张三（身份:业主 1203室;联系方式:13800000000）"
    )
    assert KINDS["people"].format(reporter, EN, [person]) == (
        "张三 (Status: 业主 1203室; Contact: 13800000000)"
    )
    # Several people: one numbered line each, below the label.
    assert KINDS["people"].format(reporter, EN, [person, {"name": "李四"}]) == (
        "  1. 张三 (Status: 业主 1203室; Contact: 13800000000)\n  2. 李四"
    )
    # The question still carries the hint.
    assert reporter.fields[1].text["zh"] == "身份（业主/住户/顾客,房号）"


def test_a_named_place_has_its_coordinates_in_brackets() -> None:
    step = LocationStep.model_validate({"id": "p", "kind": "location", "text": {"zh": "哪里?"}})
    place = {"lat": 31.2304, "lon": 121.4737, "title": "大堂"}
    assert KINDS["location"].format(step, ZH, place) == "大堂（31.230400, 121.473700）"
    assert KINDS["location"].format(step, EN, place) == "大堂 (31.230400, 121.473700)"


def test_lists_and_sentences() -> None:
    assert ZH.join(["领班", "保安员"]) == "领班、保安员"
    assert EN.join(["Foreman", "Guard"]) == "Foreman, Guard"
    assert ZH.sentences("已创建。", "下次可用:x") == "已创建。下次可用:x"
    assert EN.sentences("Created.", "Next time: x") == "Created. Next time: x"


async def test_whoami_lists_roles_with_the_chinese_comma(
    sqlite_db: Database, tmp_path: Path
) -> None:
    world = await make_world(sqlite_db, tmp_path, START, locale="zh_Hans")
    with world.db.transaction() as session:
        assert world.guard.id is not None
        member = staff_service.get(session, world.guard.id)
        assert member is not None
        member.roles = ["guard", "foreman"]
        session.add(member)
    chat = world.chat()
    await chat.say("/start")
    await chat.say("/whoami")
    assert "岗位:保安员、领班" in chat.text
