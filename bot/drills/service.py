"""Every statement about drills: planning, participants and answers, the run, shortcomings.

Messages to people other than the one typing are outbox rows written here, in the caller's
transaction, each with a key that makes it impossible to write twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from bot.delivery import service as outbox
from bot.delivery.models import Delivery, DeliveryKind, DeliveryStatus
from bot.drills.models import (
    Drill,
    DrillResponse,
    DrillStatus,
    Rsvp,
)
from bot.drills.schedule import occurrences
from bot.sites.models import Site
from bot.staff.models import Staff
from bot.storage.upsert import insert_for

# A recurring plan is kept planned this far ahead (the year's plan at a glance).
HORIZON = timedelta(days=366)
# The messages that carry "I'll attend" / "I can't" buttons.
RSVP_MESSAGES = ("drill_invite", "drill_reminder", "drill_moved")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M")


def plan(
    session: Session,
    *,
    site: Site,
    coordinator_id: int,
    scenario: str,
    playbook_id: str | None,
    starts_at: datetime,
    place: str,
    commander_id: int | None,
    people: list[int],
    roles: list[str],
    groups: list[dict[str, Any]],
    purpose: str,
    assumption: str,
    steps: list[Any],
    every_months: int,
    now: datetime,
) -> list[Drill]:
    """Plan a drill (and, when recurring, its series a year ahead); everyone concerned is told."""
    assert site.id is not None
    tz = ZoneInfo(site.timezone)
    drills: list[Drill] = []
    for moment in occurrences(starts_at, every_months, now + HORIZON, tz):
        drill = Drill(
            site_id=site.id,
            every_months=every_months,
            scenario=scenario,
            playbook_id=playbook_id,
            place=place,
            starts_at=moment,
            commander_id=commander_id,
            coordinator_id=coordinator_id,
            people=people,
            roles=roles,
            groups=groups,
            purpose=purpose,
            assumption=assumption,
            steps=steps,
            status=DrillStatus.PLANNED,
            created_at=now,
            updated_at=now,
        )
        session.add(drill)
        session.flush()
        drills.append(drill)
    first = drills[0]
    for drill in drills:
        drill.series_id = first.id if every_months > 0 else None
        session.add(drill)
    announce(session, first, "drill_invite", now)
    return drills


def extend_series(session: Session, *, now: datetime) -> int:
    """Keep every recurring series planned a year ahead; how many drills were added."""
    latest = (
        select(func.max(Drill.id))
        .where(col(Drill.series_id).is_not(None), Drill.every_months > 0)
        .group_by(col(Drill.series_id))
    )
    added = 0
    for last in session.exec(select(Drill).where(col(Drill.id).in_(latest))).all():
        if last.status == DrillStatus.CANCELLED or last.starts_at > now + HORIZON:
            continue
        site = session.get(Site, last.site_id)
        assert site is not None and last.series_id is not None
        first = session.get(Drill, last.series_id)
        assert first is not None
        tz = ZoneInfo(site.timezone)
        for moment in occurrences(first.starts_at, last.every_months, now + HORIZON, tz):
            if moment <= last.starts_at:
                continue
            values = _copy(last, moment, now).model_dump(exclude={"id"})
            statement = insert_for(session, Drill).values(**values).on_conflict_do_nothing()
            added += session.exec(statement).rowcount or 0  # type: ignore[call-overload]
    return added


def _copy(drill: Drill, moment: datetime, now: datetime) -> Drill:
    values = drill.model_dump(
        include={
            "site_id", "series_id", "every_months", "scenario", "playbook_id", "place",
            "commander_id", "coordinator_id", "people", "roles", "groups", "purpose",
            "assumption", "steps",
        }
    )  # fmt: skip
    return Drill(
        **values, starts_at=moment, status=DrillStatus.PLANNED, created_at=now, updated_at=now
    )


def get(session: Session, drill_id: int) -> Drill | None:
    return session.get(Drill, drill_id)


def year_window(now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The year's plan: from 1 January of this year (site time) to a year from now."""
    start = datetime(now.astimezone(tz).year, 1, 1, tzinfo=tz)
    return start, now + HORIZON


