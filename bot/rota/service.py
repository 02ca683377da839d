"""The rota's rows: every statement about shifts and swaps."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, union
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from bot.rota import schedule
from bot.rota.models import RotaShift, RotaSwap
from bot.sites.models import Site
from bot.storage.prepared import Prepared


def add_shifts(
    session: Session,
    *,
    site_id: int,
    role: str,
    staff_id: int,
    weekdays: list[int],
    start: int,
    end: int,
    now: datetime,
) -> list[RotaShift]:
    rows = [
        RotaShift(
            site_id=site_id,
            role=role,
            staff_id=staff_id,
            weekday=day,
            start=start,
            end=end % schedule.DAY,
            created_at=now,
        )
        for day in weekdays
    ]
    session.add_all(rows)
    session.flush()
    return rows


def add_swap(
    session: Session,
    *,
    site_id: int,
    role: str,
    staff_id: int,
    starts_at: datetime,
    ends_at: datetime,
    note: str | None,
    now: datetime,
) -> RotaSwap:
    row = RotaSwap(
        site_id=site_id,
        role=role,
        staff_id=staff_id,
        starts_at=starts_at,
        ends_at=ends_at,
        note=note,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def remove_shift(session: Session, site_id: int, shift_id: int) -> bool:
    statement = delete(RotaShift).where(
        col(RotaShift.id) == shift_id, col(RotaShift.site_id) == site_id
    )
    return bool((session.exec(statement)).rowcount)  # type: ignore[call-overload]


def remove_swap(session: Session, site_id: int, swap_id: int) -> bool:
    statement = delete(RotaSwap).where(
        col(RotaSwap.id) == swap_id, col(RotaSwap.site_id) == site_id
    )
    return bool((session.exec(statement)).rowcount)  # type: ignore[call-overload]


def shifts(session: Session, site_id: int, role: str | None = None) -> list[RotaShift]:
    query = select(RotaShift).where(RotaShift.site_id == site_id)
    if role is not None:
        query = query.where(RotaShift.role == role)
    query = query.order_by(
        col(RotaShift.role), col(RotaShift.weekday), col(RotaShift.start), col(RotaShift.id)
    )
    return list((session.exec(query)).all())


def swaps(
    session: Session, site_id: int, *, after: datetime, role: str | None = None
) -> list[RotaSwap]:
    """Swaps of the site that have not ended by ``after``."""
    query = select(RotaSwap).where(RotaSwap.site_id == site_id, col(RotaSwap.ends_at) > after)
    if role is not None:
        query = query.where(RotaSwap.role == role)
    query = query.order_by(col(RotaSwap.starts_at), col(RotaSwap.id))
    return list((session.exec(query)).all())


_SHIFTS = RotaShift.__table__  # type: ignore[attr-defined]
_SWAPS = RotaSwap.__table__  # type: ignore[attr-defined]
_ROTA_ROLES = Prepared(
    union(
        sa_select(_SHIFTS.c.role).where(_SHIFTS.c.site_id == bindparam("site")),
        sa_select(_SWAPS.c.role).where(
            _SWAPS.c.site_id == bindparam("site"), _SWAPS.c.ends_at > bindparam("now")
        ),
    )
)


def rota_roles(session: Session, site_id: int, *, now: datetime) -> set[str]:
    """Roles the site runs a rota for (a weekly shift or a current or future swap); asked on
    every alert's step, so one prepared query."""
    return {role for (role,) in _ROTA_ROLES.rows(session, site=site_id, now=now)}


def on_duty(session: Session, site: Site, role: str, at: datetime) -> list[int]:
    """Staff ids the rota names for ``role`` at ``at`` (empty: nobody, a hole)."""
    assert site.id is not None
    return schedule.on_duty(
        shifts(session, site.id, role),
        swaps(session, site.id, after=at, role=role),
        at,
        site.timezone,
    )
