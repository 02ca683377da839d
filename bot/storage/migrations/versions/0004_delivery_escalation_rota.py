"""deliveries (the outbox), alerts (escalation), the duty rota; notifications become alerts

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("step_id", sa.String(length=64), nullable=True),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("message", sa.JSON(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("chain", sa.String(length=40), nullable=False),
        sa.Column("chain_start", sa.Integer(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("next_at", UTC_TS, nullable=True),
        sa.Column("raised_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("raised_at", UTC_TS, nullable=False),
        sa.Column("acknowledged_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("acknowledged_at", UTC_TS, nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_alerts_case_id", "alerts", ["case_id"])
    op.create_index("ix_alerts_due", "alerts", ["status", "next_at"])

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=True),
        sa.Column("alert_id", sa.Integer(), sa.ForeignKey("alerts.id"), nullable=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("message", sa.String(length=40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_at", UTC_TS, nullable=False),
        sa.Column("lease_until", UTC_TS, nullable=True),
        sa.Column("needs_edit", sa.Boolean(), nullable=False),
        sa.Column("secret", sa.String(length=16), nullable=False),
        sa.Column("telegram_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("created_at", UTC_TS, nullable=False),
        sa.Column("sent_at", UTC_TS, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key", name="uq_deliveries_key"),
    )
    op.create_index("ix_deliveries_due", "deliveries", ["status", "next_at"])
    op.create_index("ix_deliveries_alert", "deliveries", ["alert_id"])
    op.create_index("ix_deliveries_case_id", "deliveries", ["case_id"])
    op.create_index("ix_deliveries_staff_id", "deliveries", ["staff_id"])

    op.create_table(
        "rota_shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_TS, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rota_shifts_site_role", "rota_shifts", ["site_id", "role"])
    op.create_table(
        "rota_swaps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("starts_at", UTC_TS, nullable=False),
        sa.Column("ends_at", UTC_TS, nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created_at", UTC_TS, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rota_swaps_site_role", "rota_swaps", ["site_id", "role", "ends_at"])

    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("unreachable_since", UTC_TS, nullable=True))

    _notifications_become_alerts()
    with op.batch_alter_table("notifications") as batch:
        batch.drop_index("ix_notifications_status")
        batch.drop_index("ix_notifications_case_id")
    op.drop_table("notifications")


def _notifications_become_alerts() -> None:
    """Each notice recorded before delivery existed becomes an alert due now: the first tick
    pings the holders of its roles (the chain is chosen then, from the case's procedure)."""
    bind = op.get_bind()
    notifications = sa.table(
        "notifications",
        sa.column("id", sa.Integer()),
        sa.column("case_id", sa.Integer()),
        sa.column("site_id", sa.Integer()),
        sa.column("step_id", sa.String()),
        sa.column("roles", sa.JSON()),
        sa.column("message", sa.JSON()),
        sa.column("status", sa.String()),
        sa.column("created_at", UTC_TS),
    )
    cases = sa.table("cases", sa.column("id", sa.Integer()), sa.column("reporter_id", sa.Integer()))
    n, c = notifications.c, cases.c
    query = (
        sa.select(n.id, n.case_id, n.site_id, n.step_id, n.roles, n.message, n.created_at)
        .add_columns(c.reporter_id)
        .select_from(notifications.join(cases, c.id == n.case_id))
        .where(n.status == "pending")
        .order_by(n.id)
    )
    rows = bind.execute(query).fetchall()
    if not rows:
        return
    alerts = sa.table(
        "alerts",
        *(
            sa.column(name, type_)
            for name, type_ in (
                ("site_id", sa.Integer()),
                ("case_id", sa.Integer()),
                ("step_id", sa.String()),
                ("roles", sa.JSON()),
                ("message", sa.JSON()),
                ("facts", sa.JSON()),
                ("chain", sa.String()),
                ("chain_start", sa.Integer()),
                ("urgent", sa.Boolean()),
                ("level", sa.Integer()),
                ("round", sa.Integer()),
                ("status", sa.String()),
                ("next_at", UTC_TS),
                ("raised_by", sa.Integer()),
                ("raised_at", UTC_TS),
            )
        ),
    )
    now = datetime.now(UTC)
    if bind.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # SQLite keeps naive UTC (see bot/storage/types.py)
    op.bulk_insert(
        alerts,
        [
            {
                "site_id": row.site_id,
                "case_id": row.case_id,
                "step_id": row.step_id,
                "roles": row.roles,
                "message": row.message,
                "facts": [],
                "chain": "",
                "chain_start": 0,
                "urgent": False,
                "level": -1,
                "round": 0,
                "status": "open",
                "next_at": now,
                "raised_by": row.reporter_id,
                "raised_at": row.created_at,
            }
            for row in rows
        ],
    )


def downgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("step_id", sa.String(length=64), nullable=True),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("message", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", UTC_TS, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notifications_case_id", "notifications", ["case_id"])
    op.create_index("ix_notifications_status", "notifications", ["status"])
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("unreachable_since")
    for table in ("rota_swaps", "rota_shifts", "deliveries", "alerts"):
        op.drop_table(table)
