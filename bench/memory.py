"""Resident memory of dutybot's aiogram path with many open conversations.

The database (SQLite, a file) is made and staffed by a separate process: ``--conversations``
guards in sites of 20. The measuring process then starts dutybot as ``dutybot run`` does
(transport, front end, inbox; the collector settled) and reads its RSS: the idle bot; a real
`dutybot run` on the same database, polling the fake Bot API, is measured too, as the anchor. Then
every guard opens a report (/start, Report an incident, Security, Lost or stolen property: a case
open, its first question on screen), 200 at a time as getUpdates batches, and the RSS is read
again. The benchmark's own guards and canned chats are dropped batch by batch so that only
dutybot's memory grows.

    .venv/bin/python bench/memory.py                          # 2,000 open conversations
    .venv/bin/python bench/memory.py --conversations 10000    # the issue's figure (minutes)
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.canned import OPENING, TOKEN, Guard
from bench.contenders import FAILURES, Dutybot, watch_failures
from bot.transports.runner import settle_memory

BASE = 20_000_000
BATCH = 200


def rss() -> int:
    gc.collect()
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def seed(url: str, conversations: int) -> None:
    bot = Dutybot("seed", "aiogram", url, guards=conversations, base_id=BASE)
    await bot.setup()
    await bot.close()


async def idle_run(url: str, transport: str, folder: str) -> int:
    """RSS of a real `dutybot run` (polling the fake Bot API over HTTP) once it has started."""
    from tests.fakes import FakeBotAPI

    async with FakeBotAPI(token=TOKEN, bot_username="duty_bench_bot") as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYBOT_")}
        env.update(
            DUTYBOT_DATABASE__URL=url,
            DUTYBOT_MEDIA__DIR=f"{folder}/media",
            DUTYBOT_TELEGRAM__TOKEN=TOKEN,
            DUTYBOT_TELEGRAM__API_BASE_URL=api.url,
            DUTYBOT_TELEGRAM__TRANSPORT=transport,
            DUTYBOT_TELEGRAM__POLLING_TIMEOUT="1",
            DUTYBOT_LOGGING__LEVEL="INFO",
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert process.stderr is not None
        async with asyncio.timeout(120):
            while b" via " not in (line := await process.stderr.readline()):
                if not line:
                    raise RuntimeError("dutybot run ended before it started")
        await asyncio.sleep(3)  # polling, the scheduler's first ticks
        with open(f"/proc/{process.pid}/statm") as statm:  # noqa: ASYNC230
            resident = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        process.terminate()
        await process.communicate()
        return resident


async def measure(url: str, conversations: int, transport: str, folder: str) -> None:
    running = await idle_run(url, transport, folder)
    bot = Dutybot("memory", transport, url, guards=0, base_id=BASE, seed=False)
    await bot.setup()
    settle_memory()
    idle = rss()
    started = time.perf_counter()
    marks: list[tuple[int, int]] = []
    for first in range(0, conversations, BATCH):
        guards = [
            Guard(bot.telegram, BASE + i) for i in range(first, min(conversations, first + BATCH))
        ]
        for _ in range(OPENING):
            await bot.feed([g.next_update() for g in guards])
        for g in guards:
            bot.telegram.chats.pop(g.id, None)  # the benchmark's canned chat, not dutybot's
        del guards
        if first == 0:
            warm = rss()  # imports and caches the first steps bring
            marks.append((min(conversations, BATCH), warm))
        elif (first + BATCH) % 2000 == 0 or first + BATCH >= conversations:
            marks.append((min(conversations, first + BATCH), rss()))
    elapsed = time.perf_counter() - started
    full = marks[-1][1]
    per = (full - marks[0][1]) / max(1, marks[-1][0] - marks[0][0])
    mib = 1024 * 1024
    print(f"{transport}: {conversations} open conversations in {elapsed:.0f} s "
          f"({bot.steps} steps)")  # fmt: skip
    print(f"  idle `dutybot run` (its own process, polling): {running / mib:.1f} MiB")
    print(f"  idle bot here (started, collector settled): {idle / mib:.1f} MiB")
    for count, value in marks:
        print(f"  {count:>6} open: {value / mib:.1f} MiB")
    print(f"  growth per open conversation (after the first {marks[0][0]}): {per / 1024:.2f} KiB")
    print(f"  {'PASS' if per < 2048 else 'FAIL'}  < 2 KiB per open conversation")
    ratio = full / running
    print(f"  {'PASS' if ratio <= 1.3 else 'FAIL'}  RSS at {marks[-1][0]} open conversations "
          f"<= 1.3x an idle `dutybot run`: {ratio:.2f}x")  # fmt: skip
    if FAILURES.records:
        print(f"  {len(FAILURES.records)} failure(s) logged, first: {FAILURES.records[0]}")
    await bot.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--conversations", type=int, default=2000)
    parser.add_argument("--transport", choices=("aiogram", "ptb"), default="aiogram")
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        asyncio.run(seed(args.seed, args.conversations))
        return
    watch_failures()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/memory.db"
        subprocess.run(
            [sys.executable, __file__, "--seed", url, "--conversations", str(args.conversations)],
            check=True,
        )
        asyncio.run(measure(url, args.conversations, args.transport, folder))


if __name__ == "__main__":
    main()
