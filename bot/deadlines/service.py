"""Deadline rows: opened, started by an answered time, met by the event that fulfils them,
paused, extended, owned, stopped; and what the scheduler claims when one is due to fire.

Every statement about deadlines is here. ``due_at`` and ``remind_at`` are recomputed from the
clock's spec (``bot.deadlines.defaults`` with the site's span), its start, pauses and extensions
on the site's calendar whenever one of those changes.

Hooks the engine calls (nothing here calls ``session.add`` for the engine):

* :func:`open_deadline` when a step's deadline action runs;
* :func:`step_answered` when a step is answered (starts clocks timed from that answer, meets
  clocks that answer fulfils);
* :func:`assign` when a role's task on the case is taken by someone;
* :func:`stop_case` when the case is closed or cancelled.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, or_, select

from bot.cases import service as cases
from bot.cases.models import Case
from bot.deadlines import clocks, defaults
from bot.deadlines import settings as clock_settings
from bot.deadlines.models import UNFINISHED, Deadline, DeadlineStatus, JobRun
from bot.deadlines.settings import SiteClocks
from bot.deadlines.specs import DeadlineSpec, Extension, Kind, Pause, Span, Unit
from bot.sites import service as sites
from bot.staff import service as staff_service
from bot.storage.upsert import insert_for

# Events a deadline may be met by besides a step's answer (the chat wires them).
CONTACT = "contact"
REPLY = "reply"


class NotAllowed(PermissionError):
    """The person may not do this to the deadline (an extension needs the approving role)."""


# -- opening, starting, meeting -----------------------------------------------------------------


def open_deadline(
    session: Session,
    case: Case,
    *,
    key: str,
    title: dict[str, str],
    roles: list[str],
    now: datetime,
    clock: str | None = None,
    after: timedelta | None = None,
    kind: Kind | str | None = None,
    start_step: str | None = None,
    until_step: str | None = None,
    owner_role: str | None = None,
) -> Deadline:
    """Open a clock on the case.

    ``clock`` names a default (``bot.deadlines.defaults``): its spec, with the site's own span;
    else ``after`` is a plain due-by span. ``start_step``: the clock runs from that step's
    answered time (a recorded "when was it received"); until it is answered the deadline is
    pending. Without it the clock runs from ``now``.
    """
    assert case.id is not None
    site_clocks = clock_settings.of(sites.get(session, case.site_id))
    spec = site_clocks.spec(clock) if clock else None
    if spec is None:
        if after is None:
            raise ValueError(f"no default clock {clock!r} and no span")
        spec = DeadlineSpec(_span_of(after), kind=Kind(kind or Kind.DUE_BY))
    row = Deadline(
        case_id=case.id,
        key=key,
        title=dict(title),
        roles=list(roles),
        created_at=now,
        until_step=until_step,
        clock=clock if clock in defaults.BY_KEY else None,
        span=str(spec.span),
        kind=str(spec.kind),
        start_step=start_step,
        owner_role=owner_role or (roles[0] if len(roles) == 1 else None),
        status=DeadlineStatus.PENDING,
    )
    start: datetime | None = now
    if start_step is not None:
        answer = cases.current_answers(session, case.id).get(start_step)
        # A time answer starts it at that time; any other answer, when it was given (the form
        # was submitted when "submitted" was confirmed).
        start = (
            _instant(answer.value, site_clocks) or answer.answered_at
            if answer and not answer.skipped
            else None
        )
    if start is not None:
        row.started_at = start
        row.status = DeadlineStatus.OPEN
    _recompute(row, site_clocks, now)
    session.add(row)
    session.flush()
    return row


def step_answered(
    session: Session, case: Case, step_id: str, value: Any, *, actor_id: int, now: datetime
) -> None:
    """A step was answered: clocks timed from its answer start (or move, when the time was
    corrected), and clocks it fulfils are met."""
    assert case.id is not None
    timed = [d for d in unfinished(session, case.id) if d.start_step == step_id]
    if timed:
        site_clocks = clock_settings.of(sites.get(session, case.site_id))
        start = _instant(value, site_clocks) or now
        for row in timed:
            if row.started_at == start:
                continue
            row.started_at = start
            if row.status == DeadlineStatus.PENDING:
                row.status = DeadlineStatus.OPEN
            _recompute(row, site_clocks, now)
            session.add(row)
            _event(session, case, "deadline_started", row, actor_id, now, start=start.isoformat())
    fulfil(session, case, step_id, at=now, actor_id=actor_id)


def fulfil(
    session: Session, case: Case, event: str, *, at: datetime, actor_id: int | None
) -> list[Deadline]:
    """The event (a step's id, :data:`CONTACT`, :data:`REPLY`) happened at ``at``: the case's
    clocks it fulfils are met. An earliest-time clock is met only at or after its time; an
    earlier event is recorded as too early and the clock stays open. Returns those met."""
    assert case.id is not None
    met = []
    for row in unfinished(session, case.id):
        if row.until_step != event:
            continue
        if row.kind == Kind.EARLIEST and row.due_at is not None and at < row.due_at:
            _event(session, case, "deadline_too_early", row, actor_id, at, by=event)
            continue
        late = row.kind == Kind.DUE_BY and row.due_at is not None and at > row.due_at
        row.status = DeadlineStatus.MET
        row.met_at = at
        row.met_by = event
        session.add(row)
        _event(session, case, "deadline_met", row, actor_id, at, late=late, by=event)
        met.append(row)
    return met


# -- pausing, extending, owning, stopping ---------------------------------------------------------


def pause(
    session: Session, deadline_id: int, *, reason: str, by: int | None, now: datetime
) -> Deadline:
    """Stop the clock (waiting on the customer); its due time moves by the paused time."""
    row = get(session, deadline_id)
    if row.status != DeadlineStatus.OPEN:
        raise ValueError(f"deadline {deadline_id} is {row.status}, not running")
    row.pauses = [*row.pauses, {"start": now.isoformat(), "end": None, "reason": reason, "by": by}]
    row.status = DeadlineStatus.PAUSED
    session.add(row)
    _event(session, _case(session, row), "deadline_paused", row, by, now, reason=reason)
    return row


def resume(session: Session, deadline_id: int, *, by: int | None, now: datetime) -> Deadline:
    row = get(session, deadline_id)
    if row.status != DeadlineStatus.PAUSED:
        raise ValueError(f"deadline {deadline_id} is {row.status}, not paused")
    row.pauses = [p if p["end"] is not None else {**p, "end": now.isoformat()} for p in row.pauses]
    row.status = DeadlineStatus.OPEN
    site_clocks = clock_settings.of(sites.get(session, _case(session, row).site_id))
    _recompute(row, site_clocks, now)
    session.add(row)
    _event(session, _case(session, row), "deadline_resumed", row, by, now)
    return row


def extend(
    session: Session,
    deadline_id: int,
    *,
    approver_id: int,
    now: datetime,
    by: Span | str | None = None,
    until: datetime | date | None = None,
    reason: str = "",
) -> Deadline:
    """An approved extension request (投诉延期处理申请): the due time moves ``by`` a span or
    ``until`` a time or day. Only a holder of the site's approving role (the general manager,
    001:156) may approve it."""
    row = get(session, deadline_id)
    if row.status not in UNFINISHED:
        raise ValueError(f"deadline {deadline_id} is {row.status}")
    case = _case(session, row)
    site_clocks = clock_settings.of(sites.get(session, case.site_id))
    role = site_clocks.extension_approver
    approver = staff_service.get(session, approver_id)
    if approver is None or not approver.active or role not in approver.roles:
        raise NotAllowed(f"an extension is approved by the {role}")
    span = Span.parse(by) if isinstance(by, str) else by
    Extension(now, role, by=span, until=until)  # checks exactly one of by / until
    entry = {
        "granted_at": now.isoformat(),
        "approved_by_role": role,
        "approved_by": approver_id,
        "by": str(span) if span is not None else None,
        "until": until.isoformat() if until is not None else None,
        "until_day": until is not None and not isinstance(until, datetime),
        "reason": reason,
    }
    before = row.due_at
    row.extensions = [*row.extensions, entry]
    _recompute(row, site_clocks, now)
    if row.due_at is not None and before is not None and row.due_at > before:
        # The new due time is a new breach: remind and ping again before it.
        row.breached_at = None
        if row.remind_at is not None and row.remind_at > now:
            row.reminded_at = None
    session.add(row)
    _event(
        session,
        case,
        "deadline_extended",
        row,
        approver_id,
        now,
        reason=reason,
        due=row.due_at.isoformat() if row.due_at else None,
    )
    return row


def assign(session: Session, case_id: int, *, role: str, staff_id: int, now: datetime) -> int:
    """``staff_id`` owns the case's unfinished clocks of ``role`` (their owner role, or one of
    their roles when they name none): reminders and breaches go to them. How many."""
    case = cases.get(session, case_id)
    mine = [
        row
        for row in unfinished(session, case_id)
        if row.owner_role == role or (row.owner_role is None and role in row.roles)
    ]
    for row in mine:
        row.owner_id = staff_id
        row.owner_role = role
        session.add(row)
    if mine:
        cases.add_event(
            session,
            case,
            "deadline_assigned",
            actor_id=staff_id,
            now=now,
            data={"deadlines": [r.id for r in mine], "role": role, "staff": staff_id},
        )
    return len(mine)


def stop_case(session: Session, case_id: int, *, now: datetime, reason: str) -> int:
    """The case was closed or cancelled: its open clocks stop (they never fire). How many."""
    case = cases.get(session, case_id)
    stopped = unfinished(session, case_id)
    for row in stopped:
        row.status = DeadlineStatus.STOPPED
        row.stopped_reason = reason[:200]
        session.add(row)
    if stopped:
        cases.add_event(
            session,
            case,
            "deadlines_stopped",
            actor_id=None,
            now=now,
            data={"deadlines": [r.id for r in stopped], "reason": reason},
        )
    return len(stopped)


# -- reading --------------------------------------------------------------------------------------


def get(session: Session, deadline_id: int) -> Deadline:
    row = session.get(Deadline, deadline_id)
    if row is None:
        raise LookupError(f"no deadline {deadline_id}")
    return row


def of_case(session: Session, case_id: int) -> list[Deadline]:
    query = select(Deadline).where(Deadline.case_id == case_id).order_by(col(Deadline.id))
    return list(session.exec(query).all())


def unfinished(session: Session, case_id: int) -> list[Deadline]:
    query = (
        select(Deadline)
        .where(Deadline.case_id == case_id, col(Deadline.status).in_(list(UNFINISHED)))
        .order_by(col(Deadline.id))
    )
    return list(session.exec(query).all())


def spec_of(row: Deadline, site_clocks: SiteClocks) -> DeadlineSpec:
    """The clock the row runs: its default's spec with the span it opened with (or a plain
    due-by span), reminding at the site's fraction."""
    span = Span.parse(row.span) if row.span else _legacy_span(row)
    kind = Kind(row.kind)
    fraction = site_clocks.remind_fraction if kind is Kind.DUE_BY else None
    base = defaults.BY_KEY.get(row.clock or "")
    if base is not None and base.spec is not None:
        return replace(base.spec.with_span(span), remind_fraction=fraction)
    return DeadlineSpec(span, kind=kind, remind_fraction=fraction)


