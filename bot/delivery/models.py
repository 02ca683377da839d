"""The outbox: one row per message to one recipient, written with the change that caused it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Column, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.storage.types import json_field, utc_field


class DeliveryKind(StrEnum):
    PING = "ping"  # an alert to acknowledge (escalation)
    NOTICE = "notice"  # something the site's admins must know (blocked recipient, rota hole…)
    REMINDER = "reminder"
    TASK = "task"
    DIGEST = "digest"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # due at ``next_at``
    SENT = "sent"  # Telegram accepted it; ``message_id`` known
    UNREACHABLE = "unreachable"  # 403: blocked the bot or never pressed Start; not retried
    FAILED = "failed"  # refused (400) or gave up after the last attempt
    CANCELLED = "cancelled"  # no longer needed (the alert was acknowledged before it went out)


class Delivery(SQLModel, table=True):
    """A message for one recipient: a staff member (their private chat) or a site group chat.

    The text is not stored: ``message`` names what to say and ``params`` holds its facts, and the
    sender renders it at send time in the recipient's language and the site's time zone. ``key``
    makes "the same message to the same person" impossible to write twice.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("key", name="uq_deliveries_key"),
        Index("ix_deliveries_due", "status", "next_at"),
        Index("ix_deliveries_alert", "alert_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(160), nullable=False))
    site_id: int = Field(foreign_key="sites.id")
    case_id: int | None = Field(default=None, foreign_key="cases.id", index=True)
    alert_id: int | None = Field(default=None, foreign_key="alerts.id")
    staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    # A group chat (no staff member): its Telegram chat id.
    chat_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    kind: str = Field(max_length=20)
    message: str = Field(max_length=40)
    params: dict[str, Any] = json_field()
    status: str = Field(default=DeliveryStatus.PENDING, max_length=20)
    attempts: int = 0
    next_at: datetime = utc_field()
    # A sender holds the row until then; a crashed sender's rows come back after it.
    lease_until: datetime | None = utc_field(nullable=True)
    # Sent, but its text changed since (an acknowledgement): edit the message in place.
    needs_edit: bool = False
    # A secret that makes this row's buttons unforgeable (see bot/engine/callbacks.py).
    secret: str = Field(default="", max_length=16)
    telegram_chat_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    message_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    last_error: str | None = Field(default=None, max_length=300)
    created_at: datetime = utc_field()
    sent_at: datetime | None = utc_field(nullable=True)
