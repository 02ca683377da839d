"""What the scheduler does for drills, with the injected clock: series kept a year ahead,
overdue scenarios flagged, moves and cancellations announced; and a drill case that rehearses a
procedure pings nobody real and is never counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.drills import records
from bot.drills import service as drills
from bot.drills.models import Drill, DrillStatus
from bot.drills.settings import DrillSettings
from bot.escalation.models import Alert, AlertStatus
from bot.sites.models import Site
from tests.drills.support import drill_site, local, plan_fire_drill
from tests.support import World


def _drills(world: World) -> list[Drill]:
    with world.db.transaction() as session:
        return list(session.exec(select(Drill).order_by(col(Drill.starts_at))).all())


async def test_a_recurring_plan_stays_planned_a_year_ahead(any_world: World) -> None:
    world = any_world
    site = await drill_site(world)
    coord = site.chat("coord")
    await coord.say("/drill")
    await coord.press("Evacuation")
    await coord.say("2026-12-08 15:00")
    await coord.say("Whole building")
    await coord.press("Skip")
    await coord.press("An Guard")
    await coord.press("Done")
    await coord.press("Skip")
    await coord.press("Use the usual purpose")
    await coord.press("Skip")
    await coord.press("Every 6 months")
    await coord.press("Plan it")
    assert "2 drills of this series are planned" in coord.text
    starts = [d.starts_at for d in _drills(world)]
    assert starts == [local(2026, 12, 8, 15), local(2027, 6, 8, 15)]
    # Half a year later the series reaches a year further; a second tick adds nothing.
    world.clock.set(local(2027, 6, 9, 9))
    site.tick()
    site.tick()
    assert [d.starts_at for d in _drills(world)][-1] == local(2028, 6, 8, 15)
    assert len(_drills(world)) == 4
    # Calling off the rest of the series stops it growing.
    await coord.say("/drills")
    await coord.press("Open 2")  # 8 Dec 2027 (the list starts on 1 January)
    await coord.press("Call off the rest of the series")
    assert "Called off" in coord.text
    world.clock.set(local(2028, 1, 1, 9))
    site.tick()
    assert [d.status for d in _drills(world)][2:] == [DrillStatus.CANCELLED] * 2
    assert len(_drills(world)) == 4


async def test_moves_and_cancellations_are_announced_to_everyone_concerned(
    any_world: World,
) -> None:
    world = any_world
    site = await drill_site(world)
    coord = await plan_fire_drill(site)
    await coord.say("/drills")
    await coord.press("Open 1")
    await coord.press("Move")
    await coord.say("2026-12-09 10:00")
    assert "Moved. Everyone concerned is told." in coord.text
    moved = site.deliveries("drill_moved")
    assert len(moved) == 5
    shown = site.render(site.deliveries("drill_moved", "a")[0])
    assert shown is not None and "please answer again" in shown.text
    # The reminders follow the new time.
    world.clock.set(local(2026, 12, 2, 10))
    site.tick()
    assert len(site.deliveries("drill_reminder")) == 4
    await coord.press("Call off")
    cancelled = site.deliveries("drill_cancelled")
    assert len(cancelled) == 5
    shown = site.render(site.deliveries("drill_cancelled", "b")[0])
    assert shown is not None and "is called off" in shown.text
    world.clock.set(local(2026, 12, 8, 10))
    site.tick()
    assert len(site.deliveries("drill_reminder")) == 4  # no more reminders


async def test_a_scenario_overdue_is_flagged_to_coordinators_and_managers(any_world: World) -> None:
    world = any_world
    site = await drill_site(world, DrillSettings(required_months={"fire": 6}))
    # The site is younger than six months: nothing yet.
    site.tick()
    assert site.deliveries("drill_due") == []
    world.clock.set(world.clock.now() + timedelta(days=183))
    site.tick()
    site.tick()
    flagged = site.deliveries("drill_due")
    assert {d.staff_id for d in flagged} == {site.people["coord"].id, site.people["gm"].id}
    shown = site.render(flagged[0])
    assert shown is not None and shown.title == "⚠ DRILL overdue: Fire"
    assert "None has been recorded." in shown.text
    # Once a month while it lasts.
    world.clock.set(world.clock.now() + timedelta(days=31))
    site.tick()
    assert len(site.deliveries("drill_due")) == 4
    # A fire drill done: no flag for six months.
    with world.db.transaction() as session:
        drill = drills.plan(
            session,
            site=world.site,
            coordinator_id=site.people["coord"].id or 0,
            scenario="fire",
            playbook_id="fire",
            starts_at=world.clock.now() + timedelta(hours=1),
            place="Lobby",
            commander_id=None,
            people=[],
            roles=[],
            groups=[],
            purpose="",
            assumption="",
            steps=[],
            every_months=0,
            now=world.clock.now(),
        )[0]
        records.start(session, drill, now=world.clock.now() + timedelta(hours=1))
        records.finish(session, drill, now=world.clock.now() + timedelta(hours=2))
    world.clock.set(world.clock.now() + timedelta(days=40))
    site.tick()
    assert len(site.deliveries("drill_due")) == 4


async def test_a_drill_case_pings_nobody_real_and_is_not_counted(any_world: World) -> None:
    world = any_world
    site = await drill_site(world)
    coord = site.chat("coord")
    await coord.say("/drill")
    await coord.press("A procedure of the library")
    await coord.press("Test alarm")
    await coord.say("2026-11-23 10:00")
    await coord.say("Lobby")
    await coord.press("Skip")
    await coord.press("Done")
    await coord.press("Skip")
    await coord.press("Use the usual purpose")
    await coord.press("Skip")
    await coord.press("Once")
    assert "What happened?" in coord.text  # the steps to rehearse, from the procedure
    await coord.press("Plan it")
    world.clock.set(local(2026, 11, 23, 10))
    await coord.press("Start the drill")
    await coord.press("Rehearse the procedure's steps")
    assert "DRILL: this report rehearses the procedure" in coord.text
    await coord.press("Theft")
    await coord.say("Lobby, 3F")  # the step whose answer notifies the security chief
    with world.db.transaction() as session:
        alert = session.exec(select(Alert)).one()
        assert alert.status == AlertStatus.DRILL
        counted = list(session.exec(records.real_cases(world.site_id)).all())
        drill = session.exec(select(Drill)).one()
    assert [d for d in site.deliveries() if d.kind == "ping"] == []
    assert counted == []
    assert drill.case_id == alert.case_id
    # A real report of the same procedure pings the chief and is counted.
    guard = site.chat("a")
    await guard.say("test alarm")
    await guard.press("Test alarm")
    await guard.press("Theft")
    await guard.say("Lobby, 3F")
    assert [d.staff_id for d in site.deliveries() if d.kind == "ping"] == [site.people["chief"].id]
    with world.db.transaction() as session:
        assert len(list(session.exec(records.real_cases(world.site_id)).all())) == 1


async def test_reminders_keep_the_site_time_across_daylight_saving(any_world: World) -> None:
    world = any_world
    site = await drill_site(world)
    berlin = ZoneInfo("Europe/Berlin")
    with world.db.transaction() as session:
        row = session.get(Site, world.site_id)
        assert row is not None
        row.timezone = "Europe/Berlin"
        session.add(row)
        drills.plan(
            session,
            site=row,
            coordinator_id=site.people["coord"].id or 0,
            scenario="evacuation",
            playbook_id=None,
            starts_at=local(2027, 3, 31, 15, tz=berlin),  # summer time (UTC+2)
            place="Hall",
            commander_id=None,
            people=[site.people["a"].id or 0],
            roles=[],
            groups=[],
            purpose="",
            assumption="",
            steps=[],
            every_months=0,
            now=world.clock.now(),
        )
    # Seven days before is 15:00 winter time (UTC+1): 14:00 UTC, not 13:00.
    world.clock.set(local(2027, 3, 24, 14, 59, tz=berlin))
    site.tick()
    assert site.deliveries("drill_reminder") == []
    world.clock.set(local(2027, 3, 24, 15, 0, tz=berlin))
    site.tick()
    assert len(site.deliveries("drill_reminder")) == 1
    assert local(2027, 3, 24, 15, 0, tz=berlin) == datetime(2027, 3, 24, 14, 0, tzinfo=UTC)
    # One hour before is 14:00 summer time.
    world.clock.set(local(2027, 3, 31, 13, 59, tz=berlin))
    site.tick()
    assert len(site.deliveries("drill_reminder")) == 2  # the 1-day one, on 30 March
    world.clock.set(local(2027, 3, 31, 14, 0, tz=berlin))
    site.tick()
    assert len(site.deliveries("drill_reminder")) == 3
