"""Column types shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike.

    SQLite keeps no offset, so values are stored as naive UTC and re-labelled on the way out;
    PostgreSQL gets ``timestamptz``. A naive value is a bug and is refused.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store times as aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_field(*, nullable: bool = False, index: bool = False) -> Any:
    """A UTC timestamp column (``None`` default; callers set it from the injected clock)."""
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


def json_field(default_factory: Any = dict) -> Any:
    """A JSON column. Assign new objects; in-place mutation is not tracked."""
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False))


def bigint_field(*, unique: bool = False, nullable: bool = True, index: bool = False) -> Any:
    return Field(
        default=None,
        sa_column=Column(BigInteger, unique=unique, nullable=nullable, index=index),
    )
