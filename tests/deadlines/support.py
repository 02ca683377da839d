"""Fixed instants in a site's zone, and the calendars the clock tests use."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.deadlines.calendar import SiteCalendar

SH = "Asia/Shanghai"
BERLIN = "Europe/Berlin"

ALL_DAY = SiteCalendar.of(SH)  # China's calendar, work all day on working days
OFFICE = SiteCalendar.of(SH, hours="08:30-17:30")  # with working hours
BERLIN_OFFICE = SiteCalendar.of(BERLIN, hours="08:30-17:30", public_holidays=False)


def at(zone: str, *parts: int) -> datetime:
    """A wall-clock time in ``zone`` as a UTC instant: at(SH, 2026, 10, 9, 17, 50)."""
    return datetime(*parts, tzinfo=ZoneInfo(zone)).astimezone(UTC)  # type: ignore[misc, arg-type]


def wall(zone: str, instant: datetime) -> str:
    """An instant as the site reads it: "Fri 2026-10-09 17:50"."""
    return instant.astimezone(ZoneInfo(zone)).strftime("%a %Y-%m-%d %H:%M")
