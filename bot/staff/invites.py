"""Invite codes: single use, expiring, carrying a role and a site. Only their hash is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.staff.models import Invite

# Telegram's deep-link payload allows A-Z a-z 0-9 _ - and up to 64 characters.
CODE_BYTES = 12  # 16 characters of URL-safe base64, 96 bits


def digest(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def link(code: str, bot_username: str | None) -> str:
    """The deep link to hand out; without the bot's username, the command to type."""
    if bot_username:
        return f"https://t.me/{bot_username.lstrip('@')}?start={code}"
    return f"/start {code}"


def create(
    session: Session,
    *,
    role: str,
    site_id: int,
    created_by: int | None,
    valid_for: timedelta,
    now: datetime,
) -> tuple[str, Invite]:
    """A new invite; the code is returned once and never stored."""
    code = secrets.token_urlsafe(CODE_BYTES)
    invite = Invite(
        code_hash=digest(code),
        role=role,
        site_id=site_id,
        created_by=created_by,
        created_at=now,
        expires_at=now + valid_for,
    )
    session.add(invite)
    session.flush()
    return code, invite


def claim(session: Session, code: str, now: datetime) -> Invite | None:
    """The invite behind a code if it can still be used, locked until the transaction ends."""
    if not code or len(code) > 64:
        return None
    query = select(Invite).where(Invite.code_hash == digest(code)).with_for_update()
    invite = (session.exec(query)).first()
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        return None
    return invite


def mark_used(session: Session, invite: Invite, staff_id: int, now: datetime) -> None:
    invite.used_at = now
    invite.used_by = staff_id
    session.add(invite)
