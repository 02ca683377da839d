"""What the scheduler runs for drills, every ``tick_seconds``: reminders before a drill, a ping
when one has not started in time, a flag when a scenario went too long without a drill,
rectification reminders until confirmed, and recurring series kept a year ahead.

Everything it writes is an outbox row with a key (exactly once, on any number of instances);
what fell due while the bot was down is handled by the first tick after start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.clock import Clock
from bot.delivery import service as outbox
from bot.delivery.models import DeliveryKind
from bot.drills import records
from bot.drills import service as drills
from bot.drills.schedule import add_months, due_reminder
from bot.drills.settings import DrillSettings
from bot.sites import service as sites
from bot.storage.db import Database

log = logging.getLogger(__name__)
# Who is told when a scenario is overdue.
OVERDUE_ROLES = ("drill_coordinator", "manager", "general_manager")


async def drill_tick(
    db: Database, clock: Clock, settings: DrillSettings, on_outbox: Callable[[], None] | None = None
) -> int:
    """One look at everything due; how many messages were written."""
    written = await db.run(partial(tick, now=clock.now(), settings=settings))
    if written:
        log.info("drills: %d message(s) written", written)
        if on_outbox is not None:
            on_outbox()
    return written


def tick(session: Session, *, now: datetime, settings: DrillSettings) -> int:
    drills.extend_series(session, now=now)
    return (
        remind(session, now=now, settings=settings)
        + not_started(session, now=now, settings=settings)
        + overdue(session, now=now, settings=settings)
        + fixes(session, now=now, settings=settings)
    )


def remind(session: Session, *, now: datetime, settings: DrillSettings) -> int:
    """Participants of drills ahead: the reminder due now (7 days, 1 day, 1 hour before)."""
    written = 0
    horizon = max(
        [*settings.reminders, *(o for s in settings.sites.values() for o in s.reminders or [])]
    )
    for drill in drills.planned_before(session, now + horizon + timedelta(days=1)):
        site = sites.get(session, drill.site_id)
        offsets = settings.reminders_for(site.code)
        since = max(drill.created_at, drill.updated_at)
        found = due_reminder(
            drill.starts_at, offsets, ZoneInfo(site.timezone), now=now, since=since
        )
        if found is None:
            continue
        offset, _at = found
        people = [s.id for s in drills.participants(session, drill) if s.id is not None]
        written += drills.announce(
            session,
            drill,
            "drill_reminder",
            now,
            to=people,
            tag=f"{drill.starts_at:%Y%m%dT%H%M}-{int(offset.total_seconds())}",
            params={"before": int(offset.total_seconds())},
        )
    return written


def not_started(session: Session, *, now: datetime, settings: DrillSettings) -> int:
    """A drill still not started ``not_started_after`` its time: its coordinator and commander."""
    written = 0
    for drill in drills.planned_before(session, now - settings.not_started_after):
        to = {drill.coordinator_id}
        if drill.commander_id is not None:
            to.add(drill.commander_id)
        written += drills.announce(session, drill, "drill_late", now, to=sorted(to))
    return written


def overdue(session: Session, *, now: datetime, settings: DrillSettings) -> int:
    """A scenario without a drill within the site's required months: its coordinators and
    managers are told, once a month while it lasts. A site younger than the interval is not."""
    written = 0
    for site in sites.all_sites(session):
        assert site.id is not None
        tz = ZoneInfo(site.timezone)
        for scenario, months in sorted(settings.required_for(site.code).items()):
            last = drills.last_done(session, site.id, scenario)
            since = site.created_at if last is None else (last.started_at or last.starts_at)
            if add_months(since, months, tz) > now:
                continue
            month = now.astimezone(tz).strftime("%Y-%m")
            for staff_id in drills.holders(session, site.id, OVERDUE_ROLES):
                row = outbox.enqueue(
                    session,
                    key=f"drill-due:{site.id}:{scenario}:{month}:{staff_id}",
                    site_id=site.id,
                    kind=DeliveryKind.NOTICE,
                    message="drill_due",
                    params={
                        "scenario": scenario,
                        "months": months,
                        "last": last.id if last is not None else None,
                    },
                    now=now,
                    staff_id=staff_id,
                )
                written += row is not None
    return written


def fixes(session: Session, *, now: datetime, settings: DrillSettings) -> int:
    """Open rectifications: their owner is reminded each day from the deadline, at
    ``fix_hour`` site time, until one is confirmed done with a photo."""
    written = 0
    for fix in records.open_shortcomings(session):
        drill = drills.get(session, fix.drill_id)
        assert drill is not None
        tz = ZoneInfo(sites.get(session, drill.site_id).timezone)
        today = now.astimezone(tz).date()
        at = datetime.combine(today, time(settings.fix_hour), tzinfo=tz)
        if today < fix.due_on or now < at:
            continue
        written += drills.announce(
            session,
            drill,
            "drill_fix",
            now,
            to=[fix.owner_id],
            tag=f"{fix.id}-{today:%Y%m%d}",
            params={"fix": fix.id, "reminder": True},
        )
    return written
