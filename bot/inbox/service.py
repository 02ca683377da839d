"""The inbox's rows: stored on arrival, marked handled with the effects of handling them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, update
from sqlmodel import Session, col, select

from bot.inbox.models import InboxUpdate
from bot.storage.prepared import Prepared
from bot.storage.upsert import insert_for

TABLE = InboxUpdate.__table__  # type: ignore[attr-defined]


def store(
    session: Session,
    source: str,
    updates: Iterable[tuple[int, int | None, Any]],
    now: datetime,
) -> list[int]:
    """Store (update_id, chat_id, payload) triples; the ids that were new (a redelivery of one
    already stored is not stored twice)."""
    fresh: list[int] = []
    for update_id, chat_id, payload in updates:
        statement = (
            insert_for(session, InboxUpdate)
            .values(
                source=source,
                update_id=update_id,
                chat_id=chat_id,
                payload=payload,
                received_at=now,
            )
            .on_conflict_do_nothing()
            .returning(TABLE.c.update_id)
        )
        if session.exec(statement).first() is not None:  # type: ignore[call-overload]
            fresh.append(update_id)
    return fresh


_MARK = Prepared(
    lambda insert: (
        insert(TABLE)
        .values(
            source=bindparam("source"),
            update_id=bindparam("update_id"),
            received_at=bindparam("now"),
            handled_at=bindparam("now"),
        )
        .on_conflict_do_update(
            index_elements=["source", "update_id"],
            set_={"handled_at": bindparam("now")},
            where=TABLE.c.handled_at.is_(None),
        )
        .returning(TABLE.c.update_id)
    )
)


def mark_handled(session: Session, source: str, ids: Iterable[int], now: datetime) -> set[int]:
    """Mark updates handled, in the transaction that applies their effects; the ids that were
    not handled before. An id never stored (an update the intake carried straight to the
    engine, an event that did not come through the inbox) is recorded as handled, so that a
    redelivery of it is recognised; nothing of it is needed again."""
    fresh: set[int] = set()
    for update_id in ids:
        if _MARK.first(session, source=source, update_id=update_id, now=now) is not None:
            fresh.add(update_id)
    return fresh


def set_aside(session: Session, source: str, ids: Iterable[int], now: datetime, note: str) -> None:
    """Updates that never reach the engine (a group's message, one no client can read)."""
    for update_id in ids:
        statement = (
            update(InboxUpdate)
            .where(
                col(InboxUpdate.source) == source,
                col(InboxUpdate.update_id) == update_id,
                col(InboxUpdate.handled_at).is_(None),
            )
            .values(handled_at=now, note=note[:60])
        )
        session.exec(statement)  # type: ignore[call-overload]


def pending(session: Session, source: str, limit: int = 1000) -> list[InboxUpdate]:
    """Stored and not handled, oldest first."""
    query = (
        select(InboxUpdate)
        .where(InboxUpdate.source == source, col(InboxUpdate.handled_at).is_(None))
        .order_by(col(InboxUpdate.update_id))
        .limit(limit)
    )
    return list(session.exec(query).all())


def pending_before(
    session: Session, source: str, chat_id: int, update_id: int
) -> list[InboxUpdate]:
    """Earlier updates of the same chat still waiting (stored by another instance, perhaps)."""
    query = (
        select(InboxUpdate)
        .where(
            InboxUpdate.source == source,
            InboxUpdate.chat_id == chat_id,
            col(InboxUpdate.update_id) < update_id,
            col(InboxUpdate.handled_at).is_(None),
        )
        .order_by(col(InboxUpdate.update_id))
    )
    return list(session.exec(query).all())


def handled(session: Session, source: str, ids: Iterable[int]) -> set[int]:
    wanted = list(ids)
    if not wanted:
        return set()
    query = select(InboxUpdate.update_id).where(
        InboxUpdate.source == source,
        col(InboxUpdate.update_id).in_(wanted),
        col(InboxUpdate.handled_at).is_not(None),
    )
    return set(session.exec(query).all())


def last_update_id(session: Session, source: str) -> int | None:
    """The newest update stored: polling asks Telegram for what comes after it."""
    query = select(func.max(InboxUpdate.update_id)).where(InboxUpdate.source == source)
    value = session.exec(query).first()
    return None if value is None else int(value)


def forget_handled_before(session: Session, cutoff: datetime) -> int:
    """Drop updates handled before ``cutoff`` (Telegram redelivers for about a day). Updates not
    handled are never dropped."""
    statement = delete(InboxUpdate).where(
        col(InboxUpdate.handled_at).is_not(None), col(InboxUpdate.handled_at) < cutoff
    )
    return int(session.exec(statement).rowcount or 0)  # type: ignore[call-overload]
