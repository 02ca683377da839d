"""Engine latency: how long one incoming event takes, end to end through the database.

Drives many complete A1 lost/stolen property reports (about 40 events each) through
``Engine.handle`` and reports per-event latency percentiles and throughput, on SQLite (file, WAL)
and, when reachable, PostgreSQL. Several guards report at once (``--concurrency``).

    .venv/bin/python bench/engine_latency.py [--reports 20] [--concurrency 4] [--pg URL]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import struct
import sys
import tempfile
import time
import zlib
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


def tiny_png(seed: int) -> bytes:
    raw = b"\x00" + bytes([seed % 256] * 3)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


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
        for message in reversed(self.last):
            for row in message.buttons:
                for button in row:
                    if button.label == label or button.label.endswith(" " + label):
                        await self.send(Incoming.press(self.user, button.token))
                        return
        raise RuntimeError(f"no button {label!r}")

    async def report(self, n: int) -> None:
        await self.say("/start")
        await self.press("Report an incident")
        await self.say("wallet stolen")
        await self.press("Security · Lost or stolen property")
        await self.press("Stolen")
        await self.press("Now")
        for value in ("Zhang San", "owner 1203", "13800000000"):
            await self.say(value)
        await self.send(Incoming.location(self.user, Place(31.23, 121.47)))
        await self.press("Now")
        await self.press("Yes")
        await self.say("a man in a cap at 21:50")
        await self.press("Camera")
        await self.press("Done")
        await self.say("left on the sofa for ten minutes")
        await self.say("black leather wallet")
        await self.say("3000")
        await self.send(Incoming.photo(self.user, PhotoIn(data=tiny_png(n))))
        await self.press("Done")
        await self.press("Done")
        await self.press("Skip")
        await self.press("Yes")
        await self.press("No")
        await self.press("Done")
        await self.press("Now")
        await self.press("Nobody enters or leaves")
        await self.press("Nothing is moved, taken away or put in")
        await self.press("Done")
        await self.press("Private or indoor area")
        await self.press("Done")
        await self.say("Wang Wu")
        for _ in range(6):
            await self.press("Skip this detail")
        await self.press("Done")
        await self.press("Skip")
        await self.press("Skip")
        await self.press("Skip")
        await self.say("not yet established")
        await self.press("Done")
        await self.press("No")
        await self.press("No")
        await self.press("Confirm")


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
