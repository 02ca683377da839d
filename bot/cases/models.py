"""Cases and everything recorded against them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.cases.states import OPEN_STATES as OPEN_STATES
from bot.cases.states import STATUS_NAMES as STATUS_NAMES
from bot.cases.states import CaseStatus as CaseStatus
from bot.deadlines.models import Deadline  # noqa: F401  (moved; re-exported)
from bot.storage.types import json_field, utc_field


class Case(SQLModel, table=True):
    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("site_id", "number", name="uq_cases_site_number"),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="sites.id", index=True)
    # YYMM-NNN, the serial restarting each month (catalog B14), in the site's time zone.
    number: str = Field(max_length=20)
    period: str = Field(max_length=4)
    serial: int
    playbook_id: str = Field(max_length=64, index=True)
    playbook_version: int
    status: str = Field(
        default=CaseStatus.IN_PROGRESS, sa_column=Column(String(20), nullable=False, index=True)
    )
    classification: str | None = Field(default=None, max_length=40)
    reporter_id: int = Field(foreign_key="staff.id", index=True)
    opened_at: datetime = utc_field(index=True)
    # When the reporter submitted their part.
    reported_at: datetime | None = utc_field(nullable=True)
    # When it was closed or cancelled (a reopened case has none until it is closed again).
    closed_at: datetime | None = utc_field(nullable=True)
    updated_at: datetime = utc_field()
    # A rehearsal (issue 11): never counted in statistics, never pings the real chains.
    is_drill: bool = False


class CaseCounter(SQLModel, table=True):
    """The last serial handed out per site and month."""

    __tablename__ = "case_counters"

    site_id: int = Field(foreign_key="sites.id", primary_key=True)
    period: str = Field(max_length=4, primary_key=True)
    last: int = 0


class Answer(SQLModel, table=True):
    """One answered (or skipped) step. A changed answer supersedes the row; nothing is deleted."""

    __tablename__ = "answers"
    __table_args__ = (Index("ix_answers_case_step", "case_id", "step_id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id")
    step_id: str = Field(max_length=64)
    value: Any = json_field(lambda: None)
    skipped: bool = False
    answered_by: int = Field(foreign_key="staff.id")
    answered_at: datetime = utc_field()
    superseded_at: datetime | None = utc_field(nullable=True)


class Attachment(SQLModel, table=True):
    """A photo or file; the bytes live in the media directory under their sha256."""

    __tablename__ = "attachments"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    step_id: str = Field(max_length=64)
    sha256: str = Field(max_length=64, index=True)
    size: int
    mime: str = Field(max_length=64)
    telegram_file_id: str | None = Field(default=None, max_length=200)
    created_by: int = Field(foreign_key="staff.id")
    created_at: datetime = utc_field()


class CaseEvent(SQLModel, table=True):
    """The case timeline: every change, who, what, when. Append-only (enforced by triggers) and
    chained: ``hash`` covers the event and ``prev_hash``, the hash of the case's event before
    it (bot/cases/chain.py), so tampering shows (``dutybot verify``)."""

    __tablename__ = "case_events"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    at: datetime = utc_field()
    actor_id: int | None = Field(default=None, foreign_key="staff.id")
    kind: str = Field(max_length=40)
    step_id: str | None = Field(default=None, max_length=64)
    data: dict[str, Any] = json_field()
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)
