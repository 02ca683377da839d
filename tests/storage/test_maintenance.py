"""Housekeeping: old delivered update ids are forgotten, recent ones still stop a redelivery."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlmodel import select

from bot.engine.incoming import Incoming
from bot.inbox.models import InboxUpdate
from bot.maintenance import forget_old_code_attempts, forget_old_events, start_scheduler
from bot.staff import attempts
from bot.staff.models import CodeAttempts
from tests.support import World


async def test_old_update_ids_are_forgotten_recent_ones_kept(any_world: World) -> None:
    chat = any_world.chat()
    await any_world.engine.handle(
        Incoming.message(chat.user, "/start", source="telegram", event_id=1)
    )
    any_world.clock.advance(timedelta(days=8))
    recent = Incoming.message(chat.user, "/start", source="telegram", event_id=2)
    assert await any_world.engine.handle(recent)
    assert await forget_old_events(any_world.db, any_world.clock) == 1
    with any_world.db.transaction() as session:
        kept = [row.update_id for row in (session.exec(select(InboxUpdate))).all()]
    assert kept == [2]
    assert await any_world.engine.handle(recent) == []  # still recognised as a redelivery


async def test_the_scheduler_runs_the_job_at_start(any_world: World) -> None:
    chat = any_world.chat()
    await any_world.engine.handle(
        Incoming.message(chat.user, "/start", source="telegram", event_id=5)
    )
    any_world.clock.advance(timedelta(days=30))
    scheduler = start_scheduler(any_world.db, any_world.clock)
    try:
        for _ in range(100):
            with any_world.db.transaction() as session:
                if not (session.exec(select(InboxUpdate))).all():
                    break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the housekeeping job did not run")
    finally:
        scheduler.shutdown(wait=False)


async def test_tries_at_codes_are_forgotten_once_they_count_for_nothing(any_world: World) -> None:
    now = any_world.clock.now()
    with any_world.db.transaction() as session:
        assert attempts.admit(session, 901, now - timedelta(minutes=30))
        assert attempts.admit(session, 902, now - timedelta(minutes=3))
    assert await forget_old_code_attempts(any_world.db, any_world.clock) == 1
    with any_world.db.transaction() as session:
        kept = [row.telegram_id for row in session.exec(select(CodeAttempts))]
    assert kept == [902]