def of_site(session: Session, site_id: int, start: datetime, end: datetime) -> list[Drill]:
    """The site's drills from ``start`` to ``end``, cancelled ones included, by time."""
    query = (
        select(Drill)
        .where(Drill.site_id == site_id, Drill.starts_at >= start, Drill.starts_at < end)
        .order_by(col(Drill.starts_at), col(Drill.id))
    )
    return list(session.exec(query).all())


def all_of_site(session: Session, site_id: int) -> list[Drill]:
    query = select(Drill).where(Drill.site_id == site_id).order_by(col(Drill.starts_at))
    return list(session.exec(query).all())


def participants(session: Session, drill: Drill) -> list[Staff]:
    """Everyone taking part: the people named, every active holder of a role named, the
    commander and the groups' members; by name."""
    ids = set(drill.people)
    if drill.commander_id is not None:
        ids.add(drill.commander_id)
    for group in drill.groups:
        ids.update(int(i) for i in group.get("people", []))
    staff = session.exec(
        select(Staff).where(Staff.site_id == drill.site_id, col(Staff.active).is_(True))
    ).all()
    return sorted(
        (s for s in staff if s.id in ids or any(r in s.roles for r in drill.roles)),
        key=lambda s: (s.name, s.id or 0),
    )


def concerned(session: Session, drill: Drill) -> list[int]:
    """Whom a change of the drill is announced to: participants and the coordinator."""
    ids = [s.id for s in participants(session, drill) if s.id is not None]
    if drill.coordinator_id not in ids:
        ids.append(drill.coordinator_id)
    return ids


def announce(
    session: Session,
    drill: Drill,
    message: str,
    now: datetime,
    *,
    to: Iterable[int] | None = None,
    tag: str = "",
    due: datetime | None = None,
    params: dict[str, Any] | None = None,
) -> int:
    """One outbox row per person; how many were new."""
    assert drill.id is not None
    written = 0
    key_tag = tag or _stamp(drill.starts_at)
    kind = DeliveryKind.REMINDER if message == "drill_reminder" else DeliveryKind.NOTICE
    for staff_id in to if to is not None else concerned(session, drill):
        row = outbox.enqueue(
            session,
            key=f"drill:{drill.id}:{message}:{key_tag}:{staff_id}",
            site_id=drill.site_id,
            kind=kind,
            message=message,
            params={"drill": drill.id, **(params or {})},
            now=now,
            staff_id=staff_id,
            due=due,
        )
        written += row is not None
    return written


def reschedule(session: Session, drill: Drill, starts_at: datetime, *, now: datetime) -> None:
    """Move a planned drill; everyone concerned is told, and their answers start again."""
    drill.starts_at = starts_at
    drill.updated_at = now
    session.add(drill)
    session.exec(
        update(DrillResponse)  # type: ignore[call-overload]
        .where(col(DrillResponse.drill_id) == drill.id)
        .values(answer=None, answered_at=None, updated_at=now)
    )
    announce(session, drill, "drill_moved", now)


def cancel(session: Session, drill: Drill, *, now: datetime, series: bool = False) -> list[Drill]:
    """Call off a planned drill (or it and the rest of its series); everyone concerned is told."""
    drills = [drill]
    if series and drill.series_id is not None:
        query = select(Drill).where(
            Drill.series_id == drill.series_id,
            Drill.starts_at >= drill.starts_at,
            Drill.status == DrillStatus.PLANNED,
        )
        drills = list(session.exec(query).all())
    for each in drills:
        each.status = DrillStatus.CANCELLED
        each.updated_at = now
        session.add(each)
        # Reminders not sent yet are no longer wanted.
        session.exec(
            update(Delivery)  # type: ignore[call-overload]
            .where(
                col(Delivery.key).like(f"drill:{each.id}:%"),
                col(Delivery.status) == DeliveryStatus.PENDING,
            )
            .values(status=DeliveryStatus.CANCELLED)
        )
        restyle_invitations(session, each, now)
    announce(session, drill, "drill_cancelled", now, params={"series": series})
    return drills


