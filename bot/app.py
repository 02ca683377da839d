"""Wiring: settings in, a ready engine out. Built once per process."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.engine.conversation import Engine
from bot.flows.registry import Registry, load_registry
from bot.i18n import Catalogs
from bot.storage.db import Database
from bot.storage.media import MediaStore
from bot.storage.migrate import ensure_current


@dataclass
class App:
    settings: Settings
    db: Database
    registry: Registry
    engine: Engine

    async def close(self) -> None:
        await self.db.dispose()


def open_database(settings: Settings) -> Database:
    return Database(
        settings.database.url,
        echo=settings.database.echo,
        busy_timeout=settings.database.sqlite_busy_timeout,
        synchronous=settings.database.sqlite_synchronous,
        schema=settings.database.pg_schema,
    )


async def build_app(
    settings: Settings, *, clock: Clock | None = None, check_schema: bool = True
) -> App:
    """Open the database (refusing an un-migrated one), load the playbooks, make the engine."""
    db = open_database(settings)
    try:
        if check_schema:
            await ensure_current(db)
        registry, _warnings = load_registry(settings.flows.extra_dir)
    except BaseException:
        await db.dispose()
        raise
    engine = Engine(
        db=db,
        registry=registry,
        media=MediaStore(settings.media.dir),
        catalogs=Catalogs(settings.i18n.locales_dir),
        clock=clock or SystemClock(),
        default_timezone=settings.site.timezone,
        max_file_bytes=settings.media.max_file_bytes,
        invite_valid_for=timedelta(hours=settings.access.invite_hours),
        bot_username=settings.telegram.bot_username.lstrip("@"),
        chains=settings.escalation,
    )
    return App(settings=settings, db=db, registry=registry, engine=engine)
