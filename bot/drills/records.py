"""The run and its record: start, timeline entries, attendance, the end; shortcomings and their
rectification; drill cases. Every statement about them is here (planning and answers are in
:mod:`bot.drills.service`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.cases.models import Case
from bot.delivery.models import Delivery, DeliveryStatus
from bot.drills.models import Drill, DrillEntry, DrillShortcoming, DrillStatus
from bot.drills.service import announce, response, restyle_invitations


def toggle_present(session: Session, drill: Drill, staff_id: int, *, now: datetime) -> bool:
    """Mark a participant present, or not after all; whether they are present now."""
    assert drill.id is not None
    row = response(session, drill.id, staff_id, now)
    row.present = not row.present
    row.updated_at = now
    session.add(row)
    return bool(row.present)


def start(session: Session, drill: Drill, *, now: datetime) -> None:
    drill.status, drill.started_at, drill.updated_at = DrillStatus.RUNNING, now, now
    session.add(drill)
    restyle_invitations(session, drill, now)


def update_fields(session: Session, drill: Drill, *, now: datetime, **values: Any) -> None:
    for name, value in values.items():
        setattr(drill, name, value)
    drill.updated_at = now
    session.add(drill)


def add_entry(
    session: Session,
    drill: Drill,
    *,
    text: str,
    actor_id: int,
    now: datetime,
    photos: list[dict[str, Any]] | None = None,
) -> DrillEntry:
    assert drill.id is not None
    entry = DrillEntry(drill_id=drill.id, at=now, text=text, actor_id=actor_id, photos=photos or [])
    session.add(entry)
    session.flush()
    return entry


def entries(session: Session, drill_id: int) -> list[DrillEntry]:
    query = (
        select(DrillEntry)
        .where(DrillEntry.drill_id == drill_id)
        .order_by(col(DrillEntry.at), col(DrillEntry.id))
    )
    return list(session.exec(query).all())


def finish(session: Session, drill: Drill, *, now: datetime) -> None:
    drill.status, drill.ended_at, drill.updated_at = DrillStatus.DONE, now, now
    session.add(drill)


def mark_case_drill(session: Session, case: Case) -> None:
    """The case rehearses a procedure (issue 11): statistics skip it, chains never hear of it."""
    session.exec(
        update(Case).where(col(Case.id) == case.id).values(is_drill=True)  # type: ignore[call-overload]
    )
    case.is_drill = True


def real_cases(site_id: int) -> Any:
    """The statement of a site's cases for statistics: drills are never counted."""
    return select(Case).where(Case.site_id == site_id, col(Case.is_drill).is_(False))


def add_shortcoming(
    session: Session,
    drill: Drill,
    *,
    text: str,
    owner_id: int,
    due_on: date,
    now: datetime,
) -> DrillShortcoming:
    """A shortcoming becomes a rectification task: its owner is told at once."""
    assert drill.id is not None
    row = DrillShortcoming(
        drill_id=drill.id, text=text, owner_id=owner_id, due_on=due_on, created_at=now
    )
    session.add(row)
    session.flush()
    announce(
        session, drill, "drill_fix", now, to=[owner_id], tag=f"{row.id}-new", params={"fix": row.id}
    )
    return row


def shortcomings(session: Session, drill_id: int) -> list[DrillShortcoming]:
    query = (
        select(DrillShortcoming)
        .where(DrillShortcoming.drill_id == drill_id)
        .order_by(col(DrillShortcoming.id))
    )
    return list(session.exec(query).all())


def shortcoming(session: Session, fix_id: int) -> DrillShortcoming | None:
    return session.get(DrillShortcoming, fix_id)


def open_shortcomings(session: Session, *, limit: int = 500) -> list[DrillShortcoming]:
    query = (
        select(DrillShortcoming)
        .where(col(DrillShortcoming.done_at).is_(None))
        .order_by(col(DrillShortcoming.id))
        .limit(limit)
    )
    return list(session.exec(query).all())


def confirm_fix(
    session: Session,
    fix: DrillShortcoming,
    *,
    by: int,
    photo: dict[str, Any],
    now: datetime,
) -> None:
    """Rectified, with a photo as proof; reminders not sent yet are dropped."""
    fix.done_at, fix.done_by, fix.photo = now, by, photo
    session.add(fix)
    session.exec(
        update(Delivery)  # type: ignore[call-overload]
        .where(
            col(Delivery.key).like(f"drill:{fix.drill_id}:drill_fix:{fix.id}-%"),
            col(Delivery.status) == DeliveryStatus.PENDING,
        )
        .values(status=DeliveryStatus.CANCELLED)
    )
    session.exec(
        update(Delivery)  # type: ignore[call-overload]
        .where(
            col(Delivery.key).like(f"drill:{fix.drill_id}:drill_fix:{fix.id}-%"),
            col(Delivery.status) == DeliveryStatus.SENT,
        )
        .values(needs_edit=True, next_at=now)
    )
