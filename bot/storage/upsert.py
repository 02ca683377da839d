"""INSERT … ON CONFLICT for both back ends."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def insert_for(session: Session, table: Any) -> Any:
    """The dialect's ``insert`` (it has ``on_conflict_do_nothing`` / ``_do_update``)."""
    bind = session.get_bind()
    name = bind.dialect.name
    return postgresql.insert(table) if name == "postgresql" else sqlite.insert(table)
