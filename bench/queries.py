"""The managers' asks with a million cases: /today, /open, /overdue, /case and /stats month
through the real engine (one event each, as a manager's message), on SQLite and PostgreSQL.

    .venv/bin/python bench/queries.py                          # 1,000,000 cases, both databases
    .venv/bin/python bench/queries.py --cases 100000 --db sqlite   # a quick look
    .venv/bin/python bench/queries.py --keep /tmp/million.db   # keep (or reuse) the SQLite file

Seeding writes the rows directly, fast: ``executemany`` in one transaction on SQLite, ``COPY``
on PostgreSQL, ids chosen by the script. Three years of cases, 90 % of them at the measured
site ("hq"), each with four answers, six timeline events and (one in three) a deadline;
complaints have a level and a category. Targets: /today, /open, /overdue under 50 ms,
/case under 100 ms, /stats month under 2 s (the median of the runs; p95 printed too).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from bot.clock import SystemClock  # noqa: E402
from bot.engine.conversation import Engine  # noqa: E402
from bot.engine.incoming import Incoming, UserRef  # noqa: E402
from bot.flows.registry import load_registry  # noqa: E402
from bot.i18n import Catalogs  # noqa: E402
from bot.sites import service as sites  # noqa: E402
from bot.staff import service as staff_service  # noqa: E402
from bot.storage.db import Database  # noqa: E402
from bot.storage.media import MediaStore  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MANAGER = 777_000_001
YEARS = 3
OFFSET = timedelta(hours=8)  # Asia/Shanghai, the sites' zone (no daylight saving)
PLAYBOOKS = [
    "lost_property", "disturbance", "night_post_check", "fire", "burst_pipe",
    "utility_outage", "elevator_trapped", "complaint", "complaint", "coordination_order",
]  # fmt: skip
LEVELS = ["general", "general", "important", "hot", "major"]
CATEGORIES = ["building", "equipment", "security", "environment", "services", "fees"]
WORDS = ["钱包", "手机", "大堂", "停车场", "wallet", "phone", "lobby", "gate", "noise", "leak"]
CHUNK = 20_000
STAFF_PER_SITE = 200


def stamp(value: datetime) -> str:
    """A UTC instant as SQLAlchemy writes a naive DateTime into SQLite."""
    return value.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


class Rows:
    """The seeded rows, made in chunks: cases, answers, events, deadlines (ids from 1)."""

    def __init__(self, cases: int, now: datetime, sites: list[int], staff: dict[int, list[int]]):
        self.rng = random.Random(7)
        self.count, self.now, self.sites, self.staff = cases, now, sites, staff
        self.answer_id = self.event_id = self.deadline_id = 0
        self.serials: dict[tuple[int, str], int] = {}

    def chunks(self) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
        rng, span = self.rng, YEARS * 365 * 86400
        # Opening times in order, so that serials follow them as a site's numbering does.
        starts = sorted(rng.random() * span for _ in range(self.count))
        first = self.now - timedelta(seconds=span)
        for begin in range(0, self.count, CHUNK):
            out: dict[str, list[tuple[Any, ...]]] = {
                "cases": [], "answers": [], "case_events": [], "deadlines": []
            }  # fmt: skip
            for index in range(begin, min(begin + CHUNK, self.count)):
                opened = first + timedelta(seconds=starts[index])
                self._case(index + 1, opened, out)
            yield out

    def _case(self, case_id: int, opened: datetime, out: dict[str, list[tuple[Any, ...]]]) -> None:
        rng = self.rng
        site = self.sites[0] if rng.random() < 0.9 else rng.choice(self.sites[1:])
        reporter = rng.choice(self.staff[site])
        period = (opened + OFFSET).strftime("%y%m")
        serial = self.serials[(site, period)] = self.serials.get((site, period), 0) + 1
        book = rng.choice(PLAYBOOKS)
        age = self.now - opened
        roll = rng.random()
        if age < timedelta(days=2):
            status = "in_progress" if roll < 0.3 else "completed"
        else:
            status = "in_progress" if roll < 0.002 else "cancelled" if roll < 0.022 else "completed"
        closed = (
            None if status == "in_progress" else opened + timedelta(minutes=rng.randint(5, 600))
        )
        level = rng.choice(LEVELS) if book == "complaint" else None
        last = closed or opened
        out["cases"].append(
            (case_id, site, f"{period}-{serial:03d}", period, serial, book, 1, status, level,
             reporter, opened, closed, last)
        )  # fmt: skip
        answers: list[tuple[str, Any]] = [
            ("reported_at", stamp(opened)),
            ("what", f"{rng.choice(WORDS)} {rng.choice(WORDS)} near room {rng.randint(100, 999)}"),
            ("where", {"lat": 31.23 + rng.random() / 100, "lon": 121.47 + rng.random() / 100}),
            (
                "category_property" if book == "complaint" else "notes",
                rng.choice(CATEGORIES) if book == "complaint" else rng.choice(WORDS),
            ),
        ]
        events: list[tuple[str, str | None, Any]] = [("opened", None, {"playbook": book})]
        for step, value in answers:
            self.answer_id += 1
            at = opened + timedelta(minutes=1)
            out["answers"].append(
                (self.answer_id, case_id, step, json.dumps(value), False, reporter, at, None)
            )
            events.append(("answered", step, {"value": value}))
        if status != "in_progress":
            events.append((status, None, {"from": "in_progress"}))
        for kind, step_id, data in events:
            self.event_id += 1
            out["case_events"].append(
                (self.event_id, case_id, opened, reporter, kind, step_id, json.dumps(data), "", "")
            )
        if case_id % 3 == 0:
            self.deadline_id += 1
            due = opened + timedelta(hours=1)
            roll = rng.random()
            met = None if roll < 0.01 else opened + timedelta(minutes=30 if roll < 0.9 else 90)
            title = json.dumps({"zh": "首次联系", "en": "First contact"})
            out["deadlines"].append(
                (self.deadline_id, case_id, "first_contact", title, "[]", due,
                 "open" if met is None else "met", opened, "first_contact_at", met)
            )  # fmt: skip


COLUMNS = {
    "cases": "id, site_id, number, period, serial, playbook_id, playbook_version, status, "
    "classification, reporter_id, opened_at, closed_at, updated_at",
    "answers": "id, case_id, step_id, value, skipped, answered_by, answered_at, superseded_at",
    "case_events": "id, case_id, at, actor_id, kind, step_id, data, prev_hash, hash",
    "deadlines": "id, case_id, key, title, roles, due_at, status, created_at, until_step, met_at",
}


def _sqlite_value(value: Any) -> Any:
    return stamp(value) if isinstance(value, datetime) else value


def seed_sqlite(path: str, rows: Rows) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("PRAGMA foreign_keys=OFF")
    connection.execute("BEGIN")
    for chunk in rows.chunks():
        for table, values in chunk.items():
            marks = ", ".join("?" * len(COLUMNS[table].split(",")))
            connection.executemany(
                f"INSERT INTO {table} ({COLUMNS[table]}) VALUES ({marks})",
                [tuple(_sqlite_value(v) for v in row) for row in values],
            )
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.close()


def seed_postgres(raw_url: str, schema: str, rows: Rows) -> None:
    with psycopg.connect(raw_url, options=f"-c search_path={schema}") as connection:
        with connection.cursor() as cursor:
            for chunk in rows.chunks():
                for table, values in chunk.items():
                    with cursor.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
                        for row in values:
                            copy.write_row(row)
            for table in COLUMNS:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")


def prepare(db: Database, now: datetime) -> tuple[list[int], dict[int, list[int]]]:
    """The sites, their staff, and the manager who asks (at the first site)."""
    site_ids: list[int] = []
    staff: dict[int, list[int]] = {}
    with db.transaction() as session:
        for n in range(5):
            site = sites.create(
                session,
                code=f"s{n}",
                name="HQ Hotel" if n == 0 else f"Site {n}",
                timezone="Asia/Shanghai",
                locale="en",
                now=now,
            )
            assert site.id is not None
            site_ids.append(site.id)
            staff[site.id] = []
            for k in range(STAFF_PER_SITE):
                member = staff_service.add(
                    session,
                    telegram_id=None,
                    name=f"Guard {n}-{k}",
                    roles=["guard"],
                    site_id=site.id,
                    locale=None,
                    now=now,
                )
                assert member.id is not None
                staff[site.id].append(member.id)
        staff_service.add(
            session,
            telegram_id=MANAGER,
            name="Manager Wu",
            roles=["manager"],
            site_id=site_ids[0],
            locale=None,
            now=now,
        )
    return site_ids, staff


async def measure(db: Database, runs: int) -> dict[str, list[float]]:
    registry, _ = load_registry(None)
    media = MediaStore(Path(tempfile.mkdtemp()))
    engine = Engine(db=db, registry=registry, media=media, catalogs=Catalogs(), clock=SystemClock())
    user = UserRef(MANAGER, "Manager Wu", "en")
    with db.transaction() as session:
        numbers = [
            row[0]
            for row in session.connection().exec_driver_sql(
                "SELECT number FROM cases WHERE site_id = 1 ORDER BY id DESC LIMIT 2000"
            )
        ]
    rng = random.Random(3)
    asks = {
        "/today": lambda: "/today",
        "/open": lambda: "/open",
        "/overdue": lambda: "/overdue",
        "/case": lambda: f"/case {rng.choice(numbers)}",
        "/stats month": lambda: "/stats month",
    }
    times: dict[str, list[float]] = {name: [] for name in asks}
    await engine.handle(Incoming.message(user, "/start"))  # the conversation row exists
    for name, text in asks.items():
        count = max(5, runs // 5) if name == "/stats month" else runs
        for attempt in range(count + 2):
            started = time.perf_counter()
            out = await engine.handle(Incoming.message(user, text()))
            elapsed = (time.perf_counter() - started) * 1000
            assert out and "Sorry" not in out[0].text, out[0].text
            if attempt >= 2:  # the first two warm the caches
                times[name].append(elapsed)
    return times


def report(label: str, times: dict[str, list[float]], targets: dict[str, float]) -> None:
    print(f"\n{label}")
    print(f"{'ask':<14}{'median ms':>10}{'p95 ms':>10}{'target':>10}")
    for name, values in times.items():
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        median = statistics.median(values)
        ok = "ok" if median < targets[name] else "SLOW"
        print(f"{name:<14}{median:>10.1f}{p95:>10.1f}{targets[name]:>9.0f} {ok}")


TARGETS: dict[str, float] = {
    "/today": 50,
    "/open": 50,
    "/overdue": 50,
    "/case": 100,
    "/stats month": 2000,
}


async def run_sqlite(cases: int, runs: int, path: str, fresh: bool, revision: str) -> None:
    db = Database(f"sqlite:///{path}", synchronous="NORMAL")
    try:
        now = datetime.now(UTC)
        if fresh:
            await upgrade(db, revision)
            site_ids, staff = prepare(db, now)
            started = time.perf_counter()
            seed_sqlite(path, Rows(cases, now, site_ids, staff))
            print(f"SQLite: seeded {cases:,} cases in {time.perf_counter() - started:.0f} s")
        report(f"SQLite ({cases:,} cases)", await measure(db, runs), TARGETS)
    finally:
        await db.dispose()


async def run_postgres(cases: int, runs: int, url: str, revision: str) -> None:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    raw = "postgresql://" + url.partition("://")[2]
    with psycopg.connect(raw, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    db = Database(url, schema=schema)
    try:
        now = datetime.now(UTC)
        await upgrade(db, revision)
        site_ids, staff = prepare(db, now)
        started = time.perf_counter()
        seed_postgres(raw, schema, Rows(cases, now, site_ids, staff))
        print(f"PostgreSQL: seeded {cases:,} cases in {time.perf_counter() - started:.0f} s")
        report(f"PostgreSQL ({cases:,} cases)", await measure(db, runs), TARGETS)
    finally:
        await db.dispose()
        with psycopg.connect(raw, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--url", default=PG_URL)
    parser.add_argument("--keep", help="SQLite file to keep, or reuse when it exists")
    parser.add_argument(
        "--without-indexes", action="store_true", help="stop before migration 0010 (a baseline)"
    )
    args = parser.parse_args()
    revision = "0007" if args.without_indexes else "head"
    if args.db in ("sqlite", "both"):
        path = args.keep or str(Path(tempfile.mkdtemp()) / "million.db")
        fresh = not Path(path).exists()
        asyncio.run(run_sqlite(args.cases, args.runs, path, fresh, revision))
    if args.db in ("postgres", "both"):
        asyncio.run(run_postgres(args.cases, args.runs, args.url, revision))


if __name__ == "__main__":
    main()
