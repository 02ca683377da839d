"""Two instances on one PostgreSQL tick the clocks' jobs at the same moments: every reminder,
breach, rise and recurring job is done once (row locks, conditional updates, claimed runs)."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace
from datetime import timedelta

from sqlmodel import select

from bot.deadlines.models import JobRun
from bot.storage.db import Database
from tests.conftest import PG_URL
from tests.deadlines.stored import (
    complaint,
    deliveries,
    events,
    fire,
    officer,
    open_clock,
    rise,
    scheduled,
)
from tests.deadlines.support import SH, at
from tests.support import World, add_staff


async def test_two_schedulers_on_one_postgresql_act_once(pg_world: World) -> None:
    world = pg_world
    await officer(world)
    await officer(world, 3003, "Ma Lan")
    await add_staff(world, 3004, "Qian Yu", "manager")
    world.clock.set(at(SH, 2026, 11, 20, 10, 0))
    complaints = [await complaint(world, world.clock.now(), status="reported") for _ in range(12)]
    for case in complaints:
        await open_clock(world, case, "b4_enquiry_reply")
        await open_clock(world, case, "b3_submit_order")
    other = Database(PG_URL, schema=world.db.schema)
    twin = replace(world, db=other)
    try:
        moments = [
            timedelta(minutes=8),  # 80 % of 10 minutes
            timedelta(minutes=10),  # the 10-minute breaches
            timedelta(hours=20),  # 80 % of 24 hours (and the rounds, the box, statistics)
            timedelta(hours=24),  # the 24-hour breaches
            timedelta(days=7),  # the week's rise to 热点
        ]
        start = world.clock.now()
        for moment in moments:
            world.clock.set(start + moment)
            for job in (fire, rise, scheduled):
                await asyncio.gather(*(job(w) for w in (world, twin, world, twin)))
    finally:
        await other.dispose()

    for case in complaints:
        assert len(await events(world, case, "deadline_reminded")) == 2
        assert len(await events(world, case, "deadline_breached")) == 2
        assert len(await events(world, case, "alert_raised")) == 2
        assert len(await events(world, case, "classification_rose")) == 1
    sent = await deliveries(world)
    assert len(sent) == len({d.key for d in sent})
    reminders = Counter(d.params["deadline"] for d in sent if d.message == "deadline_reminder")
    assert set(reminders.values()) == {2}  # two officers, each reminded once per clock
    assert len([d for d in sent if d.message == "case_rose"]) == 2 * len(complaints)
    with world.db.transaction() as session:
        runs = list(session.exec(select(JobRun)).all())
    assert len(runs) == len({(r.job, r.scope, r.period) for r in runs})
    assert sum(r.job == "rise" for r in runs) == len(complaints)
