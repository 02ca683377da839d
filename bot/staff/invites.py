"""Invite codes: single use, expiring, carrying a role and a site. Only their hash is stored.

An invite works only while whoever made it is still an active administrator of its site (one
made on the command line has no maker and needs none); revoking someone cancels the invites
they made, and an administrator may cancel any outstanding invite of their site.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot.staff.access import is_admin
from bot.staff.models import Invite, Staff
from bot.staff.request_links import PREFIX as REQUEST_PREFIX

# Telegram's deep-link payload allows A-Z a-z 0-9 _ - and up to 64 characters.
CODE_BYTES = 12  # 16 characters of URL-safe base64, 96 bits
MAX_CODE = 64


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
    while code.startswith(REQUEST_PREFIX):  # that payload opens a request link instead
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


def maker_may_invite(invite: Invite, maker: Staff | None) -> bool:
    """Whether the invite's maker still stands behind it: the command line (no maker), or an
    active administrator of the invite's site."""
    if invite.created_by is None:
        return True
    return maker is not None and is_admin(maker) and maker.site_id == invite.site_id


def usable(invite: Invite, maker: Staff | None, now: datetime) -> bool:
    return (
        invite.used_at is None
        and invite.cancelled_at is None
        and invite.expires_at > now
        and maker_may_invite(invite, maker)
    )


def _maker(session: Session, invite: Invite) -> Staff | None:
    return None if invite.created_by is None else session.get(Staff, invite.created_by)


def claim(session: Session, code: str, now: datetime) -> Invite | None:
    """The invite behind a code if it can still be used, locked until the transaction ends."""
    if not code or len(code) > MAX_CODE:
        return None
    query = select(Invite).where(Invite.code_hash == digest(code)).with_for_update()
    invite = (session.exec(query)).first()
    if invite is None or not usable(invite, _maker(session, invite), now):
        return None
    return invite


def mark_used(session: Session, invite: Invite, staff_id: int, now: datetime) -> None:
    invite.used_at = now
    invite.used_by = staff_id
    session.add(invite)


def outstanding(
    session: Session, now: datetime, *, site_id: int | None = None
) -> list[tuple[Invite, Staff | None]]:
    """Invites that still work (of one site, or of all), soonest to expire first, with their
    makers (None: made on the command line)."""
    query = select(Invite).where(
        col(Invite.used_at).is_(None), col(Invite.cancelled_at).is_(None), Invite.expires_at > now
    )
    if site_id is not None:
        query = query.where(Invite.site_id == site_id)
    rows = list(session.exec(query.order_by(col(Invite.expires_at), col(Invite.id))).all())
    ids = sorted({row.created_by for row in rows if row.created_by is not None})
    makers = (
        {m.id: m for m in session.exec(select(Staff).where(col(Staff.id).in_(ids))).all()}
        if ids
        else {}
    )
    found = [(row, makers.get(row.created_by or 0)) for row in rows]
    return [(row, maker) for row, maker in found if maker_may_invite(row, maker)]


def get(session: Session, invite_id: int) -> Invite | None:
    return session.get(Invite, invite_id, with_for_update=True)


def is_outstanding(session: Session, invite: Invite, now: datetime) -> bool:
    return usable(invite, _maker(session, invite), now)


def cancel(session: Session, invite: Invite, *, by: int | None, now: datetime) -> None:
    invite.cancelled_at = now
    invite.cancelled_by = by
    session.add(invite)


def cancel_made_by(session: Session, staff_id: int, now: datetime) -> int:
    """Cancel every invite someone made that was not used yet; how many."""
    query = select(Invite).where(
        Invite.created_by == staff_id,
        col(Invite.used_at).is_(None),
        col(Invite.cancelled_at).is_(None),
    )
    rows = list(session.exec(query.with_for_update()).all())
    for row in rows:
        cancel(session, row, by=None, now=now)
    return len(rows)
