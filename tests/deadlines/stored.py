"""Cases with clocks in a database, for the tests of the stored side of bot/deadlines: open a
complaint received at a time, open a default clock on it, tick the scheduler's jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select

from bot.cases import service as cases
from bot.cases.models import Case, CaseEvent
from bot.deadlines import jobs
from bot.deadlines import service as deadlines
from bot.deadlines import settings as clock_settings
from bot.deadlines.models import Deadline
from bot.delivery.models import Delivery
from bot.escalation.chains import EscalationSettings
from bot.sites import service as sites
from bot.staff.models import Staff
from tests.support import World, add_staff

ESCALATION = EscalationSettings()


def complaints(_: str) -> str:
    return "complaints"


async def officer(world: World, telegram_id: int = 3001, name: str = "Hu Min") -> Staff:
    return await add_staff(world, telegram_id, name, "complaint_officer")


async def complaint(
    world: World,
    received: datetime | None,
    *,
    answers: dict[str, Any] | None = None,
    level: str | None = "general",
    status: str | None = None,
    playbook: str = "complaint",
) -> Case:
    """A complaint opened now, its "when was it received" answered as ``received``."""
    now = world.clock.now()
    with world.db.transaction() as session:
        site = sites.get(session, world.site_id)
        case = cases.open_case(
            session,
            site=site,
            playbook_id=playbook,
            playbook_version=1,
            reporter_id=world.guard.id or 0,
            now=now,
        )
        given = dict(answers or {})
        if received is not None:
            given["received_at"] = received.isoformat()
        for step, value in given.items():
            cases.record_answer(
                session, case, step, value, skipped=False, actor_id=world.guard.id or 0, now=now
            )
        if level is not None:
            case.classification = level
        if status is not None:
            case.status = status
            if status in ("closed", "cancelled"):
                case.closed_at = now
        session.add(case)
        return case


async def open_clock(world: World, case: Case, key: str, **kwargs: Any) -> Deadline:
    now = world.clock.now()
    options: dict[str, Any] = {"start_step": "received_at", "roles": ["complaint_officer"]}
    options.update(kwargs)
    roles = options.pop("roles")
    with world.db.transaction() as session:
        return deadlines.open_deadline(
            session,
            case,
            key=key,
            title={"zh": f"时限 {key}", "en": f"Clock {key}"},
            roles=roles,
            now=now,
            clock=key if "after" not in options else None,
            **options,
        )


async def set_clocks(world: World, **values: str) -> None:
    with world.db.transaction() as session:
        site = sites.get(session, world.site_id)
        for name, value in values.items():
            clock_settings.store(session, site, name, clock_settings.check(name, value))


async def fire(world: World) -> int:
    return await jobs.fire_due_deadlines(world.db, world.clock, ESCALATION, complaints)


async def rise(world: World) -> int:
    return await jobs.raise_levels(world.db, world.clock)


async def scheduled(world: World) -> int:
    return await jobs.run_schedules(world.db, world.clock)


async def row(world: World, deadline_id: int | None) -> Deadline:
    with world.db.transaction() as session:
        return deadlines.get(session, deadline_id or 0)


async def deliveries(world: World, message: str | None = None) -> list[Delivery]:
    with world.db.transaction() as session:
        query = select(Delivery).order_by(col(Delivery.id))
        rows = list(session.exec(query).all())
    return [d for d in rows if message is None or d.message == message]


async def events(world: World, case: Case, kind: str | None = None) -> list[CaseEvent]:
    with world.db.transaction() as session:
        found = cases.timeline(session, case.id or 0)
    return [e for e in found if kind is None or e.kind == kind]


async def reload(world: World, case: Case) -> Case:
    with world.db.transaction() as session:
        return cases.get(session, case.id or 0)
