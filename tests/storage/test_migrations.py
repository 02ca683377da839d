"""The hand-written migrations build exactly the tables the models describe."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel import select

from bot.clock import FrozenClock
from bot.delivery.models import Delivery
from bot.escalation.chains import EscalationSettings
from bot.escalation.jobs import climb_due_alerts
from bot.escalation.models import Alert
from bot.storage.db import Database
from bot.storage.migrate import HEAD, script_head, upgrade
from bot.storage.models import metadata
from tests.conftest import PG_URL, pg_schema


async def test_migrations_match_the_models(db: Database) -> None:
    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))

    assert await db.run_connection(differences) == []


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A database with no schema yet, on each back end."""
    async with AsyncExitStack() as stack:
        if request.param == "sqlite":
            database = Database(f"sqlite:///{tmp_path / 'old.db'}")
        else:
            database = Database(PG_URL, schema=await stack.enter_async_context(pg_schema()))
        stack.push_async_callback(database.dispose)
        yield database


async def test_notices_recorded_before_delivery_become_alerts_that_ping(
    empty_db: Database,
) -> None:
    """A pending `notifications` row of revision 0003 is an alert due now after the upgrade, and
    the first tick pings the holders of its roles."""
    db = empty_db
    await upgrade(db, "0003")
    at = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    stamp = at.replace(tzinfo=None) if db.is_sqlite else at
    guard, chief = json.dumps(["guard"]), json.dumps(["security_chief"])
    message = json.dumps({"zh": "请处理", "en": "Please see to it"})
    with db.engine.begin() as connection:
        for sql, values in (
            ("INSERT INTO sites (id, code, name, timezone, locale, settings, created_at) "
             "VALUES (1, 'hq', 'HQ', 'Asia/Shanghai', 'en', '{}', :at)", {}),
            ("INSERT INTO staff (id, telegram_id, name, roles, site_id, active, created_at) "
             "VALUES (1, 11, 'Guard', :roles, 1, true, :at)", {"roles": guard}),
            ("INSERT INTO staff (id, telegram_id, name, roles, site_id, active, created_at) "
             "VALUES (2, 12, 'Chief', :roles, 1, true, :at)", {"roles": chief}),
            ("INSERT INTO cases (id, site_id, number, period, serial, playbook_id, "
             "playbook_version, status, reporter_id, opened_at, updated_at) VALUES "
             "(1, 1, '2611-001', '2611', 1, 'lost_property', 1, 'completed', 1, :at, :at)", {}),
            ("INSERT INTO notifications (case_id, site_id, step_id, roles, message, status, "
             "created_at) VALUES (1, 1, 'notify_chiefs', :roles, :message, 'pending', :at)",
             {"roles": chief, "message": message}),
        ):  # fmt: skip
            connection.execute(text(sql), {"at": stamp, **values})
    await upgrade(db)
    with db.transaction() as session:
        [alert] = (session.exec(select(Alert))).all()
    assert (alert.status, alert.level, alert.chain, alert.roles) == (
        "open",
        -1,
        "",
        ["security_chief"],
    )
    clock = FrozenClock(datetime.now(UTC))
    assert await climb_due_alerts(db, clock, EscalationSettings(), lambda _: "security") == 1
    with db.transaction() as session:
        [alert] = (session.exec(select(Alert))).all()
        deliveries = (session.exec(select(Delivery))).all()
    assert (alert.chain, alert.level) == ("security", 0)
    assert [(d.staff_id, d.kind) for d in deliveries] == [(2, "ping")]


def test_the_start_up_check_knows_the_newest_migration() -> None:
    assert HEAD == script_head()
