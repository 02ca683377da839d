"""A site's request link: how a stranger asks one site, and only that site, for access.

The link is ``https://t.me/<bot>?start=ask_<token>``; whoever opens it files a request that the
administrators of that site see. It gives no access by itself: the token is kept as it is (so
the link can be printed again) and can be replaced, which retires the old link.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlmodel import Session, select

from bot.staff.models import RequestLink

# The deep-link payload of a request link starts with this; invite codes never do.
PREFIX = "ask_"
TOKEN_BYTES = 12  # 16 characters, 96 bits
MAX_TOKEN = 32


def token_of(payload: str) -> str | None:
    """The token of a ``/start ask_<token>`` payload; None for any other payload."""
    return payload[len(PREFIX) :] if payload.startswith(PREFIX) else None


def payload(link: RequestLink) -> str:
    return PREFIX + link.token


def of_site(session: Session, site_id: int, now: datetime, *, renew: bool = False) -> RequestLink:
    """The site's link, made the first time it is asked for; ``renew`` replaces its token."""
    link = session.get(RequestLink, site_id, with_for_update=True)
    if link is None:
        link = RequestLink(
            site_id=site_id, token=secrets.token_urlsafe(TOKEN_BYTES), created_at=now
        )
    elif renew:
        link.token = secrets.token_urlsafe(TOKEN_BYTES)
        link.created_at = now
    session.add(link)
    session.flush()
    return link


def site_of(session: Session, token: str) -> int | None:
    """The site whose current link carries ``token``."""
    if not token or len(token) > MAX_TOKEN:
        return None
    found = session.exec(select(RequestLink).where(RequestLink.token == token)).first()
    return None if found is None else found.site_id
