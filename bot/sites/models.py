"""A site: one hotel, building or estate, with its time zone, language and procedure settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from bot.storage.types import json_field, utc_field


class Site(SQLModel, table=True):
    __tablename__ = "sites"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(max_length=200)
    timezone: str = Field(max_length=64)
    locale: str = Field(max_length=16)
    # Values the playbooks read, e.g. {"large_value_threshold": 5000}.
    settings: dict[str, Any] = json_field()
    created_at: datetime = utc_field()
