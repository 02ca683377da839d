"""The scheduler a running bot ticks with APScheduler, and its housekeeping job.

Jobs keep their state in tables (APScheduler's own job store cannot be shared by several
processes): each instance runs its own scheduler and every job is safe to run on several
instances at once. Time inside the jobs comes from the injected clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlmodel import Session

from bot.clock import Clock
from bot.inbox import service as inbox
from bot.staff import attempts
from bot.storage.db import Database

log = logging.getLogger(__name__)
# Telegram redelivers an update for at most about a day; a week leaves a wide margin.
REMEMBER_EVENTS = timedelta(days=7)


async def forget_old_events(db: Database, clock: Clock) -> int:
    cutoff = clock.now() - REMEMBER_EVENTS
    removed = await db.run(lambda session: inbox.forget_handled_before(session, cutoff))
    if removed:
        log.info("forgot %d delivered update id(s) older than %s", removed, REMEMBER_EVENTS)
    return removed


async def forget_old_code_attempts(db: Database, clock: Clock) -> int:
    """Tries at codes older than the rate limit's window count for nothing: drop their rows."""
    cutoff = clock.now() - attempts.WINDOW
    return await db.run(lambda session: attempts.forget_before(session, cutoff))


@dataclass(frozen=True)
class Tick:
    """A job run every ``seconds``, from the start (what fell due while down is done first)."""

    name: str
    seconds: float
    run: Callable[[], Awaitable[object]]


def housekeeping(db: Database, clock: Clock) -> Tick:
    async def run() -> int:
        await forget_old_code_attempts(db, clock)
        return await forget_old_events(db, clock)

    return Tick("forget_old_events", 6 * 3600, run)


class Running:
    """Jobs under way, so that a shutdown can let them finish: APScheduler's asyncio executor
    can only cancel them, which would leave a tick half done and a traceback in the log."""

    def __init__(self) -> None:
        self.count = 0
        self.idle = asyncio.Event()
        self.idle.set()

    def wrap(self, run: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[object]]:
        async def job() -> object:
            self.count += 1
            self.idle.clear()
            try:
                return await run()
            finally:
                self.count -= 1
                if not self.count:
                    self.idle.set()

        return job


async def drain(
    db: Database,
    batch: Callable[[Session], int],
    *,
    size: int,
    on_outbox: Callable[[], None] | None = None,
) -> int:
    """Run ``batch`` (one transaction, up to ``size`` rows) until a batch comes back short;
    the sender is woken after each batch that wrote something. How many rows in all."""
    total = 0
    while True:
        count = await db.run(batch)
        total += count
        if count and on_outbox is not None:
            on_outbox()
        if count < size:
            return total


def start_scheduler(
    db: Database,
    clock: Clock,
    ticks: Sequence[Tick] | None = None,
    running: Running | None = None,
) -> AsyncIOScheduler:
    """Start the scheduler in the running event loop (it must be running); by default it runs
    the housekeeping alone."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    for tick in [housekeeping(db, clock)] if ticks is None else ticks:
        # APScheduler ticks on wall time; the jobs read ``clock``.
        scheduler.add_job(
            running.wrap(tick.run) if running is not None else tick.run,
            "interval",
            seconds=tick.seconds,
            id=tick.name,
            next_run_time=datetime.now(UTC),
            coalesce=True,
            max_instances=1,
            misfire_grace_time=max(60, int(tick.seconds * 10)),
        )
    scheduler.start()
    return scheduler


async def stop_scheduler(scheduler: AsyncIOScheduler, running: Running, timeout: float) -> None:  # noqa: ASYNC109
    """No new runs; the ones under way finish (up to ``timeout`` seconds); then shut down."""
    scheduler.pause()
    try:
        await asyncio.wait_for(running.idle.wait(), timeout)
    except TimeoutError:
        log.warning("%d scheduled job(s) still running at shutdown", running.count)
    scheduler.shutdown(wait=False)
