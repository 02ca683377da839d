"""The duty rota: weekly shifts per site and role, and one-off swaps that take precedence."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from bot.storage.types import utc_field


class RotaShift(SQLModel, table=True):
    """Every week on ``weekday`` (0 Monday) from ``start`` to ``end`` minutes after midnight,
    site time. ``end`` ≤ ``start`` runs past midnight into the next day (a night shift)."""

    __tablename__ = "rota_shifts"
    __table_args__ = (Index("ix_rota_shifts_site_role", "site_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="sites.id")
    role: str = Field(max_length=40)
    staff_id: int = Field(foreign_key="staff.id")
    weekday: int
    start: int
    end: int
    created_at: datetime = utc_field()


class RotaSwap(SQLModel, table=True):
    """A one-off cover: between ``starts_at`` and ``ends_at`` this person holds the duty instead
    of whoever the weekly rota names."""

    __tablename__ = "rota_swaps"
    __table_args__ = (Index("ix_rota_swaps_site_role", "site_id", "role", "ends_at"),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="sites.id")
    role: str = Field(max_length=40)
    staff_id: int = Field(foreign_key="staff.id")
    starts_at: datetime = utc_field()
    ends_at: datetime = utc_field()
    note: str | None = Field(default=None, max_length=200)
    created_at: datetime = utc_field()
