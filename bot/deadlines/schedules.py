"""When the site's recurring jobs fall due, on its wall clock: the night rounds (A5), the daily
complaint-box collection (B3), the morning digest, the monthly statistics (B2/B15).

Pure: given the site's settings and an instant, the latest occurrence at or before it. A job
runs for an occurrence while it is still worth doing (``late_limit``): the one that fell due
while the bot was down is done once at start, older ones are let go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.deadlines.clocks import add_months


@dataclass(frozen=True)
class Occurrence:
    at: datetime  # UTC
    period: str  # the job run's period key: "2026-12-01", "2026-12-01T23:00", "2026-12"


def daily(now: datetime, timezone: str, at: time) -> Occurrence:
    """The latest ``at`` (site time) at or before ``now``."""
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    day = local.date() if local.time().replace(tzinfo=None) >= at else local.date() - _DAY
    instant = _instant(day, at, zone)
    return Occurrence(instant, day.isoformat())


def round_of(now: datetime, timezone: str, at: time) -> Occurrence:
    """A night round: as :func:`daily`, its period naming the day and time."""
    found = daily(now, timezone, at)
    return Occurrence(found.at, f"{found.period}T{at:%H:%M}")


def monthly(now: datetime, timezone: str, at: time) -> Occurrence:
    """The latest 1st of a month at ``at`` (site time) at or before ``now``."""
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    first = local.date().replace(day=1)
    instant = _instant(first, at, zone)
    if instant > now:
        first = add_months(first, -1)
        instant = _instant(first, at, zone)
    return Occurrence(instant, f"{first:%Y-%m}")


def previous_month(period: str) -> str:
    """ "2026-12" → "2026-11": the month a statistics run is about."""
    year, month = (int(part) for part in period.split("-"))
    return f"{add_months(date(year, month, 1), -1):%Y-%m}"


_DAY = timedelta(days=1)


def _instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at).replace(tzinfo=zone).astimezone(UTC)
