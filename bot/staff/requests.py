"""Access requests from people the bot does not know yet, each for one site."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from bot.staff.models import AccessRequest

PENDING = "pending"


def pending_for(
    session: Session, telegram_id: int, site_id: int | None = None
) -> AccessRequest | None:
    """Their pending request (for ``site_id``, or for any site)."""
    query = select(AccessRequest).where(
        AccessRequest.telegram_id == telegram_id, AccessRequest.status == PENDING
    )
    if site_id is not None:
        query = query.where(AccessRequest.site_id == site_id)
    return (session.exec(query)).first()


def ask(
    session: Session,
    *,
    telegram_id: int,
    site_id: int,
    name: str,
    username: str | None,
    language: str | None,
    now: datetime,
) -> tuple[AccessRequest, bool]:
    """Record a request for a site; (the request, False) when one is pending there already."""
    existing = pending_for(session, telegram_id, site_id)
    if existing is not None:
        return existing, False
    request = AccessRequest(
        telegram_id=telegram_id,
        site_id=site_id,
        name=(name or str(telegram_id))[:200],
        username=(username or None) and username[:64],
        language=(language or None) and language[:16],
        status=PENDING,
        created_at=now,
    )
    session.add(request)
    session.flush()
    return request, True


def pending(session: Session, site_id: int | None, limit: int = 10) -> list[AccessRequest]:
    """Pending requests for one site, oldest first (``None``: of every site, and of none)."""
    query = select(AccessRequest).where(AccessRequest.status == PENDING)
    if site_id is not None:
        query = query.where(AccessRequest.site_id == site_id)
    query = query.order_by(col(AccessRequest.created_at), col(AccessRequest.id)).limit(limit)
    return list((session.exec(query)).all())


def count_pending(session: Session, site_id: int) -> int:
    query = (
        select(func.count())
        .select_from(AccessRequest)
        .where(AccessRequest.status == PENDING, AccessRequest.site_id == site_id)
    )
    return int((session.exec(query)).one())


def get(session: Session, request_id: int) -> AccessRequest | None:
    return session.get(AccessRequest, request_id, with_for_update=True)


def close(session: Session, request: AccessRequest, status: str, *, by: int, now: datetime) -> None:
    request.status = status
    request.handled_by = by
    request.handled_at = now
    session.add(request)
