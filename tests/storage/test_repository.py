"""The same storage contract on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from bot.cases import service as cases
from bot.cases.models import CaseEvent
from bot.sites import service as sites
from bot.staff import service as staff_service
from bot.storage.db import Database
from bot.storage.migrate import SchemaNotCurrent, ensure_current
from tests.conftest import START
from tests.support import World


async def _open(world: World, at: datetime) -> str:
    with world.db.transaction() as session:
        site = sites.get(session, world.site_id)
        assert world.guard.id is not None
        case = cases.open_case(
            session,
            site=site,
            playbook_id="all_kinds",
            playbook_version=1,
            reporter_id=world.guard.id,
            now=at,
        )
        return case.number


async def test_case_numbers_restart_each_month_in_the_site_time_zone(any_world: World) -> None:
    first = await _open(any_world, START)
    second = await _open(any_world, START + timedelta(hours=1))
    # 2026-11-30 16:30 UTC is already 1 December 00:30 in Shanghai: a new month, serial 001.
    december = await _open(any_world, datetime(2026, 11, 30, 16, 30, tzinfo=UTC))
    november_late = await _open(any_world, datetime(2026, 11, 30, 15, 30, tzinfo=UTC))
    assert [first, second, december, november_late] == [
        "2611-001",
        "2611-002",
        "2612-001",
        "2611-003",
    ]


async def test_concurrent_numbering_hands_out_each_serial_once(any_world: World) -> None:
    numbers = await asyncio.gather(*(_open(any_world, START) for _ in range(8)))
    assert sorted(numbers) == [f"2611-{n:03d}" for n in range(1, 9)]


async def test_times_come_back_aware_utc(any_world: World) -> None:
    shanghai_evening = datetime.fromisoformat("2026-11-22T22:30:00+08:00")
    number = await _open(any_world, shanghai_evening)
    with any_world.db.transaction() as session:
        case = cases.by_number(session, any_world.site_id, number)
        assert case is not None
        assert case.opened_at.tzinfo is not None
        assert case.opened_at.utcoffset() == timedelta(0)
        assert case.opened_at == datetime(2026, 11, 22, 14, 30, tzinfo=UTC)


async def test_naive_times_are_refused(any_world: World) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        with any_world.db.transaction() as session:
            sites.create(
                session, code="x", name="x", timezone="UTC", locale="en", now=datetime(2026, 1, 1)
            )


async def test_changed_answer_keeps_its_history(any_world: World) -> None:
    number = await _open(any_world, START)
    with any_world.db.transaction() as session:
        case = cases.by_number(session, any_world.site_id, number)
        assert case is not None and case.id is not None
        assert any_world.guard.id is not None
        cases.record_answer(
            session, case, "amount", 10, skipped=False, actor_id=any_world.guard.id, now=START
        )
        cases.record_answer(
            session,
            case,
            "amount",
            20,
            skipped=False,
            actor_id=any_world.guard.id,
            now=START + timedelta(minutes=1),
        )
        history = cases.answer_history(session, case.id)
        current = cases.current_answers(session, case.id)
        events = [e.kind for e in cases.timeline(session, case.id)]
    assert [(a.value, a.superseded_at) for a in history] == [
        (10, START + timedelta(minutes=1)),
        (20, None),
    ]
    assert current["amount"].value == 20
    assert events == ["opened", "answered", "answer_changed"]


async def test_timeline_is_append_only(any_world: World) -> None:
    number = await _open(any_world, START)
    with any_world.db.transaction() as session:
        case = cases.by_number(session, any_world.site_id, number)
        assert case is not None and case.id is not None
        case_id = case.id
    for statement in ("UPDATE case_events SET kind = 'x'", "DELETE FROM case_events"):
        with pytest.raises((DBAPIError, IntegrityError), match="append-only"):
            with any_world.db.transaction() as session:
                session.exec(text(statement))  # type: ignore[call-overload]
    with any_world.db.transaction() as session:
        kept = cases.timeline(session, case_id)
    assert [e.kind for e in kept] == ["opened"] and isinstance(kept[0], CaseEvent)


async def test_telegram_ids_are_unique_and_big(any_world: World) -> None:
    big = 7_123_456_789_012  # beyond 32 bits
    with any_world.db.transaction() as session:
        member = staff_service.add(
            session,
            telegram_id=big,
            name="Big",
            roles=["guard"],
            site_id=any_world.site_id,
            locale=None,
            now=START,
        )
    with any_world.db.transaction() as session:
        found = staff_service.by_telegram_id(session, big)
        assert found is not None and found.id == member.id
    with pytest.raises(IntegrityError):
        with any_world.db.transaction() as session:
            staff_service.add(
                session,
                telegram_id=big,
                name="Again",
                roles=["guard"],
                site_id=any_world.site_id,
                locale=None,
                now=START,
            )


async def test_unmigrated_database_is_refused(tmp_path: Path) -> None:
    fresh = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        with pytest.raises(SchemaNotCurrent, match="dutybot db upgrade"):
            await ensure_current(fresh)
    finally:
        await fresh.dispose()
