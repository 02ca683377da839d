"""Housekeeping jobs a running bot ticks with APScheduler (the jobs keep their state in tables).

Each instance runs its own scheduler; every job is safe to run on several instances at once.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.conversations import service as conversations
from bot.storage.db import Database

log = logging.getLogger(__name__)
# Telegram redelivers an update for at most about a day; a week leaves a wide margin.
REMEMBER_EVENTS = timedelta(days=7)


async def forget_old_events(db: Database, clock: Clock) -> int:
    async with db.transaction() as session:
        removed = await conversations.forget_events_before(session, clock.now() - REMEMBER_EVENTS)
    if removed:
        log.info("forgot %d delivered update id(s) older than %s", removed, REMEMBER_EVENTS)
    return removed


def start_scheduler(db: Database, clock: Clock) -> AsyncIOScheduler:
    """Start the housekeeping scheduler in the running event loop (it must be running)."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        forget_old_events,
        "interval",
        hours=6,
        args=[db, clock],
        id="forget_old_events",
        next_run_time=datetime.now(UTC),  # APScheduler ticks on wall time; jobs read ``clock``
        coalesce=True,
        max_instances=1,
        misfire_grace_time=3600,
    )
    scheduler.start()
    return scheduler
