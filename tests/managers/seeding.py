"""Cases written straight into the tables, for the managers' queries (no conversation needed)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from bot.cases import service as cases
from bot.cases.models import Case, CaseStatus
from bot.sites import service as sites
from bot.sites.models import Site
from bot.staff import service as staff_service
from bot.staff.models import Staff


def site(session: Session, code: str, timezone: str, now: datetime) -> Site:
    return sites.create(
        session, code=code, name=f"{code} hotel", timezone=timezone, locale="en", now=now
    )


def person(session: Session, where: Site, name: str, *roles: str, now: datetime) -> Staff:
    assert where.id is not None
    return staff_service.add(
        session,
        telegram_id=None,
        name=name,
        roles=list(roles),
        site_id=where.id,
        locale=None,
        now=now,
    )


def case(
    session: Session,
    where: Site,
    reporter: Staff,
    opened: datetime,
    *,
    playbook: str = "lost_property",
    status: str = CaseStatus.IN_PROGRESS,
    closed_after: timedelta | None = None,
    answers: dict[str, Any] | None = None,
    level: str | None = None,
) -> Case:
    assert reporter.id is not None
    row = cases.open_case(
        session,
        site=where,
        playbook_id=playbook,
        playbook_version=1,
        reporter_id=reporter.id,
        now=opened,
    )
    for step, value in (answers or {}).items():
        cases.record_answer(
            session, row, step, value, skipped=False, actor_id=reporter.id, now=opened
        )
    if level is not None:
        cases.set_classification(
            session, row, level, actor_id=reporter.id, step_id="level", now=opened
        )
    if status != CaseStatus.IN_PROGRESS:
        row.status = status
        row.closed_at = opened + (closed_after or timedelta(hours=1))
        session.add(row)
        session.flush()
    return row


def deadline(
    session: Session,
    row: Case,
    key: str,
    due: datetime,
    *,
    met: datetime | None = None,
    until: str | None = None,
) -> None:
    made = cases.open_deadline(
        session,
        row,
        key=key,
        title={"zh": f"期限 {key}", "en": f"Deadline {key}"},
        roles=[],
        due_at=due,
        now=row.opened_at,
        until_step=until,
    )
    if met is not None:
        made.status = "met"
        made.met_at = met
        session.add(made)
        session.flush()
