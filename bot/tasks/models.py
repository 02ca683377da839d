"""A task: one role's part of a case, or closing it, held by at most one person at a time."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, String
from sqlmodel import Field, SQLModel

from bot.storage.types import utc_field


class TaskKind(StrEnum):
    PART = "part"  # answer the steps the procedure gives the role (``by: role``)
    CLOSE = "close"  # review the case and close it


class TaskState(StrEnum):
    OPEN = "open"  # waiting: for anyone of its role, or for the person it was handed to
    STARTED = "started"  # its holder is on it
    DONE = "done"
    CANCELLED = "cancelled"  # the case was closed or cancelled before it was done


LIVE_STATES = frozenset({TaskState.OPEN, TaskState.STARTED})


class Task(SQLModel, table=True):
    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_site_state_role", "site_id", "state", "role"),
        Index("ix_tasks_holder_state", "holder_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    site_id: int = Field(foreign_key="sites.id")
    kind: str = Field(sa_column=Column(String(10), nullable=False))
    role: str = Field(max_length=40)
    # Which stage of the procedure's follow-up a part is (Playbook.stages); None to close.
    stage: int | None = Field(default=None)
    # Who holds it: the person who started it, or to whom it was handed; none: anyone of role.
    holder_id: int | None = Field(default=None, foreign_key="staff.id")
    state: str = Field(default=TaskState.OPEN, sa_column=Column(String(12), nullable=False))
    created_at: datetime = utc_field()
    started_at: datetime | None = utc_field(nullable=True)
    done_at: datetime | None = utc_field(nullable=True)
    updated_at: datetime = utc_field()
