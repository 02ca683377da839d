"""Engine latency: how long one incoming event takes, end to end through the database.

Drives many A1 lost/stolen property reports (the guard's part, one event per answer) through
``Engine.handle`` and reports per-event latency percentiles and throughput, on SQLite (file, WAL)
and, when reachable, PostgreSQL. Several guards report at once (``--concurrency``).

    .venv/bin/python bench/engine_latency.py [--reports 20] [--concurrency 4] [--pg URL]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.canned import A1, matches, tiny_png
from bot.clock import SystemClock
from bot.engine.conversation import Engine
from bot.engine.incoming import Incoming, PhotoIn, Place, UserRef
from bot.engine.outgoing import Outgoing
from bot.flows.registry import load_registry
from bot.i18n import Catalogs
from bot.sites import service as sites
from bot.staff import service as staff_service
from bot.storage.db import Database
from bot.storage.media import MediaStore
from bot.storage.migrate import upgrade


class Guard:
    def __init__(self, engine: Engine, telegram_id: int, timings: list[float]) -> None:
        self.engine = engine
        self.user = UserRef(telegram_id=telegram_id, language_code="en")
        self.last: list[Outgoing] = []
        self.timings = timings

    async def send(self, incoming: Incoming) -> None:
        start = time.perf_counter()
        self.last = await self.engine.handle(incoming)
        self.timings.append(time.perf_counter() - start)

    async def say(self, text: str) -> None:
        await self.send(Incoming.message(self.user, text))

    async def press(self, label: str) -> None:
        for exact in (True, False):
            for message in reversed(self.last):
                for row in message.buttons:
                    for button in row:
                        if matches(button.label, label, exact):
                            await self.send(Incoming.press(self.user, button.token))
                            return
        raise RuntimeError(f"no button {label!r}")

    async def report(self, n: int) -> None:
        """The A1 report as bench/canned.py scripts it (the e2e script without the album)."""
        for kind, value in A1:
            if kind == "say":
                await self.say(value)
            elif kind == "press":
                await self.press(value)
            elif kind == "location":
                await self.send(Incoming.location(self.user, Place(31.23, 121.47)))
            else:
                await self.send(Incoming.photo(self.user, PhotoIn(data=tiny_png(n))))


async def run(label: str, db: Database, reports: int, concurrency: int) -> None:
    await upgrade(db)
    now = datetime.now(UTC)
    with db.transaction() as session:
        site = sites.create(
            session,
            code=f"bench{time.time_ns()}",
            name="Bench",
            timezone="Asia/Shanghai",
            locale="en",
            now=now,
        )
        assert site.id is not None
        base = time.time_ns() % 10**9 * 100
        for i in range(concurrency):
            staff_service.add(
                session,
                telegram_id=base + i,
                name=f"Guard {i}",
                roles=["guard"],
                site_id=site.id,
                locale="en",
                now=now,
            )
    registry, _ = load_registry(strict=False)
    with tempfile.TemporaryDirectory() as media:
        engine = Engine(
            db=db,
            registry=registry,
            media=MediaStore(Path(media)),
            catalogs=Catalogs(),
            clock=SystemClock(),
        )
        timings: list[float] = []
        guards = [Guard(engine, base + i, timings) for i in range(concurrency)]

        async def worker(guard: Guard, count: int) -> None:
            for n in range(count):
                await guard.report(n)

        started = time.perf_counter()
        per_guard = max(1, reports // concurrency)
        await asyncio.gather(*(worker(g, per_guard) for g in guards))
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    timings.sort()
    ms = [t * 1000 for t in timings]
    print(
        f"{label}: {len(ms)} events, {per_guard * concurrency} reports, "
        f"{concurrency} guards at once"
    )
    print(
        f"  per event: median {statistics.median(ms):.2f} ms, "
        f"p95 {ms[int(len(ms) * 0.95)]:.2f} ms, "
        f"max {ms[-1]:.2f} ms; throughput {len(ms) / elapsed:.0f} events/s; "
        f"process peak RSS {peak / 1e6:.0f} MB"
    )
    await db.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        await run(
            "SQLite (WAL file)",
            Database(f"sqlite:///{folder}/bench.db"),
            args.reports,
            args.concurrency,
        )
    try:
        import psycopg

        raw = "postgresql://" + args.pg.partition("://")[2]
        connection = await psycopg.AsyncConnection.connect(raw, connect_timeout=3, autocommit=True)
        schema = f"bench_{time.time_ns()}"
        await connection.execute(f'CREATE SCHEMA "{schema}"')
    except (OSError, Exception) as exc:
        print(f"PostgreSQL skipped: {exc}")
        return
    try:
        await run("PostgreSQL", Database(args.pg, schema=schema), args.reports, args.concurrency)
    finally:
        await connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await connection.close()


if __name__ == "__main__":
    asyncio.run(main())
