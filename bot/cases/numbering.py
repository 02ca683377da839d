"""Case numbers: year + month + serial (catalog B14), the serial restarting every month.

The month is the site's local month, so a theft at 00:30 on the 1st in Shanghai belongs to the new
month even though it is still the previous month in UTC.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam
from sqlmodel import Session

from bot.cases.models import CaseCounter
from bot.storage.prepared import Prepared


def period_of(instant: datetime, timezone: str) -> str:
    return instant.astimezone(ZoneInfo(timezone)).strftime("%y%m")


def format_number(period: str, serial: int) -> str:
    return f"{period}-{serial:03d}"


COUNTERS = CaseCounter.__table__  # type: ignore[attr-defined]
_NEXT = Prepared(
    lambda insert: (
        insert(COUNTERS)
        .values(site_id=bindparam("site"), period=bindparam("period"), last=1)
        .on_conflict_do_update(
            index_elements=["site_id", "period"], set_={"last": COUNTERS.c.last + 1}
        )
        .returning(COUNTERS.c.last)
    )
)


def next_serial(session: Session, site_id: int, period: str) -> int:
    """Atomically take the next serial for a site and month (an upsert, safe under concurrency)."""
    return int(_NEXT.scalar(session, site=site_id, period=period))
