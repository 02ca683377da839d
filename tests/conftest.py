"""Shared fixtures: databases (SQLite always, PostgreSQL where reachable or in CI), a world."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from bot.storage.db import Database
from bot.storage.migrate import upgrade
from tests.support import World, make_world

PG_URL = os.environ.get("DUTYBOT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
START = datetime(2026, 11, 22, 14, 30, tzinfo=UTC)  # 22:30 in Shanghai


def _raw(url: str) -> str:
    """A libpq URL for psycopg, whatever driver the SQLAlchemy URL names."""
    _scheme, _, rest = url.partition("://")
    return "postgresql://" + rest


async def _pg_reachable() -> str | None:
    try:
        connection = await psycopg.AsyncConnection.connect(_raw(PG_URL), connect_timeout=3)
    except (OSError, psycopg.Error) as exc:
        return str(exc) or type(exc).__name__
    await connection.close()
    return None


@asynccontextmanager
async def pg_schema() -> AsyncIterator[str]:
    """A fresh schema in the test database, dropped afterwards."""
    problem = await _pg_reachable()
    if problem is not None:
        if IN_CI:
            pytest.fail(f"PostgreSQL must be reachable in CI ({PG_URL}): {problem}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {problem}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    connection = await psycopg.AsyncConnection.connect(_raw(PG_URL), autocommit=True)
    await connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield schema
    finally:
        await connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await connection.close()


async def _migrate_sqlite(path: Path) -> None:
    database = Database(f"sqlite:///{path}")
    try:
        await upgrade(database)
    finally:
        await database.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the head once per run (per xdist worker): tests copy it
    instead of running every migration again."""
    path = tmp_path_factory.mktemp("template") / "dutybot.db"
    # In a thread of its own: asyncio.run must not touch the test's event loop.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, _migrate_sqlite(path)).result()
    connection = sqlite3.connect(path)  # everything in the main file, nothing in a -wal file
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0, wal
    return path


def migrated_sqlite(template: Path, tmp_path: Path) -> Database:
    """A migrated SQLite database of the test's own: a copy of the template."""
    path = tmp_path / "dutybot.db"
    shutil.copyfile(template, path)
    return Database(f"sqlite:///{path}")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def db(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path
) -> AsyncIterator[Database]:
    """A migrated database: every test using it runs on SQLite and on PostgreSQL."""
    async with AsyncExitStack() as stack:
        if request.param == "sqlite":
            database = migrated_sqlite(sqlite_template, tmp_path)
            stack.push_async_callback(database.dispose)
        else:
            schema = await stack.enter_async_context(pg_schema())
            database = Database(PG_URL, schema=schema)
            stack.push_async_callback(database.dispose)
            await upgrade(database)
        yield database


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres)])
async def pg_world(tmp_path: Path) -> AsyncIterator[World]:
    """The world on PostgreSQL alone (for what only PostgreSQL has: roles, row locks)."""
    async with pg_schema() as schema:
        database = Database(PG_URL, schema=schema)
        try:
            await upgrade(database)
            yield await make_world(database, tmp_path, START)
        finally:
            await database.dispose()


@pytest.fixture
async def sqlite_db(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Database]:
    database = migrated_sqlite(sqlite_template, tmp_path)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def world(sqlite_db: Database, tmp_path: Path) -> World:
    """An engine over SQLite with one site, a guard and the shipped plus test playbooks."""
    return await make_world(sqlite_db, tmp_path, START)


@pytest.fixture
async def any_world(db: Database, tmp_path: Path) -> World:
    """The same world on each back end."""
    return await make_world(db, tmp_path, START)


# The longest tests (each a `dutybot run` subprocess waiting for real timers) go first, so that
# xdist spreads them over its workers instead of leaving one of them to run last, alone.
SLOW_FIRST = (
    "tests/e2e/test_crashes.py",
    "tests/e2e/test_escalation_run.py",
    "tests/e2e/test_drill_run.py",
    "tests/e2e/test_dutybot_run.py",
    "tests/e2e/test_clocks_run.py",
    "tests/e2e/test_managers_run.py",
    "tests/e2e/test_switching_run.py",
    "tests/e2e/test_console.py",
    "tests/e2e/test_console_leaving.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        return SLOW_FIRST.index(path) if path in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # stable: the order within a file and among the rest stays


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many PostgreSQL tests really ran, so a CI log shows it. Under xdist this runs on
    the controller, whose stats hold every worker's reports (keywords included)."""
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    # A setup that fails (PostgreSQL unreachable in CI) is an "error", and counts as failed.
    for outcome, counted in (
        ("passed",) * 2,
        ("failed",) * 2,
        ("error", "failed"),
        ("skipped",) * 2,
    ):
        for report in terminalreporter.stats.get(outcome, []):
            if "postgres" in getattr(report, "keywords", {}) and report.when in ("call", "setup"):
                if outcome != "passed" or report.when == "call":
                    counts[counted] += 1
    terminalreporter.write_line(
        f"PostgreSQL tests: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['skipped']} skipped ({PG_URL})"
    )
