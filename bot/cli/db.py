"""``dutybot db upgrade | current``: the database schema."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.app import open_database
from bot.config import Settings
from bot.i18n import Translator
from bot.storage.db import Database
from bot.storage.migrate import current_revision, head_revision, upgrade


async def db_command(args: Any, settings: Settings, tr: Translator) -> int:
    db = open_database(settings)
    try:
        if args.db_command == "upgrade":
            before = await current_revision(db)
            await upgrade(db)
            after = await current_revision(db)
            if before == after:
                print(tr._("The database is up to date (revision {revision}).", revision=after))
            elif before is None:
                print(
                    tr._("The dutybot tables were created (revision {revision}).", revision=after)
                )
            else:
                print(
                    tr._(
                        "The database was upgraded from revision {before} to {after}.",
                        before=before,
                        after=after,
                    )
                )
        else:
            current, report = await _schema_report(db, tr)
            print(report)
            return 0 if current else 1  # a check: not what this version needs
    finally:
        await db.dispose()
    return 0


async def _schema_report(db: Database, tr: Translator) -> tuple[bool, str]:
    """Whether the schema is what this version needs, and a sentence saying so."""
    current = await current_revision(db)
    head = head_revision()
    url = db.url.render_as_string(hide_password=True)
    if current == head:
        return True, tr._(
            "The database {url} is at revision {revision}, as this version needs.",
            url=url,
            revision=head,
        )
    if current is None:
        return False, tr._(
            "The database {url} has no dutybot tables yet; this version needs revision {head}. "
            "Run `dutybot db upgrade` first.",
            url=url,
            head=head,
        )
    return False, tr._(
        "The database {url} is at revision {current}; this version needs {head}. "
        "Run `dutybot db upgrade` first.",
        url=url,
        current=current,
        head=head,
    )


async def schema_problem(settings: Settings, tr: Translator) -> str | None:
    """Why the schema is refused (``SchemaNotCurrent`` in the reader's language), or None."""
    db = open_database(settings)
    try:
        current, report = await _schema_report(db, tr)
    except (SQLAlchemyError, OSError):
        return None  # the database went away meanwhile: the caller keeps the English text
    finally:
        await db.dispose()
    return None if current else report
