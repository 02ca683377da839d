"""Deadline rows and the scheduler's run claims.

A deadline is one clock of one case: which default it is (``clock``, a key of
``bot.deadlines.defaults``, with the span the site set when it opened), what starts it (the
answered time of ``start_step``, e.g. "when was it received", else when it opened), its kind
(due-by or earliest), its pauses and extensions, who owns it, and what met or stopped it.
``due_at`` and ``remind_at`` are recomputed by ``bot.deadlines.service`` whenever one of those
changes; the scheduler reads them.

``bot.cases.models.Deadline`` stays importable (a re-export).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.storage.types import json_field, utc_field


class DeadlineStatus(StrEnum):
    PENDING = "pending"  # waiting for the answer its start is timed from
    OPEN = "open"  # running
    PAUSED = "paused"  # stopped with a reason (waiting on the customer)
    MET = "met"  # the event that fulfils it happened
    STOPPED = "stopped"  # the case was closed or cancelled first


# Statuses whose clock may still fire (a reminder, a breach).
LIVE = (DeadlineStatus.OPEN,)
UNFINISHED = (DeadlineStatus.PENDING, DeadlineStatus.OPEN, DeadlineStatus.PAUSED)


class Deadline(SQLModel, table=True):
    """A clock of a case; the scheduler reminds before it and pings at its breach."""

    __tablename__ = "deadlines"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    key: str = Field(max_length=64)
    title: dict[str, str] = json_field()
    roles: list[str] = json_field(list)
    # None while the clock waits for the answer it is timed from.
    due_at: datetime | None = utc_field(nullable=True, index=True)
    status: str = Field(default="open", max_length=20, index=True)
    created_at: datetime = utc_field()
    # Answering this step of the case meets the deadline.
    until_step: str | None = Field(default=None, max_length=64)
    met_at: datetime | None = utc_field(nullable=True)
    # -- clocks as the rules mean them (0009) --
    clock: str | None = Field(default=None, max_length=64)  # a key of bot.deadlines.defaults
    span: str | None = Field(default=None, max_length=16)  # "2wd", as set when it opened
    kind: str = Field(default="due_by", max_length=20)  # due_by | earliest
    start_step: str | None = Field(default=None, max_length=64)  # its answered time starts it
    started_at: datetime | None = utc_field(nullable=True)
    remind_at: datetime | None = utc_field(nullable=True, index=True)
    pauses: list[dict[str, Any]] = json_field(list)
    extensions: list[dict[str, Any]] = json_field(list)
    owner_role: str | None = Field(default=None, max_length=40)
    owner_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("staff.id", name="fk_deadlines_owner_id"), nullable=True
        ),
    )
    met_by: str | None = Field(default=None, max_length=80)  # "step:reply", "contact"
    reminded_at: datetime | None = utc_field(nullable=True)
    breached_at: datetime | None = utc_field(nullable=True)
    stopped_reason: str | None = Field(default=None, max_length=200)


class JobRun(SQLModel, table=True):
    """One run of a scheduled job for one scope and period, claimed by inserting this row: two
    instances on one database never both get it (the unique key), and a run missed while the
    bot was down is found missing at start."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "scope", "period", name="uq_job_runs_job"),)

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(sa_column=Column(String(40), nullable=False))
    scope: str = Field(sa_column=Column(String(40), nullable=False))  # "site:3", "case:12"
    period: str = Field(sa_column=Column(String(40), nullable=False))  # "2026-12-01", a rule id
    at: datetime = utc_field()
