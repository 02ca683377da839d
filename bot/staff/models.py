"""Staff members, the invites they join with, and strangers' requests for access."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column
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
    # Telegram refused to deliver to them (blocked the bot, never pressed Start); cleared when
    # they write to the bot again.
    unreachable_since: datetime | None = utc_field(nullable=True)


class Invite(SQLModel, table=True):
    """A single-use, expiring code that makes whoever redeems it staff of a site with a role.

    Only the code's sha256 is kept: a copy of the database hands out no working links.
    """

    __tablename__ = "invites"

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True, index=True)
    role: str = Field(max_length=40)
    site_id: int = Field(foreign_key="sites.id", index=True)
    created_by: int | None = Field(default=None, foreign_key="staff.id")
    created_at: datetime = utc_field()
    expires_at: datetime = utc_field()
    used_at: datetime | None = utc_field(nullable=True)
    used_by: int | None = Field(default=None, foreign_key="staff.id")
    # Cancelled by an administrator, or because whoever made it was revoked.
    cancelled_at: datetime | None = utc_field(nullable=True)
    cancelled_by: int | None = Field(default=None, foreign_key="staff.id")


class AccessRequest(SQLModel, table=True):
    """Someone unknown asked to use the bot; an administrator of its site approves or dismisses it.

    A request names its site because it came through that site's request link; requests from
    before links existed may name none (only ``dutybot staff requests`` lists those).
    """

    __tablename__ = "access_requests"

    id: int | None = Field(default=None, primary_key=True)
    site_id: int | None = Field(default=None, foreign_key="sites.id", index=True)
    telegram_id: int = bigint_field(nullable=False, index=True)
    name: str = Field(max_length=200)
    username: str | None = Field(default=None, max_length=64)
    language: str | None = Field(default=None, max_length=16)
    # "pending", "approved" or "dismissed".
    status: str = Field(default="pending", max_length=20, index=True)
    created_at: datetime = utc_field()
    handled_by: int | None = Field(default=None, foreign_key="staff.id")
    handled_at: datetime | None = utc_field(nullable=True)


class RequestLink(SQLModel, table=True):
    """A site's link for asking for access (``https://t.me/<bot>?start=ask_<token>``).

    It lets a stranger file a request that only that site's administrators see; it gives no
    access by itself, so the token is kept as it is (it can be printed again) and replaced on
    demand.
    """

    __tablename__ = "request_links"

    site_id: int = Field(foreign_key="sites.id", primary_key=True)
    token: str = Field(max_length=32, unique=True, index=True)
    created_at: datetime = utc_field()


class CodeAttempts(SQLModel, table=True):
    """A Telegram user's recent tries at an invite or request code, to slow down guessing."""

    __tablename__ = "code_attempts"

    telegram_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    # When the tries still inside the window were made (ISO 8601, UTC), oldest first.
    recent: list[str] = json_field(list)
    # The last try that was refused for coming too soon.
    refused_at: datetime | None = utc_field(nullable=True)
