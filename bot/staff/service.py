"""Reading and changing staff records."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlmodel import Session, col, select

from bot.sites.models import Site
from bot.staff import invites
from bot.staff.models import Staff
from bot.storage.prepared import Prepared, loaded


def by_telegram_id(session: Session, telegram_id: int) -> Staff | None:
    return (session.exec(select(Staff).where(Staff.telegram_id == telegram_id))).first()


STAFF = Staff.__table__  # type: ignore[attr-defined]
SITES = Site.__table__  # type: ignore[attr-defined]
_WITH_SITE = Prepared(
    sa_select(
        *(column.label(f"staff_{column.name}") for column in STAFF.c),
        *(column.label(f"site_{column.name}") for column in SITES.c),
    )
    .join_from(STAFF, SITES, SITES.c.id == STAFF.c.site_id)
    .where(STAFF.c.telegram_id == bindparam("telegram_id"))
)


def with_site(session: Session, telegram_id: int) -> tuple[Staff, Site] | None:
    """A staff member by Telegram id together with their site, in one query (the first of
    every event: built once, plain objects, no ORM bookkeeping)."""
    found = _WITH_SITE.mappings(session, telegram_id=telegram_id)
    if not found:
        return None
    row = found[0]
    member = loaded(Staff, {c.name: row[f"staff_{c.name}"] for c in STAFF.c})
    site = loaded(Site, {c.name: row[f"site_{c.name}"] for c in SITES.c})
    return member, site


def get(session: Session, staff_id: int) -> Staff | None:
    return session.get(Staff, staff_id)


def all_staff(session: Session, *, active_only: bool = False) -> list[Staff]:
    query = select(Staff).order_by(col(Staff.id))
    if active_only:
        query = query.where(col(Staff.active).is_(True))
    return list((session.exec(query)).all())


def add(
    session: Session,
    *,
    telegram_id: int | None,
    name: str,
    roles: list[str],
    site_id: int,
    locale: str | None,
    now: datetime,
) -> Staff:
    member = Staff(
        telegram_id=telegram_id,
        name=name,
        roles=sorted(set(roles)),
        site_id=site_id,
        locale=locale,
        created_at=now,
    )
    session.add(member)
    _changed(session)
    session.flush()
    return member


def revoke(session: Session, staff_id: int, now: datetime | None = None) -> Staff | None:
    """Take away access; the record (and everything it reported) stays. The invites they made
    that were not used yet are cancelled (``now``: when; the system clock when not given)."""
    member = session.get(Staff, staff_id)
    if member is not None:
        member.active = False
        session.add(member)
        _changed(session)
        invites.cancel_made_by(session, staff_id, now or datetime.now(UTC))
    return member


def enrol(
    session: Session,
    *,
    telegram_id: int,
    name: str,
    role: str,
    site_id: int,
    locale: str | None,
    now: datetime,
) -> Staff:
    """Make a Telegram user staff of a site with a role: a new record, or a revoked one restored."""
    member = by_telegram_id(session, telegram_id)
    if member is None:
        return add(
            session,
            telegram_id=telegram_id,
            name=name,
            roles=[role],
            site_id=site_id,
            locale=locale,
            now=now,
        )
    member.active = True
    member.roles = [role]
    member.site_id = site_id
    member.locale = member.locale or locale
    session.add(member)
    _changed(session)
    session.flush()
    return member


def set_locale(session: Session, member: Staff, locale: str) -> None:
    member.locale = locale
    _update(session, member.id, locale=locale)


def admins(session: Session) -> list[Staff]:
    return [m for m in all_staff(session, active_only=True) if "admin" in m.roles]


_ACTIVE_AT_SITE = Prepared(
    sa_select(STAFF)
    .where(STAFF.c.site_id == bindparam("site"), STAFF.c.active.is_(True))
    .order_by(STAFF.c.id)
)
_ACTIVE = "staff.active_at_site"  # session.info: a site's active staff, read once per unit


def active_at_site(session: Session, site_id: int) -> list[Staff]:
    """The site's active staff, read once per unit of work (an alert asks for them again and
    again: each level's roles, the rota's holes, the admins to tell); a change to staff in the
    unit reads them again."""
    cached: dict[int, list[Staff]] = session.info.setdefault(_ACTIVE, {})
    if site_id not in cached:
        rows = _ACTIVE_AT_SITE.mappings(session, site=site_id)
        cached[site_id] = [loaded(Staff, row) for row in rows]
    return list(cached[site_id])


def _changed(session: Session) -> None:
    session.info.pop(_ACTIVE, None)


def by_ids(session: Session, ids: list[int]) -> dict[int, Staff]:
    if not ids:
        return {}
    query = select(Staff).where(col(Staff.id).in_(sorted(set(ids))))
    return {m.id: m for m in (session.exec(query)).all() if m.id is not None}


def mark_unreachable(session: Session, staff_id: int, now: datetime) -> bool:
    """Record that Telegram refused a message to them; True the first time (admins are told)."""
    member = session.get(Staff, staff_id)
    if member is None or member.unreachable_since is not None:
        return False
    member.unreachable_since = now
    session.add(member)
    _changed(session)
    return True


def mark_reachable(session: Session, member: Staff) -> None:
    """They wrote to the bot: messages to them get through again."""
    member.unreachable_since = None
    _update(session, member.id, unreachable_since=None)


def _update(session: Session, staff_id: int | None, **values: object) -> None:
    """Change a staff row by id (the engine's staff objects are plain copies of the row)."""
    _changed(session)
    statement = sa_update(STAFF).where(STAFF.c.id == staff_id).values(**values)
    session.connection().execute(statement)