def state(session: Session, row: Deadline, now: datetime) -> clocks.Status | None:
    """Where the clock stands at ``now`` (None while it waits for its start)."""
    if row.started_at is None:
        return None
    site_clocks = clock_settings.of(sites.get(session, _case(session, row).site_id))
    return clocks.status(
        spec_of(row, site_clocks),
        row.started_at,
        now,
        site_clocks.calendar,
        met_at=row.met_at,
        pauses=_pauses(row),
        extensions=_extensions(row, site_clocks),
    )


# -- the scheduler's side -----------------------------------------------------------------------


def claim_due(session: Session, now: datetime, limit: int) -> list[Deadline]:
    """Running clocks whose reminder or breach is due and not yet done, locked so that one
    instance fires each (``SKIP LOCKED`` on PostgreSQL; SQLite serialises writers)."""
    reminder = col(Deadline.reminded_at).is_(None) & (col(Deadline.remind_at) <= now)
    breach = (
        col(Deadline.breached_at).is_(None)
        & (col(Deadline.kind) == str(Kind.DUE_BY))
        & (col(Deadline.due_at) <= now)
    )
    query = (
        select(Deadline)
        .where(col(Deadline.status) == DeadlineStatus.OPEN, or_(reminder, breach))
        .order_by(col(Deadline.remind_at), col(Deadline.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.exec(query).all())


def mark(session: Session, row: Deadline, what: str, now: datetime) -> bool:
    """Mark the reminder (``"reminded_at"``) or breach (``"breached_at"``) done, once: False
    when another instance did it first (the conditional UPDATE changed nothing)."""
    column = getattr(Deadline, what)
    statement = (
        update(Deadline)
        .where(col(Deadline.id) == row.id, col(column).is_(None))
        .values({what: now})
    )
    done = bool(session.exec(statement).rowcount)  # type: ignore[call-overload]
    if done:
        setattr(row, what, now)
    return done


def claim_run(session: Session, job: str, scope: str, period: str, now: datetime) -> bool:
    """Claim one run of a scheduled job (a job, a scope such as a site or a case, a period such
    as a day or a rule): True for the one instance whose insert made the row."""
    table = JobRun.__table__  # type: ignore[attr-defined]
    statement = (
        insert_for(session, JobRun)
        .values(job=job, scope=scope, period=period, at=now)
        .on_conflict_do_nothing(index_elements=["job", "scope", "period"])
        .returning(table.c.id)
    )
    return session.exec(statement).first() is not None  # type: ignore[call-overload]


def due_between(
    session: Session, site_id: int, start: datetime, end: datetime
) -> list[tuple[Deadline, Case]]:
    """The site's running clocks due in [start, end) (a morning digest's "due today")."""
    query = (
        select(Deadline, Case)
        .join(Case, col(Case.id) == col(Deadline.case_id))
        .where(
            Case.site_id == site_id,
            col(Deadline.status).in_([DeadlineStatus.OPEN, DeadlineStatus.PAUSED]),
            col(Deadline.due_at) >= start,
            col(Deadline.due_at) < end,
        )
        .order_by(col(Deadline.due_at))
    )
    return [(d, c) for d, c in session.exec(query).all()]


def overdue(session: Session, site_id: int, now: datetime) -> list[tuple[Deadline, Case]]:
    query = (
        select(Deadline, Case)
        .join(Case, col(Case.id) == col(Deadline.case_id))
        .where(
            Case.site_id == site_id,
            col(Deadline.status) == DeadlineStatus.OPEN,
            col(Deadline.kind) == str(Kind.DUE_BY),
            col(Deadline.due_at) < now,
        )
        .order_by(col(Deadline.due_at))
    )
    return [(d, c) for d, c in session.exec(query).all()]


def cases_opened(
    session: Session, site_id: int, playbook_id: str | None, start: datetime, end: datetime
) -> list[Case]:
    """The site's cases opened in [start, end] (of one procedure, or of any)."""
    query = select(Case).where(
        Case.site_id == site_id, col(Case.opened_at) >= start, col(Case.opened_at) <= end
    )
    if playbook_id is not None:
        query = query.where(Case.playbook_id == playbook_id)
    return list(session.exec(query.order_by(col(Case.opened_at))).all())


# -- inside -------------------------------------------------------------------------------------


def _recompute(row: Deadline, site_clocks: SiteClocks, now: datetime) -> None:
    if row.started_at is None:
        row.due_at = row.remind_at = None
        return
    spec = spec_of(row, site_clocks)
    args: dict[str, Any] = {
        "pauses": _pauses(row),
        "extensions": _extensions(row, site_clocks),
        "now": now,
    }
    row.due_at = clocks.due(spec, row.started_at, site_clocks.calendar, **args)
    row.remind_at = clocks.remind_at(spec, row.started_at, site_clocks.calendar, **args)


def _pauses(row: Deadline) -> list[Pause]:
    return [
        Pause(
            datetime.fromisoformat(p["start"]),
            datetime.fromisoformat(p["end"]) if p.get("end") else None,
            str(p.get("reason") or ""),
            str(p["by"]) if p.get("by") is not None else None,
        )
        for p in row.pauses
    ]


def _extensions(row: Deadline, site_clocks: SiteClocks) -> list[Extension]:
    found = []
    for e in row.extensions:
        until: datetime | date | None = None
        if e.get("until"):
            until = (
                date.fromisoformat(e["until"])
                if e.get("until_day")
                else datetime.fromisoformat(e["until"])
            )
        found.append(
            Extension(
                datetime.fromisoformat(e["granted_at"]),
                str(e["approved_by_role"]),
                by=Span.parse(e["by"]) if e.get("by") else None,
                until=until,
                approved_by=str(e.get("approved_by")),
                reason=str(e.get("reason") or ""),
            )
        )
    return found


def _span_of(after: timedelta) -> Span:
    seconds = int(after.total_seconds())
    if seconds % 3600 == 0:
        return Span.hours(seconds // 3600)
    if seconds % 60 == 0 or seconds > 999_999:  # Span.parse reads six digits
        return Span.minutes(seconds // 60)
    return Span(seconds, Unit.SECONDS)


def _legacy_span(row: Deadline) -> Span:
    """A deadline opened before clocks had spans: its due time less its opening."""
    if row.due_at is None:
        return Span.minutes(0)
    return _span_of(row.due_at - row.created_at)


def _instant(value: Any, site_clocks: SiteClocks) -> datetime | None:
    """An answered time as a UTC instant (a time without a zone is site time)."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(site_clocks.calendar.timezone))
    return moment.astimezone(UTC)


def _case(session: Session, row: Deadline) -> Case:
    return cases.get(session, row.case_id)


def _event(
    session: Session,
    case: Case,
    kind: str,
    row: Deadline,
    actor_id: int | None,
    now: datetime,
    **data: Any,
) -> None:
    cases.add_event(
        session,
        case,
        kind,
        actor_id=actor_id,
        now=now,
        data={"deadline": row.id, "key": row.key, "title": row.title, **data},
    )
