"""The spans managers name, in a site's calendar: today, a day, a week, a month, a year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def day_start(now: datetime, timezone: str) -> datetime:
    """Midnight of ``now``'s day in the site's zone, as an aware instant."""
    local = now.astimezone(ZoneInfo(timezone))
    return datetime.combine(local.date(), time(0), tzinfo=local.tzinfo)


def local_day(day: date, timezone: str) -> tuple[datetime, datetime]:
    """The instants a site's calendar day starts and ends."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


@dataclass(frozen=True)
class Period:
    """A span of a site's calendar: ``kind`` is week, month or year; ``first`` its first day,
    ``end`` the day after its last."""

    kind: str
    first: date
    end: date

    def bounds(self, timezone: str) -> tuple[datetime, datetime]:
        return local_day(self.first, timezone)[0], local_day(self.end, timezone)[0]


def period_of(spec: str, today: date) -> Period | None:
    """``week`` (the last seven days), ``month`` (this month), ``year`` (this year) or
    ``YYYY-MM``; None for anything else."""
    spec = spec.strip().lower() or "month"
    if spec in ("week", "周", "本周"):
        return Period("week", today - timedelta(days=6), today + timedelta(days=1))
    if spec in ("month", "月", "本月"):
        return _month(today.year, today.month)
    if spec in ("year", "年", "今年"):
        return Period("year", date(today.year, 1, 1), date(today.year + 1, 1, 1))
    parts = spec.split("-")
    if len(parts) == 2 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
        year, month = int(parts[0]), int(parts[1])
        if 1 <= month <= 12 and 2000 <= year <= 9999:
            return _month(year, month)
    return None


def _month(year: int, month: int) -> Period:
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return Period("month", date(year, month, 1), end)
