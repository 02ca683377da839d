"""follow-up: case states reported / in follow-up / closed, tasks by role, parked work

Revision ID: 0008
Revises: 0007

A case that was "completed" (its reporter submitted it) is now "reported": nothing of it is
closed until a role the procedure names closes it, so its ``closed_at`` moves to
``reported_at``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=True),
        sa.Column("holder_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_at", UTC_TS, nullable=False),
        sa.Column("started_at", UTC_TS, nullable=True),
        sa.Column("done_at", UTC_TS, nullable=True),
        sa.Column("updated_at", UTC_TS, nullable=False),
    )
    op.create_index("ix_tasks_case_id", "tasks", ["case_id"])
    op.create_index("ix_tasks_site_state_role", "tasks", ["site_id", "state", "role"])
    op.create_index("ix_tasks_holder_state", "tasks", ["holder_id", "state"])
    op.create_table(
        "parked_work",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("work", sa.String(length=24), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("tasks.id"), nullable=True),
        sa.Column("screen", sa.String(length=20), nullable=False),
        sa.Column("step_id", sa.String(length=64), nullable=True),
        sa.Column("path", sa.JSON(), nullable=False),
        sa.Column("draft", sa.JSON(), nullable=False),
        sa.Column("parked_at", UTC_TS, nullable=False),
        sa.UniqueConstraint("staff_id", "work", name="uq_parked_work_staff_work"),
    )
    op.create_index("ix_parked_work_staff_id", "parked_work", ["staff_id"])
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(
            sa.Column(
                "task_id",
                sa.Integer(),
                sa.ForeignKey("tasks.id", name="fk_conversations_task_id"),
                nullable=True,
            )
        )
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("reported_at", UTC_TS, nullable=True))
    op.execute(
        "UPDATE cases SET status = 'reported', reported_at = closed_at, closed_at = NULL "
        "WHERE status = 'completed'"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE cases SET status = 'completed', closed_at = COALESCE(reported_at, closed_at) "
        "WHERE status IN ('reported', 'in_follow_up', 'closed')"
    )
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("reported_at")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_constraint("fk_conversations_task_id", type_="foreignkey")
        batch.drop_column("task_id")
    op.drop_index("ix_parked_work_staff_id", table_name="parked_work")
    op.drop_table("parked_work")
    op.drop_index("ix_tasks_holder_state", table_name="tasks")
    op.drop_index("ix_tasks_site_state_role", table_name="tasks")
    op.drop_index("ix_tasks_case_id", table_name="tasks")
    op.drop_table("tasks")
