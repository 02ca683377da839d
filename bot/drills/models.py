"""Drills, who takes part and what they answered, the run's timeline, and the shortcomings."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Date, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.storage.types import json_field, utc_field


class DrillStatus(StrEnum):
    PLANNED = "planned"  # announced, reminded, not started yet
    RUNNING = "running"  # started on the day: the timeline is being recorded
    DONE = "done"  # concluded: the record is complete (rectification may still be open)
    CANCELLED = "cancelled"  # called off; kept, never deleted


class Rsvp(StrEnum):
    ATTEND = "attend"  # "I'll attend"
    DECLINE = "decline"  # "I can't"


class Drill(SQLModel, table=True):
    """One drill on one day (演练). A recurring plan is a series of these rows sharing
    ``series_id`` (the first one's id), ``every_months`` apart, kept planned a year ahead."""

    __tablename__ = "drills"
    __table_args__ = (
        Index("ix_drills_site_starts", "site_id", "starts_at"),
        # One drill of a series at a time: two instances extending a series add it once.
        UniqueConstraint("series_id", "starts_at", name="uq_drills_series_starts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="sites.id")
    series_id: int | None = Field(default=None, index=True)
    every_months: int = 0  # 0: a single drill
    # A scenario key (fire, leak, evacuation, fall, elevator, flood) or "pb:<playbook id>".
    scenario: str = Field(max_length=80)
    # The library procedure rehearsed, when there is one.
    playbook_id: str | None = Field(default=None, max_length=64)
    place: str = Field(default="", max_length=300)
    starts_at: datetime = utc_field()
    commander_id: int | None = Field(default=None, foreign_key="staff.id")
    coordinator_id: int = Field(foreign_key="staff.id")
    # Participants: named staff ids and roles (every active holder of the role at the site).
    people: list[int] = json_field(list)
    roles: list[str] = json_field(list)
    # Organisation (演练组织机构): [{"name": "警戒组", "duties": "…", "people": [ids]}].
    groups: list[dict[str, Any]] = json_field(list)
    purpose: str = Field(default="", max_length=2000)  # 演练目的
    assumption: str = Field(default="", max_length=2000)  # 事故假设
    steps: list[Any] = json_field(list)  # the steps to rehearse (texts or {"zh", "en"})
    status: str = Field(
        default=DrillStatus.PLANNED, sa_column=Column(String(20), nullable=False, index=True)
    )
    started_at: datetime | None = utc_field(nullable=True)
    ended_at: datetime | None = utc_field(nullable=True)
    equipment: str = Field(default="", max_length=2000)  # equipment checked
    evaluation: str = Field(default="", max_length=4000)  # 总结评价
    conclusion: str = Field(default="", max_length=4000)  # 结论
    # A rehearsal through the procedure's own steps: the drill case (``cases.is_drill``).
    case_id: int | None = Field(default=None, foreign_key="cases.id")
    created_at: datetime = utc_field()
    updated_at: datetime = utc_field()


class DrillResponse(SQLModel, table=True):
    """One participant of one drill: their answer to the invitation and whether they came."""

    __tablename__ = "drill_responses"
    __table_args__ = (
        UniqueConstraint("drill_id", "staff_id", name="uq_drill_responses_drill_staff"),
    )

    id: int | None = Field(default=None, primary_key=True)
    drill_id: int = Field(foreign_key="drills.id", index=True)
    staff_id: int = Field(foreign_key="staff.id")
    answer: str | None = Field(default=None, max_length=20)  # Rsvp, None: not answered
    answered_at: datetime | None = utc_field(nullable=True)
    present: bool | None = None  # attendance taken on the day; None: not taken
    updated_at: datetime = utc_field()


class DrillEntry(SQLModel, table=True):
    """A time-stamped line of the drill's process (演练过程), with its photos."""

    __tablename__ = "drill_entries"

    id: int | None = Field(default=None, primary_key=True)
    drill_id: int = Field(foreign_key="drills.id", index=True)
    at: datetime = utc_field()
    text: str = Field(default="", max_length=2000)
    actor_id: int | None = Field(default=None, foreign_key="staff.id")
    # [{"sha256": …, "file_id": …}] in the media store.
    photos: list[dict[str, Any]] = json_field(list)


class DrillShortcoming(SQLModel, table=True):
    """A shortcoming (存在的不足) and its rectification task: an owner, a deadline (the next day
    by default, as the source record did), reminded until confirmed done with a photo."""

    __tablename__ = "drill_shortcomings"

    id: int | None = Field(default=None, primary_key=True)
    drill_id: int = Field(foreign_key="drills.id", index=True)
    text: str = Field(max_length=2000)
    owner_id: int = Field(foreign_key="staff.id", index=True)
    due_on: date = Field(sa_column=Column(Date(), nullable=False))
    done_at: datetime | None = utc_field(nullable=True)
    done_by: int | None = Field(default=None, foreign_key="staff.id")
    done_note: str = Field(default="", max_length=2000)
    photo: dict[str, Any] = json_field()  # {"sha256": …, "file_id": …} once done
    created_at: datetime = utc_field()
