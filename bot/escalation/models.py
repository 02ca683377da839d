"""An alert: what a procedure's notify action raised, the chain level it reached, who answered."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from bot.storage.types import json_field, utc_field


class AlertStatus(StrEnum):
    OPEN = "open"  # waiting for an acknowledgement; climbs the chain at ``next_at``
    ACKNOWLEDGED = "acknowledged"
    UNANSWERED = "unanswered"  # the whole chain was tried and nobody acknowledged
    DRILL = "drill"  # raised by a drill case: recorded, nobody real pinged (issue 11)


class Alert(SQLModel, table=True):
    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_due", "status", "next_at"),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="sites.id")
    case_id: int = Field(foreign_key="cases.id", index=True)
    step_id: str | None = Field(default=None, max_length=64)
    # The roles the procedure named (level 0).
    roles: list[str] = json_field(list)
    # The procedure's words for the recipients: {"zh": …, "en": …}.
    message: dict[str, str] = json_field()
    # Short facts for the reader, taken when it was raised: [[step_id, value], …].
    facts: list[Any] = json_field(list)
    chain: str = Field(max_length=40)
    # The chain step the alert climbs to after level 0 (past the roles the procedure named).
    chain_start: int = 0
    urgent: bool = False
    # The level last pinged: -1 none yet, 0 the procedure's roles, n chain step chain_start+n-1.
    level: int = -1
    # How many times the current level was pinged (1 + its repeats so far).
    round: int = 0
    status: str = Field(default=AlertStatus.OPEN, max_length=20)
    next_at: datetime | None = utc_field(nullable=True)
    raised_by: int | None = Field(default=None, foreign_key="staff.id")
    raised_at: datetime = utc_field()
    acknowledged_by: int | None = Field(default=None, foreign_key="staff.id")
    acknowledged_at: datetime | None = utc_field(nullable=True)
