"""A site's month as CSV rows: its cases by number, with level, category and deadlines.

Three statements whatever the month holds: the cases (by the ``(site_id, period)`` index),
their deadlines and their category answers; nothing is asked per case.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import String, cast
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from bot.cases.models import Answer, Case, Deadline
from bot.flows.registry import Registry
from bot.managers.stats import CATEGORY_STEPS, option_names
from bot.reports.models import CaseRow, DeadlineRecord
from bot.sites.models import Site

CHUNK = 500  # ids per IN (...)


def month_rows(
    session: Session, site: Site, registry: Registry, year: int, month: int, now: datetime
) -> list[CaseRow]:
    """The cases numbered in ``year``-``month`` (the site's month, as their numbers say)."""
    assert site.id is not None
    period = f"{year % 100:02d}{month:02d}"
    query = (
        sa_select(Case)
        .where(col(Case.site_id) == site.id, col(Case.period) == period)
        .order_by(col(Case.serial))
    )
    cases = list(session.execute(query).scalars().all())
    ids = [c.id for c in cases if c.id is not None]
    deadlines: dict[int, list[DeadlineRecord]] = {}
    categories: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for row in session.execute(
            sa_select(Deadline)
            .where(col(Deadline.case_id).in_(chunk))
            .order_by(col(Deadline.case_id), col(Deadline.id))
        ).scalars():
            deadlines.setdefault(row.case_id, []).append(
                DeadlineRecord(
                    title=row.title or row.key,
                    due=row.due_at,
                    met_at=row.met_at,
                    late=None if row.met_at is not None else row.due_at < now,
                )
            )
        for case_id, raw in session.execute(
            sa_select(col(Answer.case_id), cast(col(Answer.value), String)).where(
                col(Answer.case_id).in_(chunk),
                col(Answer.step_id).in_(CATEGORY_STEPS),
                col(Answer.superseded_at).is_(None),
                col(Answer.skipped).is_(False),
            )
        ).all():
            categories[case_id] = str(json.loads(raw)) if raw else ""
    names = option_names(registry)
    books = {b.id: b for b in registry.all()}
    rows = []
    for case in cases:
        assert case.id is not None
        book = books.get(case.playbook_id)
        category = categories.get(case.id)
        rows.append(
            CaseRow(
                number=case.number,
                procedure=book.title if book is not None else case.playbook_id,
                site_name=site.name,
                timezone=site.timezone,
                opened_at=case.opened_at,
                closed_at=case.closed_at,
                status=case.status,
                level=case.classification,
                category=names.get(category, category) if category else None,
                deadlines=tuple(deadlines.get(case.id, ())),
            )
        )
    return rows
