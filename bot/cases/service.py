"""Cases, answers, attachments and the timeline: every read and write goes through here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, bindparam
from sqlalchemy import insert as sa_insert
from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlmodel import Session, col, select

from bot.cases.chain import GENESIS, event_hash
from bot.cases.models import (
    Answer,
    Attachment,
    Case,
    CaseEvent,
    CaseStatus,
    Deadline,
)
from bot.cases.numbering import format_number, next_serial, period_of
from bot.sites.models import Site
from bot.storage.prepared import Prepared, attached, inserted

ANSWERS = Answer.__table__  # type: ignore[attr-defined]
EVENTS = CaseEvent.__table__  # type: ignore[attr-defined]
CASES = Case.__table__  # type: ignore[attr-defined]


def open_case(
    session: Session,
    *,
    site: Site,
    playbook_id: str,
    playbook_version: int,
    reporter_id: int,
    now: datetime,
    is_drill: bool = False,
) -> Case:
    assert site.id is not None
    period = period_of(now, site.timezone)
    serial = next_serial(session, site.id, period)
    case = Case(
        site_id=site.id,
        number=format_number(period, serial),
        period=period,
        serial=serial,
        playbook_id=playbook_id,
        playbook_version=playbook_version,
        status=CaseStatus.IN_PROGRESS,
        reporter_id=reporter_id,
        is_drill=is_drill,
        opened_at=now,
        updated_at=now,
    )
    inserted(session, case)
    add_event(
        session,
        case,
        "opened",
        actor_id=reporter_id,
        now=now,
        data={"playbook": playbook_id, "version": playbook_version},
    )
    return case


_GET = Prepared(sa_select(CASES).where(CASES.c.id == bindparam("case")))


def get(session: Session, case_id: int) -> Case:
    """The case, part of the session (changes to it are written at the flush)."""
    known = session.identity_map.get(session.identity_key(Case, case_id))
    if known is not None:
        return known  # type: ignore[return-value]
    found = _GET.mappings(session, case=case_id)
    if not found:
        raise LookupError(f"no case {case_id}")
    return attached(session, Case, found[0])


def by_number(session: Session, site_id: int, number: str) -> Case | None:
    query = select(Case).where(Case.site_id == site_id, Case.number == number)
    return (session.exec(query)).first()


def by_reporter(
    session: Session, reporter_id: int, limit: int = 10, *, site_id: int | None = None
) -> list[Case]:
    """A reporter's latest cases; with ``site_id`` only those of that site."""
    query = select(Case).where(Case.reporter_id == reporter_id)
    if site_id is not None:
        query = query.where(Case.site_id == site_id)
    query = query.order_by(col(Case.opened_at).desc(), col(Case.id).desc()).limit(limit)
    return list((session.exec(query)).all())


def set_status(
    session: Session,
    case: Case,
    status: CaseStatus,
    *,
    actor_id: int | None,
    now: datetime,
    data: dict[str, Any] | None = None,
    event: str | None = None,
) -> None:
    """Move the case to ``status``, on the timeline as ``event`` (default: the status's name)
    with ``data`` (a reason, a note) and the state it came from."""
    previous = case.status
    case.status = status
    case.updated_at = now
    if status == CaseStatus.REPORTED and case.reported_at is None:
        case.reported_at = now
    if status in (CaseStatus.CLOSED, CaseStatus.CANCELLED):
        case.closed_at = now
    elif case.closed_at is not None:  # reopened
        case.closed_at = None
    session.add(case)
    add_event(
        session,
        case,
        event or str(status),
        actor_id=actor_id,
        now=now,
        data={"from": previous, **(data or {})},
    )


def set_classification(
    session: Session,
    case: Case,
    value: str,
    *,
    actor_id: int | None,
    step_id: str,
    now: datetime,
) -> None:
    previous = case.classification
    case.classification = value
    case.updated_at = now
    session.add(case)
    add_event(
        session,
        case,
        "classified",
        actor_id=actor_id,
        step_id=step_id,
        now=now,
        data={"from": previous, "to": value},
    )


