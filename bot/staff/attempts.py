"""Tries at invite and request codes, per Telegram user: at most ``LIMIT`` in any ``WINDOW``.

Counted in the database (one row per user, locked while it is read and written), so neither a
restart nor a second instance starts the count again. A try that comes too soon is refused
without looking at the code at all, and is not counted: the time the person is told to come
back is the time their next try will be looked at.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.staff.models import CodeAttempts
from bot.storage.upsert import insert_for

LIMIT = 5
WINDOW = timedelta(minutes=10)


def _row(session: Session, telegram_id: int) -> CodeAttempts:
    """The user's row, created if need be, locked until the transaction ends."""
    insert = insert_for(session, CodeAttempts).values(telegram_id=telegram_id, recent=[])
    session.exec(insert.on_conflict_do_nothing(index_elements=["telegram_id"]))  # type: ignore[call-overload]
    row = session.get(CodeAttempts, telegram_id, with_for_update=True, populate_existing=True)
    assert row is not None
    return row


def _recent(row: CodeAttempts, now: datetime) -> list[datetime]:
    times = sorted(datetime.fromisoformat(stamp) for stamp in row.recent)
    return [at for at in times if now - WINDOW < at <= now]


def admit(session: Session, telegram_id: int, now: datetime) -> bool:
    """Count a try at a code now; False (and the try refused) when the user has had ``LIMIT``
    tries in the last ``WINDOW``."""
    row = _row(session, telegram_id)
    recent = _recent(row, now)
    if len(recent) >= LIMIT:
        row.recent = [at.isoformat() for at in recent]
        row.refused_at = now
        admitted = False
    else:
        row.recent = [at.isoformat() for at in [*recent, now]]
        row.refused_at = None
        admitted = True
    session.add(row)
    session.flush()
    return admitted


def refused_until(session: Session, telegram_id: int, now: datetime) -> datetime | None:
    """When the user may try again, if their try at ``now`` was refused; None otherwise.

    Rounded up to the whole minute, so that a person who comes back at the minute they were
    told is let in.
    """
    row = session.get(CodeAttempts, telegram_id)
    if row is None or row.refused_at != now:
        return None
    recent = _recent(row, now)
    if len(recent) < LIMIT:
        return None
    free = recent[-LIMIT] + WINDOW
    minute = free.replace(second=0, microsecond=0)
    return minute if minute == free else minute + timedelta(minutes=1)


def forget_before(session: Session, cutoff: datetime) -> int:
    """Delete the rows of users whose newest try is older than ``cutoff`` (they count for
    nothing any more); how many went. A refused try is a try too."""
    stale = []
    for row in session.exec(select(CodeAttempts)):
        times = [datetime.fromisoformat(stamp) for stamp in row.recent]
        if row.refused_at is not None:
            times.append(row.refused_at)
        if not times or max(times) < cutoff:
            stale.append(row.telegram_id)
    if stale:
        table = CodeAttempts.__table__  # type: ignore[attr-defined]
        session.connection().execute(table.delete().where(table.c.telegram_id.in_(stale)))
    return len(stale)
