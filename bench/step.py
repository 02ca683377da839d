"""One step of a guard's report through dutybot's real Telegram path, against bare aiogram.

Contenders, all in this one process, interleaved round by round (each round runs every
contender once, in a rotated order, so that a slow moment of the machine falls on all alike):

* ``dutybot/aiogram`` and ``dutybot/ptb``: the raw update stored in the durable inbox, read by the
  client library, the front end, the engine (one transaction), the answer rendered through the
  library's Bot API calls (see bench/contenders.py);
* ``B``: aiogram's ``Dispatcher.feed_update`` with a handler that does nothing;
* ``B+WAL``: that handler inserting one row into SQLite (WAL, synchronous=FULL) and committing;
* ``B+reply``: that and one ``sendMessage``.

The Bot API makes no network calls but the libraries serialise every call and validate every
answer as against Telegram (bench/canned.py). Each dutybot guard walks the whole A1 lost/stolen
property report (the guard's part, about 40 steps), again and again.

Scenarios: one guard alone; 200 guards interleaved (one update at a time, round robin: 200 open
reports); a burst of 200 (one update from each at once, one getUpdates batch).

    .venv/bin/python bench/step.py                   # SQLite, about 2 minutes
    .venv/bin/python bench/step.py --rounds 6
    .venv/bin/python bench/step.py --pg postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.canned import A1
from bench.contenders import FAILURES, Bare, Dutybot, watch_failures
from bot.transports.runner import settle_memory

GUARDS = 200


@dataclass
class Figures:
    single: list[float] = field(default_factory=list)  # seconds per step, one guard
    many: list[float] = field(default_factory=list)  # seconds per step, 200 interleaved
    many_time: float = 0.0  # wall time of those steps
    bursts: list[float] = field(default_factory=list)  # drain time of each burst
    statements: int = 0
    steps: int = 0


class Pauses:
    """The longest pause of the loop for a collection, per generation (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.longest = [0.0, 0.0, 0.0]
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        generation = info["generation"]
        took = time.perf_counter() - self._started
        self.longest[generation] = max(self.longest[generation], took)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


async def one_round(contender: Any, figures: Figures, single: int, many: int) -> None:
    for _ in range(single):
        figures.single.append(await contender.step(0))
    started = time.perf_counter()
    n = len(contender.guards)
    for k in range(many):
        figures.many.append(await contender.step(1 + k % (n - 1)))
    figures.many_time += time.perf_counter() - started
    figures.bursts.append(await contender.burst(range(1, n)))


async def make(name: str, args: argparse.Namespace, folder: str, index: int) -> Any:
    base = 10_000_000 * (index + 1)
    if name.startswith("B"):
        mode = {"B": "trivial", "B+WAL": "wal", "B+reply": "reply"}[name]
        return Bare(name, mode, folder, guards=GUARDS + 1, base_id=base)
    _, transport, backend = name.split("/")
    url = f"sqlite:///{folder}/{transport}-{backend}.db"
    schema = None
    if backend == "pg":
        url, schema = args.pg, await make_schema(args.pg, f"step_{transport}")
    synchronous = "NORMAL" if backend == "sqlite-normal" else "FULL"
    bot = Dutybot(
        name, transport, url, guards=GUARDS + 1, base_id=base, schema=schema,
        synchronous=synchronous,
    )  # fmt: skip
    await bot.setup()
    return bot


SCHEMAS: list[str] = []


async def make_schema(url: str, prefix: str) -> str:
    import psycopg

    schema = f"{prefix}_{os.getpid()}_{time.time_ns() % 10**9}"
    async with await psycopg.AsyncConnection.connect(raw_pg(url), autocommit=True) as conn:
        await conn.execute(f'CREATE SCHEMA "{schema}"')
    SCHEMAS.append(schema)
    return schema


async def drop_schemas(url: str) -> None:
    import psycopg

    async with await psycopg.AsyncConnection.connect(raw_pg(url), autocommit=True) as conn:
        for schema in SCHEMAS:
            await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def raw_pg(url: str) -> str:
    return "postgresql://" + url.partition("://")[2]


async def run(args: argparse.Namespace) -> dict[str, Figures]:
    names = ["B", "B+WAL", "B+reply", "dutybot/aiogram/sqlite", "dutybot/ptb/sqlite"]
    if args.normal:
        names += ["dutybot/aiogram/sqlite-normal"]
    if args.pg:
        names += ["dutybot/aiogram/pg", "dutybot/ptb/pg"]
    results = {name: Figures() for name in names}
    with tempfile.TemporaryDirectory() as folder:
        contenders = [await make(name, args, folder, i) for i, name in enumerate(names)]
        try:
            # Warm-up: every guard of every contender opens a report, imports are done, caches
            # built; then, as `dutybot run` does after start-up, what lives for the whole process
            # leaves the collector's sight.
            for contender in contenders:
                for i in range(1, GUARDS + 1):
                    for _ in range(3):
                        await contender.step(i)
                await contender.step(0)
            settle_memory()
            collections = [s["collections"] for s in gc.get_stats()]
            pauses = Pauses()
            gc.callbacks.append(pauses)
            for r in range(args.rounds):
                order = contenders[r % len(contenders) :] + contenders[: r % len(contenders)]
                for contender in order:
                    before = (contender.statements, contender.steps)
                    await one_round(contender, results[contender.name], args.single, args.many)
                    figures = results[contender.name]
                    figures.statements += contender.statements - before[0]
                    figures.steps += contender.steps - before[1]
                print(f"  round {r + 1}/{args.rounds} done", file=sys.stderr)
            gc.callbacks.remove(pauses)
            after = [s["collections"] for s in gc.get_stats()]
            print(
                f"  garbage collections during the rounds (gen 0/1/2): "
                f"{[b - a for a, b in zip(collections, after, strict=True)]}; longest pause "
                f"{pauses.longest[0] * 1000:.1f} / {pauses.longest[1] * 1000:.1f} / "
                f"{pauses.longest[2] * 1000:.1f} ms",
                file=sys.stderr,
            )
        finally:
            for contender in contenders:
                await contender.close()
            if args.pg and SCHEMAS:
                await drop_schemas(args.pg)
    return results


def report(results: dict[str, Figures], args: argparse.Namespace) -> bool:
    anchor = results["B+reply"]
    a50 = pct(anchor.many, 0.5)
    a_burst = statistics.median(anchor.bursts)
    print(
        f"\n{args.rounds} rounds; per round and contender: {args.single} steps of one guard, "
        f"{args.many} steps of {GUARDS} interleaved guards, a burst of {GUARDS}\n"
    )
    header = (
        f"{'contender':24} {'1 guard p50/p99/max ms':>24} {'200 guards p50/p99/max ms':>27} "
        f"{'steps/s':>8} {'burst s (med)':>13} {'×B+reply p50':>12} {'×burst':>7} {'SQL/step':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, f in results.items():
        one = f"{pct(f.single, 0.5):.2f}/{pct(f.single, 0.99):.2f}/{pct(f.single, 1):.1f}"
        many = f"{pct(f.many, 0.5):.2f}/{pct(f.many, 0.99):.2f}/{pct(f.many, 1):.1f}"
        rate = len(f.many) / f.many_time if f.many_time else 0.0
        burst = statistics.median(f.bursts)
        print(
            f"{name:24} {one:>24} {many:>27} {rate:>8.0f} {burst:>13.3f} "
            f"{pct(f.many, 0.5) / a50:>12.1f} {burst / a_burst:>7.1f} "
            f"{f.statements / max(1, f.steps):>8.1f}"
        )
    print()
    ok = True

    def target(label: str, passed: bool, detail: str) -> None:
        nonlocal ok
        ok = ok and passed
        print(f"  {'PASS' if passed else 'FAIL'}  {label}: {detail}")

    for transport in ("aiogram", "ptb"):
        d = results[f"dutybot/{transport}/sqlite"]
        d50, d99, dmax = pct(d.many, 0.5), pct(d.many, 0.99), pct(d.many, 1)
        burst = statistics.median(d.bursts)
        print(f"targets, dutybot/{transport} on SQLite, {GUARDS} interleaved guards:")
        target("one step <= 3x B+reply at p50", d50 <= 3 * a50, f"{d50 / a50:.1f}x")
        target("p99 < 10 ms", d99 < 10, f"{d99:.1f} ms")
        target("max < 50 ms", dmax < 50, f"{dmax:.1f} ms")
        target(
            "a burst of 200 drains within 5x B+reply",
            burst <= 5 * a_burst,
            f"{burst:.3f} s vs {a_burst:.3f} s ({burst / a_burst:.1f}x)",
        )
        if args.pg:
            p = results[f"dutybot/{transport}/pg"]
            p50 = pct(p.many, 0.5)
            target("PostgreSQL within 1.5x of SQLite per step (p50)", p50 <= 1.5 * d50,
                   f"{p50:.2f} vs {d50:.2f} ms ({p50 / d50:.2f}x)")  # fmt: skip
    if args.normal:
        full, normal = results["dutybot/aiogram/sqlite"], results["dutybot/aiogram/sqlite-normal"]
        print(
            f"SQLite synchronous=FULL costs {pct(full.many, 0.5) - pct(normal.many, 0.5):+.2f} ms "
            f"per step at p50 ({pct(full.many, 0.5):.2f} vs {pct(normal.many, 0.5):.2f} ms), "
            f"burst {statistics.median(full.bursts):.3f} "
            f"vs {statistics.median(normal.bursts):.3f} s"
        )
    if FAILURES.records:
        ok = False
        print(f"  {len(FAILURES.records)} warning(s) or failure(s) logged, first: "
              f"{FAILURES.records[0]}")  # fmt: skip
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--single", type=int, default=len(A1), help="steps of one guard per round")
    parser.add_argument("--many", type=int, default=400, help="interleaved steps per round")
    parser.add_argument("--pg", help="also on PostgreSQL (a SQLAlchemy URL)")
    parser.add_argument("--no-instances", action="store_true", help="skip bench/instances.py")
    parser.add_argument(
        "--normal", action="store_true", help="also dutybot/aiogram on SQLite synchronous=NORMAL"
    )
    args = parser.parse_args()
    watch_failures()
    results = asyncio.run(run(args))
    ok = report(results, args)
    if args.pg and not args.no_instances:
        from bench.instances import compare, show

        print("\ntwo instances on one PostgreSQL (bench/instances.py):")
        ok = show(asyncio.run(compare(args.pg, 8, 800)), 8) and ok
    print("\nall targets met" if ok else "\nsome targets missed")


if __name__ == "__main__":
    main()
