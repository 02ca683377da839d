"""A1 (lost or stolen property) against its rule, seed 000 lines 11-35: what the guard must do
and confirm, in the rule's order, and what the playbook adds of its own marked as such."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.cases import service as cases
from bot.engine.steps import KINDS
from bot.engine.steps.base import Answered, Invalid, StepIO
from bot.engine.steps.checklist import ChecklistStep
from bot.engine.steps.choice import ChoiceStep
from bot.engine.steps.people import PeopleStep
from bot.engine.summary import format_value
from bot.escalation import service as alerts
from bot.flows.conditions import AnswerCondition
from bot.flows.schema import NotifyAction
from bot.i18n import Catalogs, Translator
from tests.flows.test_fidelity import book, drive, in_seed, shown
from tests.support import World

EN = Catalogs().translator("en", "UTC")
ZH = Catalogs().translator("zh_Hans", "Asia/Shanghai")


def io(tr: Translator = EN) -> StepIO:
    return StepIO(tr=tr, now=datetime(2026, 11, 22, tzinfo=UTC))


def test_the_scene_is_sealed_with_tape_and_with_people() -> None:
    # 「以安全隔离带和人员封锁现场」: both, not either.
    assert in_seed("以安全隔离带和人员封锁现场", "000:21")
    cordon = book("lost_property").step("cordon")
    assert isinstance(cordon, ChecklistStep)
    assert "(以安全隔离带和人员封锁现场)" in cordon.text["zh"]  # the seed's own characters
    assert cordon.min_selected == len(cordon.options) == 2
    kind, state = KINDS["checklist"], io()
    state.draft = kind.start(cordon, None)
    assert kind.hint(cordon, state) == "Tick both, then press “Done”."
    kind.on_action(cordon, state, "toggle:tape")
    refused = kind.on_action(cordon, state, "done")
    assert isinstance(refused, Invalid) and refused.message == "Please confirm both are done."
    zh = io(ZH)
    zh.draft = {"selected": ["guards"]}
    refused = kind.on_action(cordon, zh, "done")
    assert isinstance(refused, Invalid) and refused.message == "请确认两项均已做到。"
    kind.on_action(cordon, state, "toggle:guards")
    assert kind.on_action(cordon, state, "done") == Answered(["tape", "guards"])
    # A checklist that asks for some of its options still says "at least".
    protected = book("lost_property").step("scene_protected")
    assert kind.hint(protected, io()) == "Tick both, then press “Done”."
    equipment = book("lost_property").step("equipment")
    assert kind.hint(equipment, io()) == "Tick what applies, then press “Done”."


def test_separate_questioning_follows_the_staff_interviews() -> None:
    # 000:31 (8c): staff interviewed one by one … 涉及二人以上应分别隔离询问.
    a1 = book("lost_property")
    order = [step.id for step in a1.steps]
    separate = a1.step("separate_interviews")
    assert separate.source == "000:31" and in_seed("涉及二人以上应分别隔离询问", "000:31")
    assert (
        order.index("interviewees")
        < order.index("staff_on_duty")
        < order.index("separate_interviews")
    )
    assert order.index("staff_recall") < order.index("separate_interviews")
    base = {"interviewees": [{}, {}, {}], "staff_off_duty": False}
    assert "separate_interviews" not in shown("lost_property", {**base, "staff_on_duty": [{}]})
    assert "separate_interviews" in shown("lost_property", {**base, "staff_on_duty": [{}, {}]})
    assert "separate_interviews" not in shown("lost_property", {**base, "staff_on_duty": []})


def test_the_obligations_need_an_explicit_answer() -> None:
    a1 = book("lost_property")
    for step_id, source in (("persons_retained", "000:19"), ("staff_on_duty", "000:31")):
        step = a1.step(step_id)
        assert isinstance(step, PeopleStep) and step.none_option
        assert step.required and step.source == source, step_id
        kind, state = KINDS["people"], io()
        state.draft = kind.start(step, None)
        labels = [label for row in kind.buttons(step, state) for label, _ in row]
        assert step.none_option["en"] in labels
        assert kind.on_action(step, state, "none") == Answered([])
        assert format_value(step, EN, []) == step.none_option["en"]
        assert format_value(step, ZH, []) == step.none_option["zh"]
        state.draft = {"people": [{"name": "Li"}], "person": {}, "field": None}
        assert kind.on_action(step, state, "none") is None  # someone is recorded: not "nobody"
    # The recall of staff who went off duty is confirmed, not only "was it needed".
    recalled = a1.step("staff_recall")
    assert isinstance(recalled, ChoiceStep) and isinstance(recalled.when, AnswerCondition)
    assert recalled.when.answer == "staff_off_duty"
    assert [o.id for o in recalled.options] == ["recalled", "not_yet"]
    assert in_seed("如下班,应尽快将其找回", "000:31")
    off = {"staff_on_duty": [{}], "staff_off_duty": True}
    assert "staff_recall" in shown("lost_property", off)
    assert "staff_recall" not in shown("lost_property", {**off, "staff_off_duty": False})


def test_additions_are_marked_and_the_foreman_is_notified() -> None:
    a1 = book("lost_property")
    for step_id, added in (("item_features", "名称、数量"), ("notify_chiefs", "电话或对讲")):
        text = a1.step(step_id).text
        assert not in_seed(added, a1.step(step_id).source or "")
        assert text["zh"].index("补充提示（非预案原文）") < text["zh"].index(added), step_id
        assert "Added hint (not in the rule)" in text["en"], step_id
    foreman = a1.step("foreman_arrival")
    assert foreman.source == "000:13" and in_seed("由领班迅速赶到报案现场", "000:13")
    assert foreman.actions_on == "enter"
    [notify] = foreman.actions
    assert isinstance(notify, NotifyAction) and notify.notify == ["foreman"]


async def test_a1_obligations_through_the_engine(world: World) -> None:
    picks = {
        "persons_retained": 0,  # "Nobody involved is present"
        "staff_on_duty": 2,
        "staff_off_duty": True,
        "staff_recall": "recalled",
        "police_requested": True,
        "scene_area": "public",
    }
    visited, case_id = await drive(world, "lost_property", picks)
    at = visited.index
    assert at("staff_on_duty") < at("staff_off_duty") < at("staff_recall")
    assert at("staff_recall") < at("separate_interviews")
    with world.db.transaction() as session:
        answers = cases.current_answers(session, case_id)
        notes = [(n.step_id, n.roles) for n in alerts.of_case(session, case_id)]
    retained = answers["persons_retained"]
    assert retained.value == [] and not retained.skipped  # an answer, not a skip
    assert answers["cordon"].value == ["tape", "guards"]
    assert ("foreman_arrival", ["foreman"]) in notes
