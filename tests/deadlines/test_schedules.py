"""The site's recurring jobs ticked with the injected clock: night rounds to the guard on duty
and a missed round flagged to the foreman (A5), the complaint box (B3), the 08:00 digest, the
monthly statistics (B2/B15); each once per period, the one that fell due while the bot was down
done once at start, older ones let go."""

from __future__ import annotations

from bot.cases import service as cases
from bot.rota import service as rota
from bot.sites import service as sites
from tests.deadlines.stored import complaint, deliveries, officer, open_clock, scheduled, set_clocks
from tests.deadlines.support import SH, at
from tests.support import World, add_staff


async def night_staff(world: World) -> tuple[int, int, int]:
    """Two guards, one on the night shift (22:00–06:00 every day), and a foreman."""
    night = await add_staff(world, 4001, "Zhao Night", "guard")
    foreman = await add_staff(world, 4002, "Sun Li", "foreman")
    with world.db.transaction() as session:
        rota.add_shifts(
            session,
            site_id=world.site_id,
            role="guard",
            staff_id=night.id or 0,
            weekdays=list(range(7)),
            start=22 * 60,
            end=30 * 60,
            now=world.clock.now(),
        )
    assert night.id and foreman.id and world.guard.id
    return night.id, foreman.id, world.guard.id


async def test_night_rounds_go_to_the_guard_on_duty_and_a_missed_one_to_the_foreman(
    world: World,
) -> None:
    night, foreman, day_guard = await night_staff(world)
    world.clock.set(at(SH, 2026, 12, 1, 22, 59))
    await scheduled(world)
    assert await deliveries(world, "night_round") == []
    world.clock.set(at(SH, 2026, 12, 1, 23, 0))
    await scheduled(world)
    await scheduled(world)
    rounds = await deliveries(world, "night_round")
    assert [d.staff_id for d in rounds] == [night]  # the day guard is not on duty
    assert day_guard not in {d.staff_id for d in rounds}

    # The 23:00 round is reported (a night post check opened at 23:20): nothing flagged.
    world.clock.set(at(SH, 2026, 12, 1, 23, 20))
    with world.db.transaction() as session:
        cases.open_case(
            session,
            site=sites.get(session, world.site_id),
            playbook_id="night_post_check",
            playbook_version=1,
            reporter_id=night,
            now=world.clock.now(),
        )
    world.clock.set(at(SH, 2026, 12, 2, 0, 0))
    await scheduled(world)
    assert await deliveries(world, "round_missed") == []

    # The 03:00 round is reminded and not reported: flagged at 04:00 (the grace of 60 min).
    world.clock.set(at(SH, 2026, 12, 2, 3, 0))
    await scheduled(world)
    assert len(await deliveries(world, "night_round")) == 2
    world.clock.set(at(SH, 2026, 12, 2, 3, 59))
    await scheduled(world)
    assert await deliveries(world, "round_missed") == []
    world.clock.set(at(SH, 2026, 12, 2, 4, 0))
    await scheduled(world)
    await scheduled(world)
    missed = await deliveries(world, "round_missed")
    assert [(d.staff_id, d.params["at"]) for d in missed] == [
        (foreman, at(SH, 2026, 12, 2, 3, 0).isoformat())
    ]


async def test_the_round_times_are_a_site_setting(world: World) -> None:
    night, _, _ = await night_staff(world)
    await set_clocks(world, night_rounds="00:30, 04:15")
    world.clock.set(at(SH, 2026, 12, 1, 23, 0))
    await scheduled(world)
    assert await deliveries(world, "night_round") == []
    world.clock.set(at(SH, 2026, 12, 2, 0, 30))
    await scheduled(world)
    assert [d.staff_id for d in await deliveries(world, "night_round")] == [night]


async def test_the_complaint_box_and_the_monthly_statistics(world: World) -> None:
    person = await officer(world)
    manager = await add_staff(world, 4003, "Qian Yu", "manager")
    world.clock.set(at(SH, 2026, 12, 1, 8, 59))
    await scheduled(world)
    assert await deliveries(world, "complaint_box") == []
    assert await deliveries(world, "monthly_statistics") == []
    world.clock.set(at(SH, 2026, 12, 1, 9, 0))
    await scheduled(world)
    box = await deliveries(world, "complaint_box")
    assert [d.staff_id for d in box] == [person.id]
    stats = await deliveries(world, "monthly_statistics")
    assert sorted((d.staff_id, d.params["month"]) for d in stats) == sorted(
        [(person.id, "2026-11"), (manager.id, "2026-11")]
    )
    world.clock.set(at(SH, 2026, 12, 2, 9, 0))  # the next day: the box again, no statistics
    await scheduled(world)
    assert len(await deliveries(world, "complaint_box")) == 2
    assert len(await deliveries(world, "monthly_statistics")) == 2


async def test_the_morning_digest_says_what_is_due_today_overdue_and_came_in_overnight(
    world: World,
) -> None:
    await officer(world)
    manager = await add_staff(world, 4003, "Qian Yu", "manager")
    gm = await add_staff(world, 4004, "Wu Gang", "general_manager")
    world.clock.set(at(SH, 2026, 11, 30, 9, 0))
    old = await complaint(world, world.clock.now())
    await open_clock(world, old, "c3_verify_report")  # due Tue 01 Dec 09:00: overdue on the 2nd
    world.clock.set(at(SH, 2026, 12, 1, 10, 0))
    today = await complaint(world, world.clock.now())
    await open_clock(world, today, "b4_enquiry_reply")  # due Wed 02 Dec 10:00: due today
    world.clock.set(at(SH, 2026, 12, 2, 2, 30))
    night = await complaint(world, world.clock.now(), level=None)
    world.clock.set(at(SH, 2026, 12, 2, 7, 59))
    await scheduled(world)
    assert await deliveries(world, "morning_digest") == []
    world.clock.set(at(SH, 2026, 12, 2, 8, 0))
    await scheduled(world)
    digests = await deliveries(world, "morning_digest")
    assert {d.staff_id for d in digests} == {manager.id, gm.id} and len(digests) == 2
    params = digests[0].params
    assert [i["number"] for i in params["due_today"]] == [today.number]
    assert [i["number"] for i in params["overdue"]] == [old.number]
    assert [i["number"] for i in params["overnight"]] == [night.number]


async def test_what_fell_due_while_down_is_done_once_at_start_and_older_is_let_go(
    world: World,
) -> None:
    await officer(world)
    await add_staff(world, 4003, "Qian Yu", "manager")
    # Down from Mon 30 Nov 20:00 to Tue 01 Dec 10:30: the digest (08:00) and the box (09:00)
    # of today are done once at start; the 23:00 and 03:00 rounds (no guard on duty) are past
    # their hour of use.
    world.clock.set(at(SH, 2026, 12, 1, 10, 30))
    first = await scheduled(world)
    again = await scheduled(world)
    assert again == 0
    assert first >= 3  # digest, box, statistics (1 Dec)
    assert len({d.key for d in await deliveries(world)}) == len(await deliveries(world))
    # Down again until Thu 08:05: Wednesday's digest is not sent a day late, Thursday's is.
    world.clock.set(at(SH, 2026, 12, 3, 8, 5))
    await scheduled(world)
    digests = {d.params["at"] for d in await deliveries(world, "morning_digest")}
    assert digests == {
        at(SH, 2026, 12, 1, 8, 0).isoformat(),
        at(SH, 2026, 12, 3, 8, 0).isoformat(),
    }
