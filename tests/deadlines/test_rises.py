"""B1's rises on stored complaints, ticked with the injected clock: 热点 after a week, 重大 after
a month, 热点 for three different complainants of one matter within a month, 重要 for a matter
already closed; each once, on the timeline with its rule, the owners told."""

from __future__ import annotations

from datetime import timedelta

from bot.deadlines import service as deadlines
from tests.deadlines.stored import (
    complaint,
    deliveries,
    events,
    officer,
    open_clock,
    reload,
    rise,
)
from tests.deadlines.support import SH, at
from tests.support import World, add_staff


async def test_an_untouched_complaint_turns_hot_after_a_week_and_major_after_a_month(
    world: World,
) -> None:
    person = await officer(world)
    received = at(SH, 2026, 10, 30, 17, 50)
    world.clock.set(received + timedelta(minutes=20))
    case = await complaint(world, received, status="in_follow_up")

    world.clock.set(at(SH, 2026, 11, 6, 17, 49))
    assert await rise(world) == 0
    world.clock.set(at(SH, 2026, 11, 6, 17, 50))  # one week after it was received
    assert await rise(world) == 1
    assert (await reload(world, case)).classification == "hot"
    assert await rise(world) == 0  # once

    world.clock.set(at(SH, 2026, 11, 30, 17, 49))
    assert await rise(world) == 0
    world.clock.set(at(SH, 2026, 11, 30, 17, 50))  # one calendar month
    assert await rise(world) == 1
    assert (await reload(world, case)).classification == "major"

    rose = await events(world, case, "classification_rose")
    assert [(e.data["from"], e.data["to"], e.data["rule"]) for e in rose] == [
        ("general", "hot", "b1_unresolved_week"),
        ("hot", "major", "b1_unresolved_month"),
    ]
    assert [e.at for e in rose] == [at(SH, 2026, 11, 6, 17, 50), at(SH, 2026, 11, 30, 17, 50)]
    told = await deliveries(world, "case_rose")
    assert [(d.staff_id, d.params["to"]) for d in told] == [
        (person.id, "hot"),
        (person.id, "major"),
    ]


async def test_a_month_late_start_applies_both_rises_in_order_and_a_closed_one_none(
    world: World,
) -> None:
    await officer(world)
    received = at(SH, 2026, 10, 1, 9, 0)
    world.clock.set(received)
    waiting = await complaint(world, received, status="reported")
    closed = await complaint(world, received, status="closed")
    world.clock.set(at(SH, 2026, 11, 2, 9, 0))  # the bot was down for a month
    assert await rise(world) == 2
    assert (await reload(world, waiting)).classification == "major"
    assert (await reload(world, closed)).classification == "general"


async def test_the_owner_of_its_clocks_is_told_of_a_rise(world: World) -> None:
    await officer(world)
    owner = await officer(world, 3003, "Ma Lan")
    received = at(SH, 2026, 12, 1, 9, 0)
    world.clock.set(received)
    case = await complaint(world, received, status="in_follow_up")
    with world.db.transaction() as session:
        deadlines.open_deadline(
            session,
            case,
            key="reply",
            title={"zh": "答复", "en": "Reply"},
            roles=["complaint_officer"],
            now=received,
            clock="b10_satisfactory_reply",
        )
        deadlines.assign(
            session, case.id or 0, role="complaint_officer", staff_id=owner.id or 0, now=received
        )
    world.clock.set(received + timedelta(days=7))
    await rise(world)
    assert [d.staff_id for d in await deliveries(world, "case_rose")] == [owner.id]


