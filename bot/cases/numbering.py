"""Case numbers: year + month + serial (catalog B14), the serial restarting every month.

The month is the site's local month, so a theft at 00:30 on the 1st in Shanghai belongs to the new
month even though it is still the previous month in UTC.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.cases.models import CaseCounter
from bot.storage.upsert import insert_for


def period_of(instant: datetime, timezone: str) -> str:
    return instant.astimezone(ZoneInfo(timezone)).strftime("%y%m")


def format_number(period: str, serial: int) -> str:
    return f"{period}-{serial:03d}"


def next_serial(session: Session, site_id: int, period: str) -> int:
    """Atomically take the next serial for a site and month (an upsert, safe under concurrency)."""
    insert = insert_for(session, CaseCounter).values(site_id=site_id, period=period, last=1)
    statement = insert.on_conflict_do_update(
        index_elements=["site_id", "period"],
        set_={"last": CaseCounter.__table__.c.last + 1},  # type: ignore[attr-defined]
    ).returning(CaseCounter.__table__.c.last)  # type: ignore[attr-defined]
    result = session.exec(statement)  # type: ignore[call-overload]
    return int(result.scalar_one())
