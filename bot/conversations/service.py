"""Conversation rows: fetched under a row lock, one per staff member."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from bot.conversations.models import Conversation, ProcessedEvent
from bot.storage.upsert import insert_for


def first_delivery(session: Session, source: str, event_id: int, now: datetime) -> bool:
    """Record a transport event id; False when it was handled before (a redelivery)."""
    table = ProcessedEvent.__table__  # type: ignore[attr-defined]
    statement = (
        insert_for(session, ProcessedEvent)
        .values(source=source, event_id=event_id, at=now)
        .on_conflict_do_nothing()
        .returning(table.c.event_id)  # a row only when it was inserted (rowcount varies by driver)
    )
    result = session.exec(statement)  # type: ignore[call-overload]
    return result.first() is not None


def lock(session: Session, staff_id: int, now: datetime) -> Conversation:
    """The staff member's conversation, created if needed, locked until the transaction ends.

    Almost every event finds the row: one locking read. Only a first contact inserts (racing
    first contacts both insert-or-ignore, then lock the one row).
    """
    query = select(Conversation).where(Conversation.staff_id == staff_id).with_for_update()
    conversation = (session.exec(query)).first()
    if conversation is not None:
        return conversation
    statement = (
        insert_for(session, Conversation)
        .values(
            staff_id=staff_id, screen="menu", path=[], draft={}, buttons=[], nonce=0, updated_at=now
        )
        .on_conflict_do_nothing()
    )
    session.exec(statement)  # type: ignore[call-overload]
    return (session.exec(query)).one()


def forget_events_before(session: Session, cutoff: datetime) -> int:
    """Drop remembered event ids older than ``cutoff`` (Telegram redelivers for about a day)."""
    statement = delete(ProcessedEvent).where(col(ProcessedEvent.at) < cutoff)
    result = session.exec(statement)  # type: ignore[call-overload]
    return int(result.rowcount or 0)
