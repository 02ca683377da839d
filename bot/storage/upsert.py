"""INSERT … ON CONFLICT for both back ends."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session


def insert_for(session: Session, table: Any) -> Any:
    """The dialect's ``insert`` (it has ``on_conflict_do_nothing`` / ``_do_update``)."""
    return dialect_insert(session.get_bind().dialect.name)(table)


def dialect_insert(name: str) -> Any:
    """The ``insert`` of the dialect named ``name``."""
    # Each dialect's module is imported when its database is used: PostgreSQL's would cost a
    # SQLite start-up some 30 ms.
    if name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert
