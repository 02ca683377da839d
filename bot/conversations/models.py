"""Where each person is in their report. The database, not memory, holds the position."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from bot.storage.types import json_field, utc_field


class Conversation(SQLModel, table=True):
    __tablename__ = "conversations"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", unique=True)
    case_id: int | None = Field(default=None, foreign_key="cases.id")
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
