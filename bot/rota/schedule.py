"""Who the rota names at an instant: pure functions over shifts and swaps, in the site's zone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.rota.models import RotaShift, RotaSwap

DAY = 24 * 60
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def covers(shift: RotaShift, local: datetime) -> bool:
    """Whether the weekly shift covers the local wall-clock moment ``local``.

    A shift whose end is not after its start runs past midnight: Friday 20:00–08:00 covers
    Friday evening and Saturday morning.
    """
    minute = local.hour * 60 + local.minute
    today = local.weekday()
    if shift.start < shift.end:
        return shift.weekday == today and shift.start <= minute < shift.end
    if shift.weekday == today and minute >= shift.start:
        return True
    return shift.weekday == (today - 1) % 7 and minute < shift.end


def on_duty(
    shifts: Iterable[RotaShift], swaps: Iterable[RotaSwap], at: datetime, timezone: str
) -> list[int]:
    """Staff ids on duty at ``at``: a swap covering the moment replaces the weekly rota."""
    covering = [s.staff_id for s in swaps if s.starts_at <= at < s.ends_at]
    if covering:
        return sorted(set(covering))
    local = at.astimezone(ZoneInfo(timezone))
    return sorted({s.staff_id for s in shifts if covers(s, local)})


def boundaries(
    shifts: Iterable[RotaShift],
    swaps: Iterable[RotaSwap],
    start: datetime,
    end: datetime,
    timezone: str,
) -> list[datetime]:
    """Every instant in [start, end) where a shift or swap begins or ends, sorted, with start."""
    zone = ZoneInfo(timezone)
    points = {start}
    first = start.astimezone(zone).date() - timedelta(days=1)
    days = (end - start).days + 3
    for shift in shifts:
        for offset in range(days):
            day = first + timedelta(days=offset)
            if day.weekday() != shift.weekday:
                continue
            midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
            length = (shift.end - shift.start) % DAY or DAY
            for minutes in (shift.start, shift.start + length):
                # Aware arithmetic is wall-clock: across a DST change 08:00 stays 08:00.
                points.add((midnight + timedelta(minutes=minutes)).astimezone(UTC))
    for swap in swaps:
        points.update((swap.starts_at, swap.ends_at))
    return sorted(p for p in points if start <= p < end)


def next_change(
    shifts: list[RotaShift], swaps: list[RotaSwap], at: datetime, timezone: str
) -> datetime | None:
    """The next instant within a week at which the people on duty change."""
    now = on_duty(shifts, swaps, at, timezone)
    for point in boundaries(shifts, swaps, at, at + timedelta(days=8), timezone)[1:]:
        if on_duty(shifts, swaps, point, timezone) != now:
            return point
    return None


def holes(
    shifts: list[RotaShift],
    swaps: list[RotaSwap],
    start: datetime,
    end: datetime,
    timezone: str,
) -> list[tuple[datetime, datetime]]:
    """Stretches between ``start`` and ``end`` when nobody is on duty."""
    found: list[tuple[datetime, datetime]] = []
    hole_start: datetime | None = None
    for point in boundaries(shifts, swaps, start, end, timezone):
        empty = not on_duty(shifts, swaps, point, timezone)
        if empty and hole_start is None:
            hole_start = point
        elif not empty and hole_start is not None:
            found.append((hole_start, point))
            hole_start = None
    if hole_start is not None:
        found.append((hole_start, end))
    return found


def parse_clock(text: str) -> int | None:
    """``"08:00"`` → 480 minutes; ``"24:00"`` is midnight at the end of the day."""
    hours, sep, minutes = text.strip().partition(":")
    if not sep or not (hours.isascii() and hours.isdigit() and minutes.isascii()):
        return None
    if not minutes.isdigit() or len(minutes) != 2:
        return None
    value = int(hours) * 60 + int(minutes)
    return value if 0 <= int(minutes) < 60 and 0 <= value <= DAY else None


def parse_days(text: str) -> list[int] | None:
    """``mon-fri``, ``sat,sun``, ``daily`` (also ``1-5`` with Monday = 1) → weekday numbers."""
    text = text.strip().lower()
    if text in ("daily", "every", "all", "*"):
        return list(range(7))
    days: list[int] = []
    for part in text.split(","):
        first, dash, last = part.strip().partition("-")
        a, b = _day(first), _day(last) if dash else _day(first)
        if a is None or b is None:
            return None
        span = range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)]
        days.extend(d for d in span if d not in days)
    return days or None


def _day(text: str) -> int | None:
    text = text.strip()[:3]
    if text in WEEKDAYS:
        return WEEKDAYS.index(text)
    if text.isascii() and text.isdigit() and 1 <= int(text) <= 7:
        return int(text) - 1
    return None


def clock_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