def current_answers(session: Session, case_id: int) -> dict[str, Answer]:
    query = select(Answer).where(Answer.case_id == case_id, col(Answer.superseded_at).is_(None))
    return {row.step_id: row for row in (session.exec(query)).all()}


_VALUES = Prepared(
    sa_select(ANSWERS.c.step_id, ANSWERS.c.value, ANSWERS.c.skipped).where(
        ANSWERS.c.case_id == bindparam("case"), ANSWERS.c.superseded_at.is_(None)
    )
)


def current_values(session: Session, case_id: int) -> dict[str, Any]:
    """The case's current answers by step: the value, None for a skipped step."""
    return {
        step: (None if skipped else value)
        for step, value, skipped in _VALUES.rows(session, case=case_id)
    }


def answer_history(session: Session, case_id: int) -> list[Answer]:
    query = select(Answer).where(Answer.case_id == case_id).order_by(col(Answer.id))
    return list((session.exec(query)).all())


_CURRENT = (
    (ANSWERS.c.case_id == bindparam("case"))
    & (ANSWERS.c.step_id == bindparam("step"))
    & ANSWERS.c.superseded_at.is_(None)
)
_PREVIOUS = Prepared(sa_select(ANSWERS.c.value, ANSWERS.c.skipped).where(_CURRENT))
_SUPERSEDE = Prepared(sa_update(ANSWERS).where(_CURRENT).values(superseded_at=bindparam("now")))
_ANSWER = Prepared(
    sa_insert(ANSWERS).values(
        case_id=bindparam("case"),
        step_id=bindparam("step"),
        value=bindparam("value", type_=JSON),
        skipped=bindparam("skipped"),
        answered_by=bindparam("actor"),
        answered_at=bindparam("now"),
    )
)


def record_answer(
    session: Session,
    case: Case,
    step_id: str,
    value: Any,
    *,
    skipped: bool,
    actor_id: int,
    now: datetime,
) -> None:
    """Store an answer; an earlier one for the step is superseded, never overwritten.

    On the per-event path: plain statements on the unit's connection, no ORM bookkeeping.
    """
    assert case.id is not None
    previous = _PREVIOUS.first(session, case=case.id, step=step_id)
    if previous is not None:
        _SUPERSEDE.run(session, case=case.id, step=step_id, now=now)
    _ANSWER.run(
        session,
        case=case.id,
        step=step_id,
        value=value,
        skipped=skipped,
        actor=actor_id,
        now=now,
    )
    kind = "skipped" if skipped else ("answer_changed" if previous is not None else "answered")
    data: dict[str, Any] = {"value": value}
    if previous is not None:
        data["previous"] = None if previous[1] else previous[0]
    add_event(session, case, kind, actor_id=actor_id, step_id=step_id, now=now, data=data)


def add_attachment(
    session: Session,
    case: Case,
    step_id: str,
    *,
    sha256: str,
    size: int,
    mime: str,
    telegram_file_id: str | None,
    actor_id: int,
    now: datetime,
) -> Attachment:
    assert case.id is not None
    attachment = Attachment(
        case_id=case.id,
        step_id=step_id,
        sha256=sha256,
        size=size,
        mime=mime,
        telegram_file_id=telegram_file_id,
        created_by=actor_id,
        created_at=now,
    )
    session.add(attachment)
    session.flush()
    add_event(
        session,
        case,
        "attachment_added",
        actor_id=actor_id,
        step_id=step_id,
        now=now,
        data={"attachment": attachment.id, "sha256": sha256, "mime": mime},
    )
    return attachment


def attachments(session: Session, case_id: int) -> list[Attachment]:
    query = select(Attachment).where(Attachment.case_id == case_id).order_by(col(Attachment.id))
    return list((session.exec(query)).all())


