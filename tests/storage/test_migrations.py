"""The hand-written migrations build exactly the tables the models describe."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel import select

from bot.clock import FrozenClock
from bot.deadlines.models import Deadline
from bot.delivery.models import Delivery
from bot.escalation.chains import EscalationSettings
from bot.escalation.jobs import climb_due_alerts
from bot.escalation.models import Alert
from bot.staff.models import AccessRequest, Invite
from bot.storage.db import Database
from bot.storage.migrate import HEAD, alembic_config, script_head, upgrade
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


async def _seed_0005(db: Database, *, sites: int) -> None:
    """Sites, staff, invites and requests as revision 0005 kept them."""
    at = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    stamp = at.replace(tzinfo=None) if db.is_sqlite else at
    later = (
        (at + timedelta(days=3)).replace(tzinfo=None) if db.is_sqlite else at + timedelta(days=3)
    )
    admin, guard = json.dumps(["admin"]), json.dumps(["guard"])
    rows: list[Any] = [
        ("INSERT INTO sites (id, code, name, timezone, locale, settings, created_at) "
         f"VALUES ({n}, 's{n}', 'Site {n}', 'Asia/Shanghai', 'en', '{{}}', :at)", {})
        for n in range(1, sites + 1)
    ] + [
        ("INSERT INTO staff (id, telegram_id, name, roles, site_id, active, created_at) "
         f"VALUES ({id_}, {10 + id_}, 'S{id_}', :roles, {site}, {active}, :at)", {"roles": roles})
        for id_, roles, site, active in (
            (1, admin, 1, "true"),  # an administrator
            (2, admin, 1, "false"),  # revoked
            (3, guard, 1, "true"),  # an administrator once, a guard now
            (4, admin, sites, "true"),  # an administrator of the last site
        )
    ] + [
        ("INSERT INTO invites (id, code_hash, role, site_id, created_by, created_at, expires_at) "
         f"VALUES ({id_}, 'h{id_}', 'guard', 1, {by}, :at, :later)", {})
        for id_, by in ((1, "NULL"), (2, 1), (3, 2), (4, 3), (5, 4))
    ] + [
        ("INSERT INTO access_requests (id, telegram_id, name, status, created_at, handled_by) "
         f"VALUES ({id_}, {900 + id_}, 'R{id_}', '{status}', :at, {by})", {})
        for id_, status, by in ((1, "pending", "NULL"), (2, "dismissed", 4))
    ]  # fmt: skip
    with db.engine.begin() as connection:
        for sql, values in rows:
            connection.execute(text(sql), {"at": stamp, "later": later, **values})


@pytest.mark.parametrize("sites", [1, 2])
async def test_invites_of_those_no_longer_admins_are_cancelled_and_requests_get_a_site(
    empty_db: Database, sites: int
) -> None:
    db = empty_db
    await upgrade(db, "0006")
    await _seed_0005(db, sites=sites)
    await upgrade(db)
    with db.transaction() as session:
        cancelled = {i.id: i.cancelled_at is not None for i in session.exec(select(Invite))}
        asked = {r.id: r.site_id for r in session.exec(select(AccessRequest))}
    # Made on the command line, or by an administrator of the invite's site: still valid.
    # Made by someone revoked, no longer an administrator, or an administrator of another site:
    # cancelled (with one site, the last site is the invite's own).
    assert cancelled == {1: False, 2: False, 3: True, 4: True, 5: sites != 1}
    # One site: every request is its. Several: a handled one is its handler's site's, a pending
    # one stays without a site (only `dutybot staff requests` lists it).
    assert asked == ({1: 1, 2: 1} if sites == 1 else {1: None, 2: 2})

    def downgrade(connection: Connection) -> None:
        from alembic import command

        config = alembic_config(db.url.render_as_string(hide_password=False))
        config.attributes["connection"] = connection
        with connection.begin():
            command.downgrade(config, "0006")

    await db.run_connection(downgrade)
    await upgrade(db)


async def test_deadlines_of_old_cases_do_not_fire_as_stale_news_after_0009(
    empty_db: Database,
) -> None:
    db = empty_db
    await upgrade(db, "0007")
    now = datetime.now(UTC)

    def stamp(at: datetime) -> datetime:
        return at.replace(tzinfo=None) if db.is_sqlite else at

    rows = (
        [
            "INSERT INTO sites (id, code, name, timezone, locale, settings, created_at) "
            "VALUES (1, 'hq', 'HQ', 'Asia/Shanghai', 'en', '{}', :at)",
            "INSERT INTO staff (id, telegram_id, name, roles, site_id, active, created_at) "
            "VALUES (1, 11, 'Li', '[\"guard\"]', 1, true, :at)",
        ]
        + [
            "INSERT INTO cases (id, site_id, number, period, serial, playbook_id, "
            "playbook_version, status, reporter_id, opened_at, updated_at) VALUES "
            f"({n}, 1, '2611-00{n}', '2611', {n}, 'complaint', 1, '{status}', 1, :at, :at)"
            for n, status in ((1, "completed"), (2, "cancelled"))
        ]
        + [
            "INSERT INTO deadlines (id, case_id, key, title, roles, due_at, status, created_at) "
            f"VALUES ({n}, {case}, 'reply', '{{}}', '[]', {due}, 'open', :at)"
            for n, case, due in ((1, 1, ":past"), (2, 1, ":future"), (3, 2, ":future"))
        ]
    )
    with db.engine.begin() as connection:
        for sql in rows:
            connection.execute(
                text(sql),
                {
                    "at": stamp(now - timedelta(days=2)),
                    "past": stamp(now - timedelta(days=1)),
                    "future": stamp(now + timedelta(days=1)),
                },
            )
    await upgrade(db)
    with db.transaction() as session:
        found = {d.id: d for d in session.exec(select(Deadline))}
    assert found[1].breached_at is not None and found[1].reminded_at is not None
    assert found[1].status == "open" and found[1].started_at == now - timedelta(days=2)
    assert (found[2].breached_at, found[2].status) == (None, "open")  # still to come: it fires
    assert (found[3].status, found[3].stopped_reason) == ("stopped", "case cancelled")
