"""Staff members: who may report, who is notified."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from bot.storage.types import bigint_field, json_field, utc_field


class Staff(SQLModel, table=True):
    __tablename__ = "staff"

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int | None = bigint_field(unique=True)
    name: str = Field(max_length=200)
    roles: list[str] = json_field(list)
    site_id: int = Field(foreign_key="sites.id", index=True)
    locale: str | None = Field(default=None, max_length=16)
    active: bool = True
    created_at: datetime = utc_field()
