"""a tamper-evident record: the timeline chained by hashes, REPLACE refused on SQLite, answers
only superseded, an application role that cannot truncate or alter on PostgreSQL

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from bot.cases.chain import GENESIS, event_hash

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "dutybot_app"
SQLITE_GUARDS = {
    # REPLACE deletes the old row without firing DELETE triggers: refuse the insert instead.
    "case_events_no_replace": (
        "BEFORE INSERT ON case_events WHEN EXISTS (SELECT 1 FROM case_events WHERE id = NEW.id) "
        "BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END"
    ),
    "answers_no_delete": (
        "BEFORE DELETE ON answers BEGIN SELECT RAISE(ABORT, 'answers are never deleted'); END"
    ),
    "answers_no_replace": (
        "BEFORE INSERT ON answers WHEN EXISTS (SELECT 1 FROM answers WHERE id = NEW.id) "
        "BEGIN SELECT RAISE(ABORT, 'answers are never replaced'); END"
    ),
    "answers_only_superseded": (
        "BEFORE UPDATE ON answers WHEN OLD.superseded_at IS NOT NULL "
        "OR NEW.case_id IS NOT OLD.case_id OR NEW.step_id IS NOT OLD.step_id "
        "OR NEW.value IS NOT OLD.value OR NEW.skipped IS NOT OLD.skipped "
        "OR NEW.answered_by IS NOT OLD.answered_by OR NEW.answered_at IS NOT OLD.answered_at "
        "BEGIN SELECT RAISE(ABORT, 'an answer is only ever superseded'); END"
    ),
}


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    _drop_append_only_triggers(postgres)
    op.add_column(
        "case_events", sa.Column("prev_hash", sa.String(64), nullable=False, server_default="")
    )
    op.add_column(
        "case_events", sa.Column("hash", sa.String(64), nullable=False, server_default="")
    )
    _chain_existing_events(bind)
    _create_append_only_triggers(postgres)
    if postgres:
        _answers_guard_postgres()
        _application_role()
    else:
        for name, body in SQLITE_GUARDS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")


def _chain_existing_events(bind: Any) -> None:
    events = sa.table(
        "case_events",
        sa.column("id", sa.Integer()),
        sa.column("case_id", sa.Integer()),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("actor_id", sa.Integer()),
        sa.column("kind", sa.String()),
        sa.column("step_id", sa.String()),
        sa.column("data", sa.JSON()),
        sa.column("prev_hash", sa.String()),
        sa.column("hash", sa.String()),
    )
    heads: dict[int, str] = {}
    rows = bind.execute(sa.select(events).order_by(events.c.id)).fetchall()
    for row in rows:
        at = row.at
        if at.tzinfo is None:  # SQLite keeps naive UTC
            from datetime import UTC

            at = at.replace(tzinfo=UTC)
        data = json.loads(row.data) if isinstance(row.data, str) else row.data
        previous = heads.get(row.case_id, GENESIS)
        digest = event_hash(
            previous,
            case_id=row.case_id,
            at=at,
            actor_id=row.actor_id,
            kind=row.kind,
            step_id=row.step_id,
            data=data or {},
        )
        bind.execute(
            events.update().where(events.c.id == row.id).values(prev_hash=previous, hash=digest)
        )
        heads[row.case_id] = digest


def _drop_append_only_triggers(postgres: bool) -> None:
    if postgres:
        op.execute("DROP TRIGGER IF EXISTS case_events_no_change ON case_events")
    else:
        op.execute("DROP TRIGGER IF EXISTS case_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS case_events_no_delete")


def _create_append_only_triggers(postgres: bool) -> None:
    if postgres:
        op.execute(
            "CREATE TRIGGER case_events_no_change BEFORE UPDATE OR DELETE ON case_events "
            "FOR EACH ROW EXECUTE FUNCTION case_events_append_only()"
        )
        op.execute(
            "CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events "
            "FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER case_events_no_{verb.lower()} BEFORE {verb} ON case_events "
                "BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END"
            )


def _answers_guard_postgres() -> None:
    op.execute(
        """
        CREATE FUNCTION answers_only_superseded() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
                RAISE EXCEPTION 'answers are never deleted';
            END IF;
            IF OLD.superseded_at IS NOT NULL
               OR (NEW.case_id, NEW.step_id, NEW.value::text, NEW.skipped, NEW.answered_by,
                   NEW.answered_at)
                  IS DISTINCT FROM
                  (OLD.case_id, OLD.step_id, OLD.value::text, OLD.skipped, OLD.answered_by,
                   OLD.answered_at) THEN
                RAISE EXCEPTION 'an answer is only ever superseded';
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER answers_only_superseded BEFORE UPDATE OR DELETE ON answers "
        "FOR EACH ROW EXECUTE FUNCTION answers_only_superseded()"
    )
    op.execute(
        "CREATE TRIGGER answers_no_truncate BEFORE TRUNCATE ON answers "
        "FOR EACH STATEMENT EXECUTE FUNCTION answers_only_superseded()"
    )


def _application_role() -> None:
    """The role dutybot runs as: it may add to the record but not rewrite it. It owns nothing,
    so it cannot disable a trigger, alter or drop a table; on the timeline it may only read and
    insert, on answers only mark one superseded. Creating a role needs CREATEROLE: without it the
    migration says so and docs/deploy.md shows the statements to run."""
    op.execute(
        f"""
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
                CREATE ROLE {APP_ROLE} NOLOGIN;
            END IF;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'role {APP_ROLE} not created (no CREATEROLE); see docs/deploy.md';
        END
        $$
        """
    )
    op.execute(
        f"""
        DO $$
        BEGIN
            IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
                EXECUTE format('GRANT USAGE ON SCHEMA %I TO {APP_ROLE}', current_schema());
                EXECUTE format(
                    'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO {APP_ROLE}',
                    current_schema());
                EXECUTE format(
                    'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO {APP_ROLE}',
                    current_schema());
                REVOKE UPDATE, DELETE, TRUNCATE ON case_events FROM {APP_ROLE};
                REVOKE UPDATE, DELETE, TRUNCATE ON answers FROM {APP_ROLE};
                GRANT UPDATE (superseded_at) ON answers TO {APP_ROLE};
                EXECUTE format(
                    'ALTER DEFAULT PRIVILEGES IN SCHEMA %I '
                    'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP_ROLE}',
                    current_schema());
                EXECUTE format(
                    'ALTER DEFAULT PRIVILEGES IN SCHEMA %I '
                    'GRANT USAGE, SELECT ON SEQUENCES TO {APP_ROLE}', current_schema());
            END IF;
        END
        $$
        """
    )


def downgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        op.execute("DROP TRIGGER IF EXISTS answers_no_truncate ON answers")
        op.execute("DROP TRIGGER IF EXISTS answers_only_superseded ON answers")
        op.execute("DROP FUNCTION IF EXISTS answers_only_superseded()")
        op.execute("DROP TRIGGER IF EXISTS case_events_no_truncate ON case_events")
    else:
        for name in SQLITE_GUARDS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    _drop_append_only_triggers(postgres)
    op.drop_column("case_events", "hash")
    op.drop_column("case_events", "prev_hash")
    _create_append_only_triggers(postgres)
