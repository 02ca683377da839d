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

from bot.conversations.models import Conversation, ParkedWork
from bot.storage.prepared import Prepared, loaded
from bot.storage.upsert import insert_for

TABLE = Conversation.__table__  # type: ignore[attr-defined]
_LOCK = Prepared(sa_select(TABLE).where(TABLE.c.staff_id == bindparam("staff")).with_for_update())
_FIELDS = (
    "case_id",
    "task_id",
    "screen",
    "step_id",
    "path",
    "draft",
    "buttons",
    "nonce",
    "updated_at",
)
_SAVE = Prepared(
    sa_update(TABLE)
    .where(TABLE.c.id == bindparam("conversation"))
    .values({name: bindparam(f"new_{name}") for name in _FIELDS})
)


def lock(session: Session, staff_id: int, now: datetime) -> Conversation:
    """The staff member's conversation, created if needed, locked until the transaction ends.

    Almost every event finds the row: one locking read. Only a first contact inserts (racing
    first contacts both insert-or-ignore, then lock the one row).
    """
    found = _LOCK.mappings(session, staff=staff_id)
    if not found:
        connection = session.connection()
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
        found = _LOCK.mappings(session, staff=staff_id)
    return loaded(Conversation, found[0])


def save(session: Session, conversation: Conversation) -> None:
    """Write the conversation back (one statement, at the end of the event)."""
    params = {f"new_{name}": getattr(conversation, name) for name in _FIELDS}
    _SAVE.run(session, conversation=conversation.id, **params)


_GET = Prepared(sa_select(TABLE).where(TABLE.c.staff_id == bindparam("staff")))


def get(session: Session, staff_id: int) -> Conversation | None:
    """The staff member's conversation as it stands, without locking or creating it."""
    found = _GET.mappings(session, staff=staff_id)
    return loaded(Conversation, found[0]) if found else None


PARKED = ParkedWork.__table__  # type: ignore[attr-defined]


def work_key(case_id: int, task_id: int | None) -> str:
    """How a piece of work is named: "t<task id>" for a task, "r<case id>" for a report."""
    return f"t{task_id}" if task_id is not None else f"r{case_id}"


def park(session: Session, conversation: Conversation, now: datetime) -> str:
    """Set the conversation's report or task aside, where it stands; its key."""
    assert conversation.case_id is not None
    key = work_key(conversation.case_id, conversation.task_id)
    connection = session.connection()
    connection.execute(
        PARKED.delete().where(PARKED.c.staff_id == conversation.staff_id, PARKED.c.work == key)
    )
    connection.execute(
        PARKED.insert().values(
            staff_id=conversation.staff_id,
            work=key,
            case_id=conversation.case_id,
            task_id=conversation.task_id,
            screen=conversation.screen,
            step_id=conversation.step_id,
            path=list(conversation.path),
            draft=dict(conversation.draft),
            parked_at=now,
        )
    )
    return key


def unpark(session: Session, staff_id: int, key: str) -> ParkedWork | None:
    """Take a piece of work back from where it was set aside (the row goes)."""
    connection = session.connection()
    row = connection.execute(
        sa_select(PARKED).where(PARKED.c.staff_id == staff_id, PARKED.c.work == key)
    ).first()
    if row is None:
        return None
    connection.execute(PARKED.delete().where(PARKED.c.id == row.id))
    return ParkedWork(**row._mapping)


def parked(session: Session, staff_id: int) -> list[ParkedWork]:
    """The person's work set aside, the most recent first."""
    query = (
        sa_select(PARKED)
        .where(PARKED.c.staff_id == staff_id)
        .order_by(PARKED.c.parked_at.desc(), PARKED.c.id.desc())
    )
    return [ParkedWork(**row._mapping) for row in session.connection().execute(query)]


def forget_work(
    session: Session,
    *,
    case_id: int | None = None,
    task_id: int | None = None,
    staff_id: int | None = None,
    key: str | None = None,
    besides: int | None = None,
) -> None:
    """Drop what was set aside: of a case (closed, cancelled), of a task (handed on: everyone's
    but ``besides``'s), or one person's piece of work by its key (it is gone)."""
    where = []
    if case_id is not None:
        where.append(PARKED.c.case_id == case_id)
    if task_id is not None:
        where.append(PARKED.c.task_id == task_id)
    if staff_id is not None:
        where.append(PARKED.c.staff_id == staff_id)
    if key is not None:
        where.append(PARKED.c.work == key)
    if besides is not None:
        where.append(PARKED.c.staff_id != besides)
    assert where, "forget what?"
    session.connection().execute(PARKED.delete().where(*where))
