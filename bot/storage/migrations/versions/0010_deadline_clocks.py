"""deadline clocks: spec, start, kind, pauses, extensions, owner, reminders; job runs

Revision ID: 0010
Revises: 0009

Deadlines already open keep their due time; their start is when they opened. They were never
reminded or pinged, and the new scheduler must not announce old news: those of cancelled cases
stop, and those already past due count as reminded and breached (no burst of stale alerts).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("deadlines") as batch:
        batch.alter_column("due_at", existing_type=UTC_TS, nullable=True)
        batch.add_column(sa.Column("clock", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("span", sa.String(length=16), nullable=True))
        batch.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="due_by")
        )
        batch.add_column(sa.Column("start_step", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("started_at", UTC_TS, nullable=True))
        batch.add_column(sa.Column("remind_at", UTC_TS, nullable=True))
        batch.add_column(sa.Column("pauses", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("extensions", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("owner_role", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("met_by", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("reminded_at", UTC_TS, nullable=True))
        batch.add_column(sa.Column("breached_at", UTC_TS, nullable=True))
        batch.add_column(sa.Column("stopped_reason", sa.String(length=200), nullable=True))
        batch.create_foreign_key("fk_deadlines_owner_id", "staff", ["owner_id"], ["id"])
        batch.create_index("ix_deadlines_remind_at", ["remind_at"], unique=False)
    op.execute("UPDATE deadlines SET started_at = created_at")
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "UPDATE deadlines SET status = 'stopped', stopped_reason = 'case cancelled' "
            "WHERE status = 'open' AND case_id IN (SELECT id FROM cases WHERE status = 'cancelled')"
        )
    )
    bind.execute(
        sa.text(
            "UPDATE deadlines SET reminded_at = :now, breached_at = :now "
            "WHERE status = 'open' AND due_at <= :now"
        ),
        {"now": _now()},
    )
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("at", UTC_TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_job_runs"),
        sa.UniqueConstraint("job", "scope", "period", name="uq_job_runs_job"),
    )


def _now() -> datetime:
    now = datetime.now(UTC)
    return now.replace(tzinfo=None) if op.get_bind().dialect.name == "sqlite" else now


def downgrade() -> None:
    op.drop_table("job_runs")
    op.execute("DELETE FROM deadlines WHERE due_at IS NULL")
    op.execute("UPDATE deadlines SET status = 'open' WHERE status IN ('pending', 'paused')")
    op.execute("UPDATE deadlines SET status = 'met' WHERE status = 'stopped'")
    with op.batch_alter_table("deadlines") as batch:
        batch.drop_index("ix_deadlines_remind_at")
        batch.drop_constraint("fk_deadlines_owner_id", type_="foreignkey")
        for column in (
            "stopped_reason",
            "breached_at",
            "reminded_at",
            "met_by",
            "owner_id",
            "owner_role",
            "extensions",
            "pauses",
            "remind_at",
            "started_at",
            "start_step",
            "kind",
            "span",
            "clock",
        ):
            batch.drop_column(column)
        batch.alter_column("due_at", existing_type=UTC_TS, nullable=False)
