"""The managers' lists over one site: opened today and still open, open, overdue, found by words.

Every list is one page (``LIMIT``/``OFFSET``) and its total (``COUNT``) worked out by the
database; nothing is loaded to be counted. The indexes of migration 0010 make the three daily
lists answer in milliseconds with a million cases (see ``bench/queries.py``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, cast, exists, false, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from bot.cases.models import OPEN_STATES, Answer, Case, CaseStatus, Deadline
from bot.managers.periods import day_start
from bot.staff.models import Staff

# States in which a case still needs someone, and those after which nothing is due any more.
OPEN = tuple(str(state) for state in OPEN_STATES)
ENDED = (str(CaseStatus.CANCELLED), str(CaseStatus.CLOSED))
PAGE = 8  # lines per page: each line is a button on a phone
# /find looks through at most this many of the newest cases (within its dates, if given):
# words inside answers cannot use an index, and the search holds a database transaction.
SCAN = 20_000


@dataclass(frozen=True)
class Listed:
    """One line of a list: a case, and for /overdue the deadline that is past due."""

    id: int
    number: str
    playbook_id: str
    status: str
    opened_at: datetime
    reporter: str
    due_at: datetime | None = None
    deadline: dict[str, str] | None = None


@dataclass(frozen=True)
class Page:
    rows: tuple[Listed, ...]
    total: int
    page: int
    size: int = PAGE
    # /find searched only the newest SCAN cases of its dates: older ones may match too.
    partial: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


@dataclass(frozen=True)
class Search:
    """What /find looks for: every word must match the number, the reporter's name, the
    procedure (``procedures`` are the ids whose titles match it) or an answer; ``since`` and
    ``until`` bound the opening time."""

    words: tuple[str, ...] = ()
    procedures: Sequence[tuple[str, ...]] = ()  # per word, the playbook ids it names
    since: datetime | None = None
    until: datetime | None = None
    numbers: tuple[str, ...] = field(default_factory=tuple)


def _columns() -> list[Any]:
    return [
        col(Case.id),
        col(Case.number),
        col(Case.playbook_id),
        col(Case.status),
        col(Case.opened_at),
        col(Staff.name),
    ]


def _count(session: Session, where: list[Any]) -> int:
    return int(
        session.execute(sa_select(func.count()).select_from(Case).where(*where)).scalar_one()
    )


def _rows(session: Session, where: list[Any], limit: int, offset: int) -> list[Listed]:
    """Newest first."""
    query = (
        sa_select(*_columns())
        .join(Staff, col(Staff.id) == col(Case.reporter_id))
        .where(*where)
        .order_by(col(Case.opened_at).desc(), col(Case.id).desc())
        .limit(limit)
        .offset(offset)
    )
    return [Listed(*row) for row in session.execute(query).all()]


def _clamped(page: int, total: int) -> int:
    """A page past the end is the last one (the list shrank since it was drawn)."""
    return max(0, min(page, max(0, (total - 1) // PAGE)))


def _page(session: Session, where: list[Any], page: int) -> Page:
    total = _count(session, where)
    page = _clamped(page, total)
    return Page(tuple(_rows(session, where, PAGE, page * PAGE)), total, page)


def today(session: Session, site_id: int, now: datetime, timezone: str, page: int = 0) -> Page:
    """Cases opened since midnight in the site's zone, and every case still open.

    Two index ranges, not one ``OR`` (which would scan the site's every case to count): the
    cases opened today, then the open ones from before; the first are all newer."""
    since = day_start(now, timezone)
    site = col(Case.site_id) == site_id
    fresh = [site, col(Case.opened_at) >= since]
    older = [site, col(Case.status).in_(OPEN), col(Case.opened_at) < since]
    first, second = _count(session, fresh), _count(session, older)
    page = _clamped(page, first + second)
    start = page * PAGE
    rows = _rows(session, fresh, PAGE, start) if start < first else []
    if len(rows) < PAGE and second:
        rows += _rows(session, older, PAGE - len(rows), max(0, start - first))
    return Page(tuple(rows), first + second, page)


def open_cases(session: Session, site_id: int, page: int = 0) -> Page:
    where = [col(Case.site_id) == site_id, col(Case.status).in_(OPEN)]
    return _page(session, where, page)


def overdue(session: Session, site_id: int, now: datetime, page: int = 0) -> Page:
    """Deadlines not met and past due on cases not ended, the longest overdue first: one line
    per deadline."""
    where = [
        col(Deadline.status) == "open",
        col(Deadline.due_at) < now,
        col(Case.site_id) == site_id,
        col(Case.status).not_in(ENDED),
    ]
    counted = sa_select(func.count()).select_from(Deadline).join(Case, _case_of_deadline())
    total = int(session.execute(counted.where(*where)).scalar_one())
    page = _clamped(page, total)
    query = (
        sa_select(*_columns(), col(Deadline.due_at), col(Deadline.title))
        .select_from(Deadline)
        .join(Case, _case_of_deadline())
        .join(Staff, col(Staff.id) == col(Case.reporter_id))
        .where(*where)
        .order_by(col(Deadline.due_at), col(Deadline.id))
        .limit(PAGE)
        .offset(page * PAGE)
    )
    rows = tuple(Listed(*row) for row in session.execute(query).all())
    return Page(rows, total, page)


def _case_of_deadline() -> ColumnElement[bool]:
    return col(Case.id) == col(Deadline.case_id)


def find(session: Session, site_id: int, search: Search, page: int = 0) -> Page:
    """Cases of the site matching every word of ``search`` within its dates, newest first;
    among the newest :data:`SCAN` cases of those dates (``partial`` when there were more)."""
    bounds: list[Any] = [col(Case.site_id) == site_id]
    if search.since is not None:
        bounds.append(col(Case.opened_at) >= search.since)
    if search.until is not None:
        bounds.append(col(Case.opened_at) < search.until)
    if search.numbers:
        bounds.append(col(Case.number).in_(search.numbers))
    newest = (
        sa_select(col(Case.id))
        .where(*bounds)
        .order_by(col(Case.opened_at).desc(), col(Case.id).desc())
        .limit(SCAN + 1)
    )
    window = session.execute(newest.offset(SCAN)).first() is not None
    where: list[Any] = [*bounds]
    if window:
        oldest = session.execute(newest.offset(SCAN - 1).limit(1)).one()[0]
        edge = sa_select(col(Case.opened_at)).where(col(Case.id) == oldest).scalar_subquery()
        where.append(col(Case.opened_at) >= edge)
    for index, word in enumerate(search.words):
        pattern = f"%{_escaped(word.casefold())}%"
        named = search.procedures[index] if index < len(search.procedures) else ()
        who = aliased(Staff)  # the list joins Staff as well: no correlation with it
        reporter = (
            sa_select(col(who.id))
            .where(
                col(who.id) == col(Case.reporter_id),
                func.lower(col(who.name)).like(pattern, escape="\\"),
            )
            .correlate(Case)
        )
        # Answers are JSON: Chinese is stored as \\u escapes, so look for those too.
        stored = func.lower(cast(col(Answer.value), String))
        escaped = f"%{_escaped(json.dumps(word.casefold())[1:-1])}%"
        answered = (
            sa_select(col(Answer.id))
            .where(
                col(Answer.case_id) == col(Case.id),
                col(Answer.superseded_at).is_(None),
                or_(stored.like(pattern, escape="\\"), stored.like(escaped, escape="\\")),
            )
            .correlate(Case)
        )
        where.append(
            or_(
                col(Case.number).like(pattern, escape="\\"),
                col(Case.playbook_id).in_(named) if named else false(),
                exists(reporter),
                exists(answered),
            )
        )
    found = _page(session, where, page)
    return replace(found, partial=window)


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def open_count(session: Session, site_id: int) -> int:
    query = sa_select(func.count()).select_from(Case)
    where = and_(col(Case.site_id) == site_id, col(Case.status).in_(OPEN))
    return int(session.execute(query.where(where)).scalar_one())
