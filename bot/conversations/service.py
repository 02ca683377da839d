"""Conversation rows: fetched under a row lock, one per staff member, written back once.

On the per-event path: statements built once (bound parameters), run on the unit's connection;
the conversation is a plain object the engine changes and :func:`save` writes back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlmodel import Session

from bot.conversations.models import Conversation
from bot.storage.upsert import insert_for

TABLE = Conversation.__table__  # type: ignore[attr-defined]
_LOCK = sa_select(TABLE).where(TABLE.c.staff_id == bindparam("staff")).with_for_update()
_FIELDS = ("case_id", "screen", "step_id", "path", "draft", "buttons", "nonce", "updated_at")
_SAVE = (
    sa_update(TABLE)
    .where(TABLE.c.id == bindparam("conversation"))
    .values({name: bindparam(f"new_{name}") for name in _FIELDS})
)


def lock(session: Session, staff_id: int, now: datetime) -> Conversation:
    """The staff member's conversation, created if needed, locked until the transaction ends.

    Almost every event finds the row: one locking read. Only a first contact inserts (racing
    first contacts both insert-or-ignore, then lock the one row).
    """
    connection = session.connection()
    row = connection.execute(_LOCK, {"staff": staff_id}).mappings().first()
    if row is None:
        statement = (
            insert_for(session, Conversation)
            .values(
                staff_id=staff_id,
                screen="menu",
                path=[],
                draft={},
                buttons=[],
                nonce=0,
                updated_at=now,
            )
            .on_conflict_do_nothing()
        )
        connection.execute(statement)
        row = connection.execute(_LOCK, {"staff": staff_id}).mappings().one()
    return Conversation(**row)


def save(session: Session, conversation: Conversation) -> None:
    """Write the conversation back (one statement, at the end of the event)."""
    params = {f"new_{name}": getattr(conversation, name) for name in _FIELDS}
    session.connection().execute(_SAVE, {"conversation": conversation.id, **params})


_GET = sa_select(TABLE).where(TABLE.c.staff_id == bindparam("staff"))


def get(session: Session, staff_id: int) -> Conversation | None:
    """The staff member's conversation as it stands, without locking or creating it."""
    row = session.connection().execute(_GET, {"staff": staff_id}).mappings().first()
    return Conversation(**row) if row is not None else None
