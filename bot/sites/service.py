"""Reading and changing sites."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.sites.models import Site


def get(session: Session, site_id: int) -> Site:
    site = session.get(Site, site_id)
    if site is None:
        raise LookupError(f"no site {site_id}")
    return site


def by_code(session: Session, code: str) -> Site | None:
    return (session.exec(select(Site).where(Site.code == code))).first()


def all_sites(session: Session) -> list[Site]:
    return list((session.exec(select(Site).order_by(col(Site.id)))).all())


def create(
    session: Session, *, code: str, name: str, timezone: str, locale: str, now: datetime
) -> Site:
    site = Site(code=code, name=name, timezone=timezone, locale=locale, created_at=now)
    session.add(site)
    session.flush()
    return site


def set_setting(session: Session, site: Site, key: str, value: Any) -> None:
    settings = dict(site.settings)
    if value is None:
        settings.pop(key, None)
    else:
        settings[key] = value
    site.settings = settings
    session.add(site)
