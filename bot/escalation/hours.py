"""Quiet hours: the night window in the site's time zone when non-urgent pings wait."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


def quiet_until(at: datetime, timezone: str, window: tuple[time, time]) -> datetime | None:
    """The end of the quiet window ``at`` falls in (UTC), or None when ``at`` is not quiet."""
    start, end = window
    if start == end:
        return None
    local = at.astimezone(ZoneInfo(timezone))
    clock = local.time().replace(tzinfo=None)
    if start < end:
        inside = start <= clock < end
        day = local.date()
    else:  # across midnight: 22:00-07:00
        inside = clock >= start or clock < end
        day = local.date() + timedelta(days=1) if clock >= start else local.date()
    if not inside:
        return None
    until = datetime.combine(day, end, tzinfo=ZoneInfo(timezone))
    return until.astimezone(UTC)
