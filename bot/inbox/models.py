"""The inbox: every transport event stored the moment it arrives, marked when it was handled."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, String
from sqlmodel import Field, SQLModel

from bot.storage.types import utc_field


class InboxUpdate(SQLModel, table=True):
    """One update of a transport (Telegram's ``update_id``).

    Durable before the update is confirmed to Telegram (before the next ``getUpdates`` offset
    moves past it, before the webhook's 200): stored in a short transaction and handled from
    here, or, carried straight to the engine, recorded as handled by the transaction that
    applies it. Marked handled in the same transaction as its effects: an update is acted on
    once, across restarts, redeliveries and instances. What was stored but not handled is
    handled at start.
    """

    __tablename__ = "inbox"
    __table_args__ = (
        Index("ix_inbox_pending", "source", "handled_at", "update_id"),
        Index("ix_inbox_chat", "source", "chat_id", "update_id"),
    )

    source: str = Field(sa_column=Column(String(32), primary_key=True))
    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    # The chat it came from (for per-chat order); None when the update names no chat.
    chat_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    # The update as received (None once handled long ago, or for events that were not stored).
    payload: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    received_at: datetime = utc_field()
    handled_at: datetime | None = utc_field(nullable=True)
    # Why it was set aside without reaching the engine (a group's message, unreadable...).
    note: str | None = Field(default=None, max_length=60)