_LOCK_CASE = Prepared(
    sa_select(CASES.c.id).where(CASES.c.id == bindparam("case")).with_for_update(),
    only="postgresql",
)
_LAST_HASH = Prepared(
    sa_select(EVENTS.c.hash)
    .where(EVENTS.c.case_id == bindparam("case"))
    .order_by(EVENTS.c.id.desc())
    .limit(1)
)
_APPEND = Prepared(
    sa_insert(EVENTS).values(
        case_id=bindparam("case"),
        at=bindparam("at"),
        actor_id=bindparam("actor"),
        kind=bindparam("kind"),
        step_id=bindparam("step"),
        data=bindparam("data", type_=JSON),
        prev_hash=bindparam("previous"),
        hash=bindparam("hash"),
    )
)


def add_event(
    session: Session,
    case: Case,
    kind: str,
    *,
    actor_id: int | None,
    now: datetime,
    step_id: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Append to the case's timeline, chained to the event before it (bot/cases/chain.py).

    The first append of a unit locks the case's row, so that two transactions appending to
    one case (a guard answering while an alert climbs) never both chain to the same event.
    """
    assert case.id is not None
    heads: dict[int, str] = session.info.setdefault("chain_heads", {})
    previous = heads.get(case.id)
    if previous is None:
        _LOCK_CASE.run(session, case=case.id)
        previous = _LAST_HASH.scalar(session, case=case.id) or GENESIS
    payload = data or {}
    digest = event_hash(
        previous,
        case_id=case.id,
        at=now,
        actor_id=actor_id,
        kind=kind,
        step_id=step_id,
        data=payload,
    )
    _APPEND.run(
        session,
        case=case.id,
        at=now,
        actor=actor_id,
        kind=kind,
        step=step_id,
        data=payload,
        previous=previous,
        hash=digest,
    )
    heads[case.id] = digest


def timeline(session: Session, case_id: int) -> list[CaseEvent]:
    query = select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(col(CaseEvent.id))
    return list((session.exec(query)).all())


_ACTIONS = Prepared(
    sa_select(EVENTS.c.data).where(EVENTS.c.case_id == bindparam("case"), EVENTS.c.kind == "action")
)


def actions_done(session: Session, case_id: int) -> set[str]:
    """Keys (``step#index``) of step actions already carried out on the case (asked whenever
    a step with actions is answered)."""
    return {str(data.get("key")) for (data,) in _ACTIONS.rows(session, case=case_id)}


def open_deadline(
    session: Session,
    case: Case,
    *,
    key: str,
    title: dict[str, str],
    roles: list[str],
    due_at: datetime,
    now: datetime,
    until_step: str | None = None,
) -> Deadline:
    assert case.id is not None
    row = Deadline(
        case_id=case.id,
        key=key,
        title=title,
        roles=roles,
        due_at=due_at,
        created_at=now,
        until_step=until_step,
    )
    session.add(row)
    session.flush()
    return row


def meet_deadlines(
    session: Session, case: Case, step_id: str, *, actor_id: int, now: datetime
) -> list[Deadline]:
    """Mark the case's open deadlines that this step's answer fulfils as met, on the timeline."""
    assert case.id is not None
    query = select(Deadline).where(
        Deadline.case_id == case.id, Deadline.until_step == step_id, Deadline.status == "open"
    )
    met = list((session.exec(query)).all())
    for row in met:
        row.status = "met"
        row.met_at = now
        session.add(row)
        add_event(
            session,
            case,
            "deadline_met",
            actor_id=actor_id,
            step_id=step_id,
            now=now,
            data={
                "deadline": row.id,
                "key": row.key,
                "late": bool(row.due_at and now > row.due_at),
            },
        )
    return met


def deadlines(session: Session, case_id: int) -> list[Deadline]:
    query = select(Deadline).where(Deadline.case_id == case_id).order_by(col(Deadline.id))
    return list((session.exec(query)).all())


def update_playbook_version(session: Session, case: Case, version: int, *, now: datetime) -> None:
    """The site changed the case's procedure while it was open: the case follows the new
    version, and its timeline says so."""
    previous = case.playbook_version
    case.playbook_version = version
    session.add(case)
    add_event(
        session,
        case,
        "procedure_updated",
        actor_id=None,
        now=now,
        data={"from": previous, "to": version},
    )
