"""Conversation rows: fetched under a row lock, one per staff member."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from bot.conversations.models import Conversation
from bot.storage.upsert import insert_for


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
