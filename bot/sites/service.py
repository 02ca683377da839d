"""Reading and changing sites."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.sites.models import Site


async def get(session: AsyncSession, site_id: int) -> Site:
    site = await session.get(Site, site_id)
    if site is None:
        raise LookupError(f"no site {site_id}")
    return site


async def by_code(session: AsyncSession, code: str) -> Site | None:
    return (await session.exec(select(Site).where(Site.code == code))).first()


async def all_sites(session: AsyncSession) -> list[Site]:
    return list((await session.exec(select(Site).order_by(col(Site.id)))).all())


async def create(
    session: AsyncSession, *, code: str, name: str, timezone: str, locale: str, now: datetime
) -> Site:
    site = Site(code=code, name=name, timezone=timezone, locale=locale, created_at=now)
    session.add(site)
    await session.flush()
    return site


async def set_setting(session: AsyncSession, site: Site, key: str, value: Any) -> None:
    settings = dict(site.settings)
    if value is None:
        settings.pop(key, None)
    else:
        settings[key] = value
    site.settings = settings
    session.add(site)
