"""inbox: updates stored before they are confirmed to Telegram; replaces processed_events

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("received_at", UTC_TS, nullable=False),
        sa.Column("handled_at", UTC_TS, nullable=True),
        sa.Column("note", sa.String(length=60), nullable=True),
        sa.PrimaryKeyConstraint("source", "update_id"),
    )
    op.create_index("ix_inbox_pending", "inbox", ["source", "handled_at", "update_id"])
    op.create_index("ix_inbox_chat", "inbox", ["source", "chat_id", "update_id"])
    # Every update handled so far stays recognised as handled.
    op.execute(
        "INSERT INTO inbox (source, update_id, received_at, handled_at) "
        "SELECT source, event_id, at, at FROM processed_events"
    )
    op.drop_table("processed_events")


def downgrade() -> None:
    op.create_table(
        "processed_events",
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("at", UTC_TS, nullable=False),
        sa.PrimaryKeyConstraint("source", "event_id"),
    )
    op.execute(
        "INSERT INTO processed_events (source, event_id, at) "
        "SELECT source, update_id, handled_at FROM inbox WHERE handled_at IS NOT NULL"
    )
    op.drop_index("ix_inbox_chat", table_name="inbox")
    op.drop_index("ix_inbox_pending", table_name="inbox")
    op.drop_table("inbox")