async def test_three_different_complainants_of_one_matter_within_a_month_make_it_hot(
    world: World,
) -> None:
    await officer(world)
    zhang = {"complainant": [{"name": "张", "contact": "138 0000 0001"}], "matter": "Lift B noise"}
    li = {"complainant": [{"name": "李", "contact": "138 0000 0002"}], "matter": "lift b noise"}
    wang = {"complainant": [{"name": "王", "contact": "138 0000 0003"}], "matter": "Lift B noise"}
    other = {"complainant": [{"name": "赵", "contact": "138 0000 0004"}], "matter": "parking"}
    world.clock.set(at(SH, 2026, 11, 26, 10, 0))
    first = await complaint(world, world.clock.now(), answers=zhang, status="reported")
    world.clock.set(at(SH, 2026, 11, 28, 10, 0))
    again = await complaint(world, world.clock.now(), answers=zhang, status="reported")
    second = await complaint(world, world.clock.now(), answers=li, status="reported")
    parking = await complaint(world, world.clock.now(), answers=other, status="reported")
    assert await rise(world) == 0  # two people, not three
    world.clock.set(at(SH, 2026, 12, 1, 10, 0))  # the third person, within the month
    third = await complaint(world, world.clock.now(), answers=wang, status="reported")
    assert await rise(world) == 4
    levels = [(await reload(world, c)).classification for c in (first, again, second, third)]
    assert levels == ["hot"] * 4
    assert (await reload(world, parking)).classification == "general"
    (event,) = await events(world, third, "classification_rose")
    assert (event.data["rule"], event.data["source"]) == ("b1_repeat_complainants", "002:41")
    assert await rise(world) == 0


async def test_three_complainants_spread_over_more_than_a_month_do_not(world: World) -> None:
    def of(n: int) -> dict[str, object]:
        return {"complainant": [{"contact": f"13{n}"}], "matter": "water"}

    world.clock.set(at(SH, 2026, 10, 1, 10, 0))
    await complaint(world, world.clock.now(), answers=of(1), status="closed")
    world.clock.set(at(SH, 2026, 10, 20, 10, 0))
    await complaint(world, world.clock.now(), answers=of(2), status="reported")
    world.clock.set(at(SH, 2026, 11, 2, 10, 0))
    last = await complaint(world, world.clock.now(), answers=of(3), status="reported")
    await rise(world)
    # Not 热点 (Oct 1 → Nov 2 is more than a month); but the matter was closed: 重要.
    assert (await reload(world, last)).classification == "important"


async def test_a_complaint_about_a_closed_matter_is_important(world: World) -> None:
    chief = await add_staff(world, 3010, "Sun Li", "complaint_officer")
    gate = {"matter": "gate", "complainant": [{"contact": "139 0000 0009"}]}
    world.clock.set(at(SH, 2026, 11, 1, 10, 0))
    before = await complaint(world, world.clock.now(), answers=gate, level=None, status="reported")
    world.clock.set(at(SH, 2026, 11, 2, 10, 0))
    await complaint(world, world.clock.now(), answers=gate, status="closed")
    # The first came in while the matter was still open: not a second complaint.
    assert await rise(world) == 0
    world.clock.set(at(SH, 2026, 11, 10, 10, 0))
    case = await complaint(world, world.clock.now(), answers={**gate, "matter": "Gate"})
    assert await rise(world) == 1
    assert (await reload(world, case)).classification == "important"
    assert (await reload(world, before)).classification is None
    (event,) = await events(world, case, "classification_rose")
    assert event.data["rule"] == "b1_closed_matter"
    assert [d.staff_id for d in await deliveries(world, "case_rose")] == [chief.id]


async def test_a_complaint_waiting_on_the_customer_does_not_rise_with_age(world: World) -> None:
    await officer(world)
    received = at(SH, 2026, 12, 1, 9, 0)
    world.clock.set(received)
    case = await complaint(world, received, status="in_follow_up")
    clock = await open_clock(world, case, "b7_resolve")
    world.clock.set(received + timedelta(days=1))
    with world.db.transaction() as session:
        deadlines.pause(
            session, clock.id or 0, reason="waiting_on_customer", by=None, now=world.clock.now()
        )
    world.clock.set(received + timedelta(days=8))
    assert await rise(world) == 0
    with world.db.transaction() as session:
        deadlines.resume(session, clock.id or 0, by=None, now=world.clock.now())
    assert await rise(world) == 1
    assert (await reload(world, case)).classification == "hot"
