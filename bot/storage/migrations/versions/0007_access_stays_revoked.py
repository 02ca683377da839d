"""access that stays revoked: cancellable invites, requests per site, request links, code attempts

Revision ID: 0007
Revises: 0006

Outstanding invites made by someone who is no longer an active administrator of the invite's
site are cancelled. Requests are given a site: all of them when there is only one site; with
several, a handled request gets the site of whoever handled it and a pending one stays without a
site (no administrator's list shows it; ``dutybot staff requests`` does).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("invites") as batch:
        batch.add_column(sa.Column("cancelled_at", UTC_TS, nullable=True))
        batch.add_column(sa.Column("cancelled_by", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_invites_cancelled_by", "staff", ["cancelled_by"], ["id"])
    with op.batch_alter_table("access_requests") as batch:
        batch.add_column(sa.Column("site_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_access_requests_site_id", "sites", ["site_id"], ["id"])
        batch.create_index("ix_access_requests_site_id", ["site_id"], unique=False)
    op.create_table(
        "request_links",
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTC_TS, nullable=False),
        sa.PrimaryKeyConstraint("site_id"),
    )
    op.create_index("ix_request_links_token", "request_links", ["token"], unique=True)
    op.create_table(
        "code_attempts",
        sa.Column("telegram_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("recent", sa.JSON(), nullable=False),
        sa.Column("refused_at", UTC_TS, nullable=True),
        sa.PrimaryKeyConstraint("telegram_id"),
    )
    _cancel_orphaned_invites()
    _give_requests_a_site()


def _now() -> datetime:
    now = datetime.now(UTC)
    return now.replace(tzinfo=None) if op.get_bind().dialect.name == "sqlite" else now


def _roles(value: Any) -> list[str]:
    loaded: Any = json.loads(value) if isinstance(value, str) else value
    return [str(role) for role in loaded or []]


def _cancel_orphaned_invites() -> None:
    bind = op.get_bind()
    staff = {
        row.id: row
        for row in bind.execute(sa.text("SELECT id, roles, site_id, active FROM staff")).all()
    }
    rows = bind.execute(
        sa.text(
            "SELECT id, site_id, created_by FROM invites "
            "WHERE used_at IS NULL AND created_by IS NOT NULL"
        )
    ).all()
    for invite in rows:
        creator = staff.get(invite.created_by)
        still_admin = (
            creator is not None
            and bool(creator.active)
            and "admin" in _roles(creator.roles)
            and creator.site_id == invite.site_id
        )
        if not still_admin:
            bind.execute(
                sa.text("UPDATE invites SET cancelled_at = :at WHERE id = :id"),
                {"at": _now(), "id": invite.id},
            )


def _give_requests_a_site() -> None:
    bind = op.get_bind()
    sites = [row.id for row in bind.execute(sa.text("SELECT id FROM sites")).all()]
    if len(sites) == 1:
        bind.execute(sa.text("UPDATE access_requests SET site_id = :site"), {"site": sites[0]})
        return
    bind.execute(
        sa.text(
            "UPDATE access_requests SET site_id = "
            "(SELECT staff.site_id FROM staff WHERE staff.id = access_requests.handled_by) "
            "WHERE handled_by IS NOT NULL"
        )
    )


def downgrade() -> None:
    op.drop_table("code_attempts")
    op.drop_index("ix_request_links_token", table_name="request_links")
    op.drop_table("request_links")
    with op.batch_alter_table("access_requests") as batch:
        batch.drop_index("ix_access_requests_site_id")
        batch.drop_constraint("fk_access_requests_site_id", type_="foreignkey")
        batch.drop_column("site_id")
    with op.batch_alter_table("invites") as batch:
        batch.drop_constraint("fk_invites_cancelled_by", type_="foreignkey")
        batch.drop_column("cancelled_by")
        batch.drop_column("cancelled_at")
