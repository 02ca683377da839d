"""Schema migrations: ``dutybot db upgrade`` and the start-up check that refuses an old schema.

Alembic is imported only to migrate: the start-up check compares the database's revision with
``HEAD`` by one query (a test keeps ``HEAD`` equal to the newest migration script).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from bot.storage.db import Database

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest revision under migrations/versions; tests/storage/test_migrations.py checks it.
HEAD = "0011"


class SchemaNotCurrent(Exception):
    """The database is missing migrations; the message says what to run."""


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    return HEAD


def script_head() -> str:
    """The newest revision as alembic reads it from the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


async def upgrade(db: Database, revision: str = "head") -> None:
    from alembic import command

    config = alembic_config(db.url.render_as_string(hide_password=False))

    def _upgrade(connection: Connection) -> None:
        config.attributes["connection"] = connection
        with connection.begin():
            command.upgrade(config, revision)

    await db.run_connection(_upgrade)


def revision_of(connection: Connection) -> str | None:
    """The revision recorded in ``alembic_version``; None for a database without it."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


async def current_revision(db: Database) -> str | None:
    return await db.run_connection(revision_of)


async def ensure_current(db: Database) -> None:
    current = await current_revision(db)
    if current != HEAD:
        state = "has no dutybot tables yet" if current is None else f"is at revision {current}"
        raise SchemaNotCurrent(
            f"The database {db.url.render_as_string(hide_password=True)} {state}; "
            f"this version needs {HEAD}. Run `dutybot db upgrade` first."
        )
