"""Follow-up tasks: created when a report is submitted, started, handed on, done, cancelled.

Every change is on the case's timeline. Starting and handing are single conditional UPDATEs,
so two people pressing "Start" on the same task at once cannot both get it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlmodel import Session

from bot.cases import service as cases
from bot.cases.models import Case
from bot.rota import service as rota
from bot.sites.models import Site
from bot.staff import service as staff_service
from bot.tasks.models import LIVE_STATES, Task, TaskKind, TaskState

TASKS = Task.__table__  # type: ignore[attr-defined]
_LIVE = [str(state) for state in LIVE_STATES]


def _from_row(row: object) -> Task:
    return Task(**dict(row._mapping))  # type: ignore[attr-defined]


def create(
    session: Session,
    case: Case,
    *,
    kind: TaskKind,
    role: str,
    actor_id: int | None,
    now: datetime,
    stage: int | None = None,
) -> Task:
    """A new task of ``case`` for ``role``, on the timeline."""
    assert case.id is not None
    values: dict[str, Any] = {
        "case_id": case.id,
        "site_id": case.site_id,
        "kind": str(kind),
        "role": role,
        "stage": stage,
        "holder_id": None,
        "state": str(TaskState.OPEN),
        "created_at": now,
        "started_at": None,
        "done_at": None,
        "updated_at": now,
    }
    inserted = session.connection().execute(TASKS.insert().values(values)).inserted_primary_key
    assert inserted is not None
    task = Task(id=int(inserted[0]), **values)
    event = "task_created" if kind is TaskKind.PART else "close_task_created"
    cases.add_event(
        session, case, event, actor_id=actor_id, now=now, data={"task": task.id, "role": role}
    )
    return task


def get(session: Session, task_id: int) -> Task | None:
    row = session.connection().execute(sa_select(TASKS).where(TASKS.c.id == task_id)).first()
    return _from_row(row) if row is not None else None


def of_case(session: Session, case_id: int) -> list[Task]:
    query = sa_select(TASKS).where(TASKS.c.case_id == case_id).order_by(TASKS.c.id)
    return [_from_row(row) for row in session.connection().execute(query)]


def live_of_case(session: Session, case_id: int) -> list[Task]:
    return [t for t in of_case(session, case_id) if t.state in LIVE_STATES]


def held_by(session: Session, staff_id: int) -> list[Task]:
    """Tasks the person holds: started by them or handed to them, not done."""
    query = (
        sa_select(TASKS)
        .where(TASKS.c.holder_id == staff_id, TASKS.c.state.in_(_LIVE))
        .order_by(TASKS.c.id)
    )
    return [_from_row(row) for row in session.connection().execute(query)]


def waiting_for_roles(
    session: Session, site_id: int, roles: list[str], limit: int = 20
) -> list[Task]:
    """Open tasks of the site for any of ``roles`` that nobody holds yet, oldest first."""
    if not roles:
        return []
    query = (
        sa_select(TASKS)
        .where(
            TASKS.c.site_id == site_id,
            TASKS.c.state == str(TaskState.OPEN),
            TASKS.c.role.in_(sorted(set(roles))),
            TASKS.c.holder_id.is_(None),
        )
        .order_by(TASKS.c.id)
        .limit(limit)
    )
    return [_from_row(row) for row in session.connection().execute(query)]


def may_take(task: Task, staff_id: int, roles: list[str]) -> bool:
    """Whether this person may start the task: it is handed to them, or held by nobody and
    theirs by role (or already theirs)."""
    if task.state not in LIVE_STATES:
        return False
    if task.holder_id is not None:
        return task.holder_id == staff_id
    return task.role in roles


def start(session: Session, case: Case, task: Task, *, staff_id: int, now: datetime) -> bool:
    """Take the task: True when the person now holds it (or held it already).

    Conditional on nobody else having taken it since it was read; the loser gets False.
    """
    assert task.id is not None
    if task.state == TaskState.STARTED and task.holder_id == staff_id:
        return True
    result = session.connection().execute(
        sa_update(TASKS)
        .where(
            TASKS.c.id == task.id,
            TASKS.c.state == str(TaskState.OPEN),
            or_(TASKS.c.holder_id.is_(None), TASKS.c.holder_id == staff_id),
        )
        .values(state=str(TaskState.STARTED), holder_id=staff_id, started_at=now, updated_at=now)
    )
    if result.rowcount != 1:
        return False
    task.state, task.holder_id, task.started_at, task.updated_at = (
        TaskState.STARTED,
        staff_id,
        now,
        now,
    )
    cases.add_event(
        session,
        case,
        "task_started",
        actor_id=staff_id,
        now=now,
        data={"task": task.id, "role": task.role},
    )
    return True


def hand(session: Session, case: Case, task: Task, *, to: int, by: int, now: datetime) -> bool:
    """Hand the task to another person: it waits for them to start it. False when it changed
    meanwhile (done, or someone else holds it)."""
    assert task.id is not None
    result = session.connection().execute(
        sa_update(TASKS)
        .where(
            TASKS.c.id == task.id,
            TASKS.c.state.in_(_LIVE),
            # still held as it was read: nobody took it meanwhile
            TASKS.c.holder_id.is_(None)
            if task.holder_id is None
            else TASKS.c.holder_id == task.holder_id,
        )
        .values(state=str(TaskState.OPEN), holder_id=to, updated_at=now)
    )
    if result.rowcount != 1:
        return False
    previous = task.holder_id
    task.state, task.holder_id, task.updated_at = TaskState.OPEN, to, now
    cases.add_event(
        session,
        case,
        "task_handed",
        actor_id=by,
        now=now,
        data={"task": task.id, "role": task.role, "staff": [to], "from": previous},
    )
    return True


def finish(session: Session, case: Case, task: Task, *, by: int, now: datetime) -> None:
    assert task.id is not None
    session.connection().execute(
        sa_update(TASKS)
        .where(TASKS.c.id == task.id)
        .values(state=str(TaskState.DONE), done_at=now, updated_at=now)
    )
    task.state, task.done_at, task.updated_at = TaskState.DONE, now, now
    kind = "task_done" if task.kind == TaskKind.PART else "close_task_done"
    cases.add_event(
        session, case, kind, actor_id=by, now=now, data={"task": task.id, "role": task.role}
    )


def cancel_live(session: Session, case: Case, *, now: datetime) -> list[int]:
    """The case was closed or cancelled: its tasks not done are cancelled (no event each; the
    closing event says it)."""
    assert case.id is not None
    live = [t.id for t in live_of_case(session, case.id) if t.id is not None]
    if live:
        session.connection().execute(
            sa_update(TASKS)
            .where(TASKS.c.id.in_(live))
            .values(state=str(TaskState.CANCELLED), updated_at=now)
        )
    return live


def people_for(session: Session, site: Site, role: str, now: datetime) -> list[int]:
    """Who a task for ``role`` goes to now: those on duty in it when the site keeps a rota
    for it, else everyone at the site who holds it."""
    assert site.id is not None
    if role in rota.rota_roles(session, site.id, now=now):
        on_duty = rota.on_duty(session, site, role, now)
        if on_duty:
            return sorted(on_duty)
    members = staff_service.active_at_site(session, site.id)
    return sorted(m.id for m in members if m.id is not None and role in m.roles)


def colleagues(session: Session, site_id: int, role: str, *, besides: int) -> list[int]:
    """Whom a task can be handed to: the site's other active holders of its role."""
    members = staff_service.active_at_site(session, site_id)
    return [m.id for m in members if m.id is not None and m.id != besides and role in m.roles]
