"""A site's statistics over a period, worked out by the database: counts by ``GROUP BY``,
medians by ``ORDER BY … LIMIT 2 OFFSET n/2`` on a count, never by loading the rows.

Drills are left out (cases rehearsed as a drill, and procedures of the ``drills`` group), and
so are cancelled cases: they are reports nobody carried. Complaints are the cases of the
``complaints`` group; their level is the case's classification, their category the answer of a
category step.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import String, case, cast, func
from sqlalchemy import select as sa_select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from bot.cases.models import Answer, Case, Deadline
from bot.flows.registry import Registry
from bot.managers.periods import Period
from bot.reports.models import Count, MonthStats, Text
from bot.sites.models import Site

CANCELLED = "cancelled"
DRILLS, COMPLAINTS = "drills", "complaints"
CATEGORY_STEPS = ("category_property", "category_hotel")
# The steps whose answer records the first contact with whoever complained.
FIRST_CONTACT_STEPS = ("first_contact_at",)


def site_stats(
    session: Session, site: Site, registry: Registry, period: Period, label: str = ""
) -> MonthStats:
    assert site.id is not None
    start, end = period.bounds(site.timezone)
    books = registry.all()
    drills = [b.id for b in books if b.group == DRILLS]
    complaints = [b.id for b in books if b.group == COMPLAINTS]
    where: list[Any] = [
        col(Case.site_id) == site.id,
        col(Case.opened_at) >= start,
        col(Case.opened_at) < end,
        col(Case.status) != CANCELLED,
        col(Case.is_drill).is_(False),
    ]
    if drills:
        where.append(col(Case.playbook_id).not_in(drills))
    titles = {b.id: b.title for b in books}
    by_procedure = _grouped(session, col(Case.playbook_id), where)
    levels = _grouped(
        session,
        col(Case.classification),
        [*where, col(Case.playbook_id).in_(complaints), col(Case.classification).is_not(None)],
    )
    on_time, late = _deadlines(session, where)
    return MonthStats(
        site_name=site.name,
        timezone=site.timezone,
        year=period.first.year,
        month=period.first.month,
        period_label=label,
        cases_by_procedure=tuple(
            Count(titles.get(key, key), n) for key, n in by_procedure if key is not None
        ),
        complaints_by_level={str(key): n for key, n in levels if key is not None},
        complaints_by_category=tuple(_categories(session, registry, where)),
        deadlines_on_time=on_time,
        deadlines_late=late,
        median_first_contact=_median(session, _first_contact(session), where),
        median_to_close=_median(session, _to_close(session), where),
    )


def _grouped(
    session: Session, key: Any, where: Sequence[ColumnElement[bool]]
) -> list[tuple[Any, int]]:
    query = sa_select(key, func.count()).select_from(Case).where(*where).group_by(key)
    return [(row[0], int(row[1])) for row in session.execute(query).all()]


def _categories(
    session: Session, registry: Registry, where: Sequence[ColumnElement[bool]]
) -> list[Count]:
    value = cast(col(Answer.value), String)
    query = (
        sa_select(value, func.count())
        .select_from(Answer)
        .join(Case, col(Case.id) == col(Answer.case_id))
        .where(
            *where,
            col(Answer.step_id).in_(CATEGORY_STEPS),
            col(Answer.superseded_at).is_(None),
            col(Answer.skipped).is_(False),
        )
        .group_by(value)
    )
    names = option_names(registry)
    counts = []
    for raw, n in session.execute(query).all():
        try:
            option = json.loads(raw) if raw is not None else None
        except ValueError:
            option = raw
        if option is not None:
            counts.append(Count(names.get(str(option), str(option)), int(n)))
    return counts


def option_names(registry: Registry) -> dict[str, Text]:
    names: dict[str, Text] = {}
    for book in registry.all():
        for step in book.steps:
            if step.id in CATEGORY_STEPS:
                for option in getattr(step, "options", []):
                    names.setdefault(option.id, option.text)
    return names


def _deadlines(session: Session, where: Sequence[ColumnElement[bool]]) -> tuple[int, int]:
    met = col(Deadline.met_at)
    on_time = func.sum(case((met <= col(Deadline.due_at), 1), else_=0))
    late = func.sum(case((met > col(Deadline.due_at), 1), else_=0))
    query = (
        sa_select(on_time, late)
        .select_from(Deadline)
        .join(Case, col(Case.id) == col(Deadline.case_id))
        .where(*where, met.is_not(None))
    )
    row = session.execute(query).one()
    return int(row[0] or 0), int(row[1] or 0)


def _seconds(session: Session, later: Any, earlier: Any) -> Any:
    """``later - earlier`` in seconds, in the database's own words."""
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0
    return func.extract("epoch", later - earlier)


@dataclass(frozen=True)
class _Span:
    seconds: Any
    source: Any  # the table joined to cases, or None for the case itself
    on: Any
    where: tuple[ColumnElement[bool], ...]


def _first_contact(session: Session) -> _Span:
    """From opening to the first-contact step's answer (the deadline it meets records when)."""
    return _Span(
        _seconds(session, col(Deadline.met_at), col(Case.opened_at)),
        Deadline,
        col(Case.id) == col(Deadline.case_id),
        (col(Deadline.until_step).in_(FIRST_CONTACT_STEPS), col(Deadline.met_at).is_not(None)),
    )


def _to_close(session: Session) -> _Span:
    return _Span(
        _seconds(session, col(Case.closed_at), col(Case.opened_at)),
        None,
        None,
        (col(Case.closed_at).is_not(None),),
    )


def _median(
    session: Session, span: _Span, where: Sequence[ColumnElement[bool]]
) -> timedelta | None:
    def base(*columns: Any) -> Any:
        query = sa_select(*columns)
        if span.source is not None:
            query = query.select_from(span.source).join(Case, span.on)
        else:
            query = query.select_from(Case)
        return query.where(*where, *span.where)

    n = int(session.execute(base(func.count())).scalar_one())
    if n == 0:
        return None
    middle = (
        base(span.seconds.label("seconds"))
        .order_by(span.seconds)
        .limit(1 if n % 2 else 2)
        .offset((n - 1) // 2)
    )
    values = [float(v) for v in session.execute(middle).scalars().all()]
    return timedelta(seconds=round(sum(values) / len(values)))
