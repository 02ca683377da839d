"""Where each person is in their report. The database, not memory, holds the position."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.storage.types import json_field, utc_field


class Conversation(SQLModel, table=True):
    __tablename__ = "conversations"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", unique=True)
    case_id: int | None = Field(default=None, foreign_key="cases.id")
    # The follow-up task being answered (None: the person's own report, or no case).
    task_id: int | None = Field(default=None, foreign_key="tasks.id")
    # What the person is looking at: "menu", "pick", "step", "review".
    screen: str = Field(default="menu", max_length=20)
    step_id: str | None = Field(default=None, max_length=64)
    # Visited steps, for "back"; the current step is last.
    path: list[str] = json_field(list)
    # Work in progress on the current step (checklist marks, photos so far, people so far).
    draft: dict[str, Any] = json_field()
    # Button tokens of the last question: token index -> action. Bumping ``nonce`` makes every
    # older button stale.
    buttons: list[str] = json_field(list)
    nonce: int = 0
    updated_at: datetime = utc_field()


class ParkedWork(SQLModel, table=True):
    """A report or task set aside to do something else (a fire in the middle of a theft
    report): where its person was in it, to go on from there."""

    __tablename__ = "parked_work"
    __table_args__ = (UniqueConstraint("staff_id", "work", name="uq_parked_work_staff_work"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    # "r<case id>" for the person's own report, "t<task id>" for a task.
    work: str = Field(max_length=24)
    case_id: int = Field(foreign_key="cases.id")
    task_id: int | None = Field(default=None, foreign_key="tasks.id")
    screen: str = Field(max_length=20)
    step_id: str | None = Field(default=None, max_length=64)
    path: list[str] = json_field(list)
    draft: dict[str, Any] = json_field()
    parked_at: datetime = utc_field()
