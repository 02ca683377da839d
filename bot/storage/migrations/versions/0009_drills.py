"""emergency drills: plans, responses, timeline entries, shortcomings; cases.is_drill

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TS = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{column}")


def upgrade() -> None:
    # A plain ADD COLUMN: a batch copy of ``cases`` would trip SQLite's foreign keys.
    op.add_column(
        "cases", sa.Column("is_drill", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_table(
        "drills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), _fk("drills", "site_id", "sites"), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("every_months", sa.Integer(), nullable=False),
        sa.Column("scenario", sa.String(length=80), nullable=False),
        sa.Column("playbook_id", sa.String(length=64), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("starts_at", UTC_TS, nullable=False),
        sa.Column("commander_id", sa.Integer(), _fk("drills", "commander_id", "staff")),
        sa.Column(
            "coordinator_id",
            sa.Integer(),
            _fk("drills", "coordinator_id", "staff"),
            nullable=False,
        ),
        sa.Column("people", sa.JSON(), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("purpose", sa.String(length=2000), nullable=False),
        sa.Column("assumption", sa.String(length=2000), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("started_at", UTC_TS, nullable=True),
        sa.Column("ended_at", UTC_TS, nullable=True),
        sa.Column("equipment", sa.String(length=2000), nullable=False),
        sa.Column("evaluation", sa.String(length=4000), nullable=False),
        sa.Column("conclusion", sa.String(length=4000), nullable=False),
        sa.Column("case_id", sa.Integer(), _fk("drills", "case_id", "cases"), nullable=True),
        sa.Column("created_at", UTC_TS, nullable=False),
        sa.Column("updated_at", UTC_TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_drills"),
        sa.UniqueConstraint("series_id", "starts_at", name="uq_drills_series_starts"),
    )
    op.create_index("ix_drills_site_starts", "drills", ["site_id", "starts_at"])
    op.create_index("ix_drills_series_id", "drills", ["series_id"])
    op.create_index("ix_drills_status", "drills", ["status"])
    op.create_table(
        "drill_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "drill_id", sa.Integer(), _fk("drill_responses", "drill_id", "drills"), nullable=False
        ),
        sa.Column(
            "staff_id", sa.Integer(), _fk("drill_responses", "staff_id", "staff"), nullable=False
        ),
        sa.Column("answer", sa.String(length=20), nullable=True),
        sa.Column("answered_at", UTC_TS, nullable=True),
        sa.Column("present", sa.Boolean(), nullable=True),
        sa.Column("updated_at", UTC_TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_drill_responses"),
        sa.UniqueConstraint("drill_id", "staff_id", name="uq_drill_responses_drill_staff"),
    )
    op.create_index("ix_drill_responses_drill_id", "drill_responses", ["drill_id"])
    op.create_table(
        "drill_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "drill_id", sa.Integer(), _fk("drill_entries", "drill_id", "drills"), nullable=False
        ),
        sa.Column("at", UTC_TS, nullable=False),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.Column("actor_id", sa.Integer(), _fk("drill_entries", "actor_id", "staff")),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_drill_entries"),
    )
    op.create_index("ix_drill_entries_drill_id", "drill_entries", ["drill_id"])
    op.create_table(
        "drill_shortcomings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "drill_id",
            sa.Integer(),
            _fk("drill_shortcomings", "drill_id", "drills"),
            nullable=False,
        ),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.Column(
            "owner_id",
            sa.Integer(),
            _fk("drill_shortcomings", "owner_id", "staff"),
            nullable=False,
        ),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_at", UTC_TS, nullable=True),
        sa.Column("done_by", sa.Integer(), _fk("drill_shortcomings", "done_by", "staff")),
        sa.Column("done_note", sa.String(length=2000), nullable=False),
        sa.Column("photo", sa.JSON(), nullable=False),
        sa.Column("created_at", UTC_TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_drill_shortcomings"),
    )
    op.create_index("ix_drill_shortcomings_drill_id", "drill_shortcomings", ["drill_id"])
    op.create_index("ix_drill_shortcomings_owner_id", "drill_shortcomings", ["owner_id"])


def downgrade() -> None:
    op.drop_table("drill_shortcomings")
    op.drop_table("drill_entries")
    op.drop_table("drill_responses")
    op.drop_table("drills")
    op.drop_column("cases", "is_drill")
