"""The database handle: a synchronous SQLAlchemy engine driven from database threads.

Every unit of work (one incoming event, one claim of the sender, one tick of a job) is a plain
synchronous function run by :meth:`Database.run` in one transaction on a database thread: the
event loop hands it over once and gets the result back once, however many statements it
runs. On SQLite one thread does all the writing, in order (SQLite has one writer anyway); on
PostgreSQL a few threads, each with its own connection, run units side by side and row locks
(``SELECT … FOR UPDATE``) keep one conversation's events in order.

Async drivers would hand every statement to a worker thread and back (aiosqlite) or across
the network one by one (asyncpg), each hop a trip through the event loop; measured, those
hops were most of an event's time (see bench/README.md).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlmodel import Session

T = TypeVar("T")
# Connections per PostgreSQL instance: units running side by side.
PG_WORKERS = 4


def sync_url(url: str | URL) -> URL:
    """The synchronous driver for a URL the configuration may spell with an async one."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername="sqlite")
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    raise ValueError(f"unsupported database {parsed.render_as_string(hide_password=True)}")


class Database:
    """On SQLite every transaction starts with ``BEGIN IMMEDIATE``: it takes the write lock up
    front, so two events for one conversation are serialised exactly as ``SELECT … FOR UPDATE``
    serialises them on PostgreSQL."""

    def __init__(
        self,
        url: str,
        *,
        echo: bool = False,
        busy_timeout: float = 15.0,
        schema: str | None = None,
        synchronous: str = "FULL",
    ) -> None:
        self.url = sync_url(url)
        self.schema = schema
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            database = self.url.database or ""
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            # Connections move between the database thread and a command's own thread.
            kwargs["connect_args"] = {"timeout": busy_timeout, "check_same_thread": False}
        else:
            kwargs.update(pool_pre_ping=True, pool_size=PG_WORKERS + 2, max_overflow=4)
            if schema:
                kwargs["connect_args"] = {"options": f"-c search_path={schema}"}
        self.engine: Engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            _configure_sqlite(self.engine, busy_timeout, synchronous)
        self._kept = threading.local()  # each database thread's connection
        self._every_kept: list[Connection] = []  # for dispose(), whichever thread kept them
        self._threads = concurrent.futures.ThreadPoolExecutor(
            max_workers=1 if self.is_sqlite else PG_WORKERS, thread_name_prefix="dutybot-db"
        )

    async def run(self, work: Callable[[Session], T]) -> T:
        """Run ``work(session)`` in one transaction on a database thread: committed when it
        returns, rolled back when it raises (the exception comes back here)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self._unit, work)

    async def run_connection(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` with a bare connection on a database thread (migrations, checks)."""

        def connected() -> T:
            with self.engine.connect() as connection:
                return work(connection)

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, connected)

    def _unit(self, work: Callable[[Session], T]) -> T:
        # Each database thread keeps its connection between units: taking one from the pool
        # and giving it back (its reset, and on PostgreSQL the pre-ping's round trip) cost more
        # than a short unit's SQL. A unit that fails drops it: the next takes a fresh one from
        # the pool, pinged (the failure may have been the connection's).
        connection = getattr(self._kept, "connection", None)
        if connection is None or connection.closed or connection.invalidated:
            connection = self._kept.connection = self.engine.connect()
            self._every_kept.append(connection)
        try:
            with Session(bind=connection, expire_on_commit=False) as session, session.begin():
                return work(session)
        except BaseException:
            self._forget_kept()
            raise

    def _forget_kept(self) -> None:
        connection = getattr(self._kept, "connection", None)
        if connection is not None:
            self._kept.connection = None
            with contextlib.suppress(ValueError):
                self._every_kept.remove(connection)
            with contextlib.suppress(Exception):  # a broken connection is the pool's to drop
                connection.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction, in the calling thread: committed on success."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """The same, named for what tests and one-shot commands use it for. It blocks the
        thread that runs it: a running bot does its work through :meth:`run`."""
        with self.session() as session:
            yield session

    async def dispose(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._threads, self._close_kept)
        await loop.run_in_executor(self._threads, self.engine.dispose)
        self._threads.shutdown(wait=True)

    def _close_kept(self) -> None:
        """Every thread's kept connection back to the pool (no unit runs any more)."""
        kept, self._every_kept = self._every_kept, []
        for connection in kept:
            with contextlib.suppress(Exception):
                connection.close()


def _configure_sqlite(engine: Engine, busy_timeout: float, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
