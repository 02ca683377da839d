"""The planned drills as an iCalendar document (RFC 5545), built with the ``icalendar`` package:
one event per drill with a stable UID, cancelled ones marked CANCELLED, so a calendar that
imports it again updates instead of duplicating."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from bot.drills.models import Drill, DrillStatus

# How long a drill is shown in a calendar (the records ran from 10 minutes to about an hour).
SHOWN_FOR = timedelta(hours=1)


def calendar(
    drills: Iterable[Drill],
    *,
    site_code: str,
    title_of: dict[int, str],
    describe: dict[int, str],
    now: datetime,
) -> bytes:
    """``title_of`` and ``describe`` give each drill's summary and description (by id), already
    in the reader's language."""
    from icalendar import Calendar, Event  # imported when used: not at start-up

    cal = Calendar()
    cal.add("prodid", "-//dutybot//drills//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"dutybot drills · {site_code}")
    for drill in drills:
        assert drill.id is not None
        event = Event()
        event.add("uid", f"drill-{drill.id}@{site_code}.dutybot")
        event.add("dtstamp", now)
        event.add("dtstart", drill.starts_at)
        event.add("dtend", (drill.ended_at or drill.starts_at + SHOWN_FOR))
        event.add("summary", title_of.get(drill.id, drill.scenario))
        if drill.place:
            event.add("location", drill.place)
        if describe.get(drill.id):
            event.add("description", describe[drill.id])
        event.add("status", "CANCELLED" if drill.status == DrillStatus.CANCELLED else "CONFIRMED")
        event.add("last-modified", drill.updated_at or now)
        cal.add_component(event)
    return bytes(cal.to_ical())