# --- answers and attendance -----------------------------------------------------------------


def response(session: Session, drill_id: int, staff_id: int, now: datetime) -> DrillResponse:
    row = session.exec(
        select(DrillResponse).where(
            DrillResponse.drill_id == drill_id, DrillResponse.staff_id == staff_id
        )
    ).first()
    if row is None:
        row = DrillResponse(drill_id=drill_id, staff_id=staff_id, updated_at=now)
    return row


def respond(session: Session, drill: Drill, staff_id: int, answer: Rsvp, *, now: datetime) -> None:
    """Record "I'll attend" / "I can't"; the person's copies of the invitation show it."""
    assert drill.id is not None
    row = response(session, drill.id, staff_id, now)
    row.answer, row.answered_at, row.updated_at = str(answer), now, now
    session.add(row)
    session.exec(
        update(Delivery)  # type: ignore[call-overload]
        .where(
            col(Delivery.key).like(f"drill:{drill.id}:%"),
            col(Delivery.staff_id) == staff_id,
            col(Delivery.message).in_(RSVP_MESSAGES),
            col(Delivery.status) == DeliveryStatus.SENT,
        )
        .values(needs_edit=True, next_at=now)
    )


def responses(session: Session, drill_id: int) -> dict[int, DrillResponse]:
    rows = session.exec(select(DrillResponse).where(DrillResponse.drill_id == drill_id)).all()
    return {row.staff_id: row for row in rows}


def restyle_invitations(session: Session, drill: Drill, now: datetime) -> None:
    """Invitations and reminders already sent lose their answer buttons (edited in place)."""
    session.exec(
        update(Delivery)  # type: ignore[call-overload]
        .where(
            col(Delivery.key).like(f"drill:{drill.id}:%"),
            col(Delivery.message).in_(RSVP_MESSAGES),
            col(Delivery.status) == DeliveryStatus.SENT,
        )
        .values(needs_edit=True, next_at=now)
    )


# --- what the scheduler looks at ------------------------------------------------------------


def planned_before(session: Session, until: datetime, *, limit: int = 500) -> list[Drill]:
    query = (
        select(Drill)
        .where(Drill.status == DrillStatus.PLANNED, Drill.starts_at <= until)
        .order_by(col(Drill.starts_at))
        .limit(limit)
    )
    return list(session.exec(query).all())


def last_done(session: Session, site_id: int, scenario: str) -> Drill | None:
    query = (
        select(Drill)
        .where(
            Drill.site_id == site_id,
            Drill.scenario == scenario,
            Drill.status == DrillStatus.DONE,
        )
        .order_by(col(Drill.starts_at).desc())
        .limit(1)
    )
    return session.exec(query).first()


def next_planned(session: Session, site_id: int, scenario: str, now: datetime) -> Drill | None:
    query = (
        select(Drill)
        .where(
            Drill.site_id == site_id,
            Drill.scenario == scenario,
            Drill.status == DrillStatus.PLANNED,
            Drill.starts_at >= now,
        )
        .order_by(col(Drill.starts_at))
        .limit(1)
    )
    return session.exec(query).first()


def holders(session: Session, site_id: int, roles: Iterable[str]) -> list[int]:
    wanted = set(roles)
    staff = session.exec(
        select(Staff).where(Staff.site_id == site_id, col(Staff.active).is_(True))
    ).all()
    return [s.id for s in staff if s.id is not None and wanted.intersection(s.roles)]
