"""Schema migrations: ``dutybot db upgrade`` and the start-up check that refuses an old schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from bot.storage.db import Database

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class SchemaNotCurrent(Exception):
    """The database is missing migrations; the message says what to run."""


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_current_head()
    assert head is not None
    return head


async def upgrade(db: Database, revision: str = "head") -> None:
    config = alembic_config(db.url.render_as_string(hide_password=False))

    def _upgrade(connection: Connection) -> None:
        config.attributes["connection"] = connection
        with connection.begin():
            command.upgrade(config, revision)

    await db.run_connection(_upgrade)


async def current_revision(db: Database) -> str | None:
    def _current(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    return await db.run_connection(_current)


async def ensure_current(db: Database) -> None:
    current = await current_revision(db)
    head = head_revision()
    if current != head:
        state = "has no dutybot tables yet" if current is None else f"is at revision {current}"
        raise SchemaNotCurrent(
            f"The database {db.url.render_as_string(hide_password=True)} {state}; "
            f"this version needs {head}. Run `dutybot db upgrade` first."
        )
