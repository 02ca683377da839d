"""When things happen: recurrence by months and reminder times, in the site's time zone.

A reminder a whole number of days before keeps the wall-clock time ("7 days before 15:00" is at
15:00 local even across a daylight-saving change); hours and minutes are plain elapsed time.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


def add_months(moment: datetime, months: int, tz: ZoneInfo) -> datetime:
    """``moment`` (UTC) plus ``months`` at the same local time; the 31st becomes the month's last
    day where there is none."""
    local = moment.astimezone(tz)
    total = local.month - 1 + months
    year, month = local.year + total // 12, total % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    wall = local.replace(tzinfo=None, year=year, month=month, day=day)
    return wall.replace(tzinfo=tz).astimezone(UTC)


def before(moment: datetime, offset: timedelta, tz: ZoneInfo) -> datetime:
    """The instant ``offset`` before ``moment``: whole days on the local calendar, else elapsed."""
    if offset % timedelta(days=1):
        return moment - offset
    local = moment.astimezone(tz).replace(tzinfo=None) - offset
    return local.replace(tzinfo=tz).astimezone(UTC)


def reminder_times(
    starts_at: datetime, offsets: list[timedelta], tz: ZoneInfo
) -> list[tuple[timedelta, datetime]]:
    """Each reminder's offset and its due instant, earliest first."""
    return sorted(((o, before(starts_at, o, tz)) for o in offsets), key=lambda pair: pair[1])


def due_reminder(
    starts_at: datetime,
    offsets: list[timedelta],
    tz: ZoneInfo,
    *,
    now: datetime,
    since: datetime,
) -> tuple[timedelta, datetime] | None:
    """The reminder to send at ``now``: the latest one already due, if it fell due after
    ``since`` (when the drill was planned or moved; the invitation covered earlier ones) and the
    drill has not begun. A bot that was down sends only the latest, not a burst of stale ones."""
    if now >= starts_at:
        return None
    due = [(o, at) for o, at in reminder_times(starts_at, offsets, tz) if since < at <= now]
    return due[-1] if due else None


def occurrences(
    first: datetime, every_months: int, until: datetime, tz: ZoneInfo
) -> list[datetime]:
    """The series' instants from ``first`` up to ``until`` (always at least ``first``); counted
    from the first one, so a 31 January series keeps the 31st where a month has one."""
    found = [first]
    if every_months <= 0:
        return found
    n = 1
    while True:
        nxt = add_months(first, every_months * n, tz)
        if nxt > until:
            return found
        found.append(nxt)
        n += 1
