"""A site's month as CSV rows: its cases by number, with level, category and deadlines.

Three statements whatever the month holds, each over the ``(site_id, period)`` index: the
cases, their deadlines and their category answers; nothing is asked per case.
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


def month_rows(
    session: Session, site: Site, registry: Registry, year: int, month: int, now: datetime
) -> list[CaseRow]:
    """The cases numbered in ``year``-``month`` (the site's month, as their numbers say)."""
    assert site.id is not None
    period = f"{year % 100:02d}{month:02d}"
    month_of_site = (col(Case.site_id) == site.id, col(Case.period) == period)
    cases = session.execute(
        sa_select(
            col(Case.id),
            col(Case.number),
            col(Case.playbook_id),
            col(Case.opened_at),
            col(Case.closed_at),
            col(Case.status),
            col(Case.classification),
        )
        .where(*month_of_site)
        .order_by(col(Case.serial))
    ).all()
    deadlines: dict[int, list[DeadlineRecord]] = {}
    for case_id, key, title, due, met in session.execute(
        sa_select(
            col(Deadline.case_id),
            col(Deadline.key),
            col(Deadline.title),
            col(Deadline.due_at),
            col(Deadline.met_at),
        )
        .join(Case, col(Case.id) == col(Deadline.case_id))
        .where(*month_of_site)
        .order_by(col(Deadline.case_id), col(Deadline.id))
    ).all():
        deadlines.setdefault(case_id, []).append(
            DeadlineRecord(
                title=title or key,
                due=due,
                met_at=met,
                late=None if met is not None else due < now,
            )
        )
    categories: dict[int, str] = {}
    for case_id, raw in session.execute(
        sa_select(col(Answer.case_id), cast(col(Answer.value), String))
        .join(Case, col(Case.id) == col(Answer.case_id))
        .where(
            *month_of_site,
            col(Answer.step_id).in_(CATEGORY_STEPS),
            col(Answer.superseded_at).is_(None),
            col(Answer.skipped).is_(False),
        )
    ).all():
        categories[case_id] = str(json.loads(raw)) if raw else ""
    names = option_names(registry)
    books = {b.id: b for b in registry.all()}
    rows = []
    for case_id, number, playbook_id, opened, closed, status, level in cases:
        book = books.get(playbook_id)
        category = categories.get(case_id)
        rows.append(
            CaseRow(
                number=number,
                procedure=book.title if book is not None else playbook_id,
                site_name=site.name,
                timezone=site.timezone,
                opened_at=opened,
                closed_at=closed,
                status=status,
                level=level,
                category=names.get(category, category) if category else None,
                deadlines=tuple(deadlines.get(case_id, ())),
            )
        )
    return rows
