"""manager queries: indexes for /today, /open, /overdue, /find, /stats and the month's CSV

Revision ID: 0011
Revises: 0010

See bot/managers/indexes.py for which query each index serves; bench/queries.py measures them.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_cases_site_status_opened", "cases", ["site_id", "status", "opened_at"]),
    ("ix_cases_site_opened", "cases", ["site_id", "opened_at"]),
    ("ix_cases_site_period", "cases", ["site_id", "period", "serial"]),
    ("ix_deadlines_status_due", "deadlines", ["status", "due_at", "case_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
