"""Stored clocks with the injected clock: each default fires at the right minute in the site's
zone (a weekend, public holidays, a make-up working day, a DST night); the clock runs from the
answered time; pauses, extensions, owners, stops; an earliest clock met too early; each
reminder once; quiet hours hold what can wait."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.deadlines import service as deadlines
from bot.deadlines.defaults import usable
from bot.deadlines.models import DeadlineStatus
from bot.escalation.jobs import climb_due_alerts
from bot.sites import service as sites
from tests.deadlines.stored import (
    ESCALATION,
    complaint,
    complaints,
    deliveries,
    events,
    fire,
    officer,
    open_clock,
    row,
    set_clocks,
)
from tests.deadlines.support import BERLIN, SH, at
from tests.deadlines.test_defaults import EXPECTED, NAMES, SCENARIOS
from tests.support import World, add_staff

# The scenarios of test_defaults, as a site's settings: working hours, China's calendar or not.
SITE_SETTINGS = {
    "national_day_eve": (SH, {"working_hours": "08:30-17:30"}),
    "before_makeup_saturday": (SH, {}),
    "berlin_dst_night": (BERLIN, {"working_hours": "08:30-17:30", "public_holidays": "false"}),
    "spring_festival_eve": (SH, {"working_hours": "08:30-17:30"}),
}


def local(zone: str, text: str) -> datetime:
    """ "Fri 10-09 17:30" (2026, site wall clock) as a UTC instant."""
    moment = datetime.strptime("2026 " + text[4:], "%Y %m-%d %H:%M")
    return moment.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


@pytest.mark.parametrize("scenario", NAMES)
async def test_each_default_clock_fires_at_the_right_minute(world: World, scenario: str) -> None:
    """Every usable default, opened on a complaint received at the scenario's start and typed
    in five minutes later, fires (breach, or an earliest clock's reminder) at the minute the
    hand-checked table of test_defaults says, on the site's calendar: not a minute before."""
    zone, own = SITE_SETTINGS[scenario]
    with world.db.transaction() as session:
        site = sites.get(session, world.site_id)
        site.timezone = zone
        session.add(site)
    await set_clocks(world, **own)
    await officer(world)
    received = at(zone, *SCENARIOS[scenario][1])
    world.clock.set(received + timedelta(minutes=5))
    case = await complaint(world, received)
    expected = {}
    for clock in usable():
        opened = await open_clock(world, case, clock.key)
        expected[opened.id] = (clock.key, local(zone, EXPECTED[clock.key][NAMES.index(scenario)]))
    for deadline_id, (key, instant) in sorted(expected.items(), key=lambda item: item[1][1]):
        before = await row(world, deadline_id)
        assert before.due_at == instant, key
        fired = "reminded_at" if before.kind == "earliest" else "breached_at"
        if instant - timedelta(minutes=1) >= world.clock.now():
            world.clock.set(instant - timedelta(minutes=1))
            await fire(world)
            assert getattr(await row(world, deadline_id), fired) is None, key
        world.clock.set(max(instant, world.clock.now()))
        await fire(world)
        assert getattr(await row(world, deadline_id), fired) == world.clock.now(), key


async def test_a_complaint_of_1750_on_the_friday_before_qingming_is_due_on_wednesday(
    world: World,
) -> None:
    """Received Fri 2026-04-03 17:50; Sat–Mon 04-04..06 are Qingming. "Two working days" are
    Tue and Wed: due at the end of Wed 04-08, reminded at 80 % of its working time, 13:10 on
    Wednesday (6 h 10 min of Friday + 24 h + 24 h, of which 80 % is 43 h 20 min). The guard
    typed it in at 18:40: the clock runs from 17:50."""
    person = await officer(world)
    received = at(SH, 2026, 4, 3, 17, 50)
    world.clock.set(at(SH, 2026, 4, 3, 18, 40))
    case = await complaint(world, received)
    clock = await open_clock(world, case, "b10_satisfactory_reply")
    assert clock.started_at == received
    assert clock.due_at == at(SH, 2026, 4, 9, 0, 0)  # 24:00 of Wed 04-08
    assert clock.remind_at == at(SH, 2026, 4, 8, 13, 10)

    world.clock.set(at(SH, 2026, 4, 8, 13, 9))
    await fire(world)
    assert await deliveries(world, "deadline_reminder") == []
    world.clock.set(at(SH, 2026, 4, 8, 13, 10))
    await fire(world)
    sent = await deliveries(world, "deadline_reminder")
    assert [(d.staff_id, d.next_at) for d in sent] == [(person.id, world.clock.now())]

    world.clock.set(at(SH, 2026, 4, 8, 23, 59))
    await fire(world)
    assert (await row(world, clock.id)).breached_at is None
    world.clock.set(at(SH, 2026, 4, 9, 0, 0))
    await fire(world)
    assert (await row(world, clock.id)).breached_at == world.clock.now()
    assert [e.data["key"] for e in await events(world, case, "deadline_breached")] == [
        "b10_satisfactory_reply"
    ]


async def test_with_office_hours_the_same_complaint_is_due_at_wednesdays_closing(
    world: World,
) -> None:
    await set_clocks(world, working_hours="08:30-17:30")
    world.clock.set(at(SH, 2026, 4, 3, 18, 40))
    case = await complaint(world, at(SH, 2026, 4, 3, 17, 50))
    clock = await open_clock(world, case, "b10_satisfactory_reply")
    assert clock.due_at == at(SH, 2026, 4, 8, 17, 30)
    # After closing, Friday counts nothing: 80 % of Tue's and Wed's 9 hours is 14 h 24 min.
    assert clock.remind_at == at(SH, 2026, 4, 8, 13, 54)


async def test_a_site_span_and_a_closed_day_move_the_due_time(world: World) -> None:
    await set_clocks(world, b10_satisfactory_reply="3wd", closed_days="2026-04-08")
    world.clock.set(at(SH, 2026, 4, 3, 18, 40))
    case = await complaint(world, at(SH, 2026, 4, 3, 17, 50))
    clock = await open_clock(world, case, "b10_satisfactory_reply")
    # Tue 04-07, (Wed 04-08 closed), Thu 04-09, Fri 04-10: the end of Friday.
    assert clock.span == "3wd"
    assert clock.due_at == at(SH, 2026, 4, 11, 0, 0)


async def test_a_clock_waits_for_its_answer_and_moves_when_the_time_is_corrected(
    world: World,
) -> None:
    world.clock.set(at(SH, 2026, 12, 1, 10, 0))
    case = await complaint(world, None)
    clock = await open_clock(world, case, "b4_enquiry_reply")
    assert (clock.status, clock.due_at, clock.remind_at) == (DeadlineStatus.PENDING, None, None)
    world.clock.advance(timedelta(hours=30))
    assert await fire(world) == 0  # a pending clock never fires

    with world.db.transaction() as session:
        deadlines.step_answered(
            session,
            case,
            "received_at",
            at(SH, 2026, 12, 1, 9, 30).isoformat(),
            actor_id=world.guard.id or 0,
            now=world.clock.now(),
        )
    started = await row(world, clock.id)
    assert started.status == DeadlineStatus.OPEN
    assert started.due_at == at(SH, 2026, 12, 2, 9, 30)  # 24 h from the answered time

    with world.db.transaction() as session:
        deadlines.step_answered(
            session,
            case,
            "received_at",
            at(SH, 2026, 12, 1, 9, 0).isoformat(),
            actor_id=world.guard.id or 0,
            now=world.clock.now(),
        )
    assert (await row(world, clock.id)).due_at == at(SH, 2026, 12, 2, 9, 0)
    assert len(await events(world, case, "deadline_started")) == 2


async def test_an_earliest_callback_is_not_met_by_a_call_too_early(world: World) -> None:
    """ "Phone the customer 40 minutes later": a call at +5 minutes is not the callback."""
    world.clock.set(at(SH, 2026, 12, 1, 10, 0))
    case = await complaint(world, at(SH, 2026, 12, 1, 10, 0))
    clock = await open_clock(world, case, "b3_callback", until_step="contact")
    assert clock.kind == "earliest"
    assert clock.due_at == at(SH, 2026, 12, 1, 10, 40)
    with world.db.transaction() as session:
        met = deadlines.fulfil(session, case, "contact", at=at(SH, 2026, 12, 1, 10, 5), actor_id=1)
    assert met == []
    assert (await row(world, clock.id)).status == DeadlineStatus.OPEN
    assert len(await events(world, case, "deadline_too_early")) == 1
    with world.db.transaction() as session:
        met = deadlines.fulfil(session, case, "contact", at=at(SH, 2026, 12, 1, 10, 41), actor_id=1)
    assert [m.id for m in met] == [clock.id]
    done = await row(world, clock.id)
    assert (done.status, done.met_by) == (DeadlineStatus.MET, "contact")


async def test_a_met_clock_never_fires(world: World) -> None:
    world.clock.set(at(SH, 2026, 12, 1, 10, 0))
    case = await complaint(world, at(SH, 2026, 12, 1, 10, 0))
    clock = await open_clock(world, case, "b4_enquiry_reply", until_step="reply_sent")
    with world.db.transaction() as session:
        deadlines.step_answered(
            session, case, "reply_sent", True, actor_id=1, now=at(SH, 2026, 12, 2, 11, 0)
        )
    met = await events(world, case, "deadline_met")
    assert [(e.data["key"], e.data["late"]) for e in met] == [("b4_enquiry_reply", True)]
    world.clock.set(at(SH, 2026, 12, 3, 0, 0))
    assert await fire(world) == 0
    assert (await row(world, clock.id)).breached_at is None


async def test_a_pause_while_waiting_on_the_customer_moves_the_due_time(world: World) -> None:
    await officer(world)
    world.clock.set(at(SH, 2026, 12, 1, 10, 0))
    case = await complaint(world, at(SH, 2026, 12, 1, 10, 0))
    clock = await open_clock(world, case, "b4_enquiry_reply")
    assert clock.due_at == at(SH, 2026, 12, 2, 10, 0)
    world.clock.set(at(SH, 2026, 12, 1, 12, 0))
    with world.db.transaction() as session:
        deadlines.pause(
            session, clock.id or 0, reason="waiting_on_customer", by=1, now=world.clock.now()
        )
    world.clock.set(at(SH, 2026, 12, 2, 11, 0))  # past the old due time: paused, nothing fires
    assert await fire(world) == 0
    with world.db.transaction() as session:
        deadlines.resume(session, clock.id or 0, by=1, now=world.clock.now())
    resumed = await row(world, clock.id)
    assert resumed.due_at == at(SH, 2026, 12, 3, 9, 0)  # 23 h paused
    assert resumed.status == DeadlineStatus.OPEN
    kinds = [e.kind for e in await events(world, case) if e.kind.startswith("deadline_")]
    assert kinds == ["deadline_paused", "deadline_resumed"]


async def test_an_extension_is_approved_by_the_general_manager_only(world: World) -> None:
    await officer(world)
    gm = await add_staff(world, 3002, "Wu Gang", "general_manager")
    world.clock.set(at(SH, 2026, 4, 3, 18, 0))
    case = await complaint(world, at(SH, 2026, 4, 3, 17, 50))
    clock = await open_clock(world, case, "b10_satisfactory_reply")
    with world.db.transaction() as session, pytest.raises(deadlines.NotAllowed):
        deadlines.extend(
            session, clock.id or 0, approver_id=world.guard.id or 0, by="2wd", now=world.clock.now()
        )
    world.clock.set(at(SH, 2026, 4, 9, 0, 0))
    await fire(world)
    assert (await row(world, clock.id)).breached_at is not None
    with world.db.transaction() as session:
        deadlines.extend(
            session,
            clock.id or 0,
            approver_id=gm.id or 0,
            by="2wd",
            reason="投诉延期处理申请",
            now=world.clock.now(),
        )
    extended = await row(world, clock.id)
    # Two more working days from the end of Wed 04-08: Thu 04-09 and Fri 04-10.
    assert extended.due_at == at(SH, 2026, 4, 11, 0, 0)
    assert extended.breached_at is None  # the new due time can be breached again
    (event,) = await events(world, case, "deadline_extended")
    assert (event.actor_id, event.data["reason"]) == (gm.id, "投诉延期处理申请")


async def test_the_owner_is_reminded_and_a_stopped_case_fires_nothing(world: World) -> None:
    first = await officer(world)
    second = await officer(world, 3003, "Ma Lan")
    world.clock.set(at(SH, 2026, 12, 1, 10, 0))
    case = await complaint(world, at(SH, 2026, 12, 1, 10, 0))
    clock = await open_clock(world, case, "b4_enquiry_reply")
    other = await open_clock(world, case, "c3_verify_report")
    with world.db.transaction() as session:
        assert (
            deadlines.assign(
                session,
                case.id or 0,
                role="complaint_officer",
                staff_id=second.id or 0,
                now=world.clock.now(),
            )
            == 2
        )
    world.clock.set(clock.remind_at or world.clock.now())
    await fire(world)
    assert [d.staff_id for d in await deliveries(world, "deadline_reminder")] == [
        second.id,
        second.id,
    ]
    assert first.id not in {d.staff_id for d in await deliveries(world)}
    with world.db.transaction() as session:
        assert deadlines.stop_case(session, case.id or 0, now=world.clock.now(), reason="closed")
    world.clock.advance(timedelta(days=3))
    assert await fire(world) == 0
    assert (await row(world, other.id)).status == DeadlineStatus.STOPPED


async def test_each_reminder_and_breach_happens_once(world: World) -> None:
    await officer(world)
    world.clock.set(at(SH, 2026, 12, 1, 10, 0))
    case = await complaint(world, at(SH, 2026, 12, 1, 10, 0))
    await open_clock(world, case, "b4_enquiry_reply")
    world.clock.set(at(SH, 2026, 12, 1, 10, 0) + timedelta(hours=20))
    await fire(world)
    await fire(world)
    world.clock.set(at(SH, 2026, 12, 2, 10, 0))
    await fire(world)
    await fire(world)
    world.clock.advance(timedelta(hours=1))
    await fire(world)
    assert len(await events(world, case, "deadline_reminded")) == 1
    assert len(await events(world, case, "deadline_breached")) == 1
    assert len(await deliveries(world, "deadline_reminder")) == 1
    assert len(await events(world, case, "alert_raised")) == 1


async def test_a_clock_past_due_when_the_bot_comes_back_is_breached_without_a_reminder(
    world: World,
) -> None:
    await officer(world)
    world.clock.set(at(SH, 2026, 12, 1, 10, 0))
    case = await complaint(world, at(SH, 2026, 12, 1, 10, 0))
    await open_clock(world, case, "b4_enquiry_reply")
    world.clock.set(at(SH, 2026, 12, 3, 10, 0))  # down for two days
    assert await fire(world) == 1
    assert await deliveries(world, "deadline_reminder") == []
    assert len(await events(world, case, "deadline_breached")) == 1


async def test_quiet_hours_hold_a_reminder_that_can_wait_but_not_one_that_cannot(
    world: World,
) -> None:
    await officer(world)
    # "Within 5 days" of Tue 01 Dec 20:00 ends at 24:00 of Sun 06 Dec: 124 hours, reminded
    # 24 h 48 min before, at 23:12 on Sat 05 Dec, in the quiet hours (22:00–07:00): at 07:00.
    world.clock.set(at(SH, 2026, 12, 1, 20, 0))
    case = await complaint(world, at(SH, 2026, 12, 1, 20, 0))
    slow = await open_clock(world, case, "b7_resolve")
    assert slow.due_at == at(SH, 2026, 12, 7, 0, 0)
    assert slow.remind_at == at(SH, 2026, 12, 5, 23, 12)
    world.clock.set(at(SH, 2026, 12, 5, 23, 12))
    await fire(world)
    (held,) = await deliveries(world, "deadline_reminder")
    assert held.next_at == at(SH, 2026, 12, 6, 7, 0)
    # A 30-minute clock reminded at 23:24 is due at 23:30: it goes out at once.
    world.clock.set(at(SH, 2026, 12, 5, 23, 0))
    urgent_case = await complaint(world, at(SH, 2026, 12, 5, 23, 0))
    fast = await open_clock(world, urgent_case, "b3_first_response_dissatisfied")
    world.clock.set(fast.remind_at or world.clock.now())
    await fire(world)
    now_sent = [
        d for d in await deliveries(world, "deadline_reminder") if d.case_id == urgent_case.id
    ]
    assert [d.next_at for d in now_sent] == [world.clock.now()]


async def test_a_breach_tells_the_owner_and_climbs_the_complaints_chain(world: World) -> None:
    owner = await officer(world)
    colleague = await officer(world, 3003, "Ma Lan")
    manager = await add_staff(world, 3004, "Qian Yu", "manager")
    world.clock.set(at(SH, 2026, 12, 1, 10, 0))
    case = await complaint(world, at(SH, 2026, 12, 1, 10, 0))
    clock = await open_clock(world, case, "b3_submit_order")
    with world.db.transaction() as session:
        deadlines.assign(
            session,
            case.id or 0,
            role="complaint_officer",
            staff_id=owner.id or 0,
            now=world.clock.now(),
        )
    world.clock.set(clock.due_at or world.clock.now())
    await fire(world)
    assert [d.staff_id for d in await deliveries(world, "deadline_breached")] == [owner.id]
    # The owner was told in person; the chain starts with the other holders of the role.
    (alert,) = await events(world, case, "alert_raised")
    assert (alert.data["roles"], alert.data["staff"]) == (["complaint_officer"], [colleague.id])
    world.clock.advance(timedelta(minutes=30))
    await climb_due_alerts(world.db, world.clock, ESCALATION, complaints)
    (climbed,) = await events(world, case, "alert_escalated")
    assert climbed.data["staff"] == [manager.id]


async def test_where_a_stored_clock_stands(world: World) -> None:
    world.clock.set(at(SH, 2026, 12, 1, 10, 0))
    case = await complaint(world, at(SH, 2026, 12, 1, 10, 0))
    clock = await open_clock(world, case, "b4_enquiry_reply")
    waiting = await complaint(world, None)
    pending = await open_clock(world, waiting, "b4_enquiry_reply")
    with world.db.transaction() as session:
        row_now = deadlines.get(session, clock.id or 0)
        states = [
            deadlines.state(session, row_now, at(SH, 2026, 12, 1, 12, 0)),
            deadlines.state(session, row_now, at(SH, 2026, 12, 2, 6, 0)),
            deadlines.state(session, row_now, at(SH, 2026, 12, 2, 11, 0)),
            deadlines.state(session, deadlines.get(session, pending.id or 0), world.clock.now()),
        ]
    assert [s.state if s else None for s in states] == ["waiting", "due_soon", "overdue", None]
    assert states[2] is not None and states[2].overdue_by == timedelta(hours=1)
