"""Alerts: raised by a procedure's notify action, pinged level by level, acknowledged once.

Every statement about alerts is here. Pings are delivery rows written in the caller's
transaction (the outbox); the sender delivers them. Climbing happens in :func:`advance`, called
once when the alert is raised and then by the scheduler's tick whenever ``next_at`` is due.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.cases import service as cases
from bot.cases.models import Case
from bot.delivery import service as outbox
from bot.delivery.models import Delivery, DeliveryKind, DeliveryStatus
from bot.escalation.chains import ChainStep, EscalationSettings
from bot.escalation.hours import quiet_until
from bot.escalation.models import Alert, AlertStatus
from bot.rota import service as rota
from bot.sites.models import Site
from bot.staff import service as staff_service
from bot.staff.access import ADMIN
from bot.storage.prepared import inserted


@dataclass
class Recipients:
    staff: list[int] = field(default_factory=list)
    chats: list[int] = field(default_factory=list)
    # Why a role reached nobody: ("rota", role) nobody on duty, ("nobody", role) no holder.
    gaps: list[tuple[str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.staff or self.chats)


def raise_alert(
    session: Session,
    *,
    case: Case,
    site: Site,
    step_id: str,
    roles: list[str],
    message: dict[str, str],
    facts: list[Any],
    chain: str,
    urgent: bool,
    actor_id: int | None,
    now: datetime,
    settings: EscalationSettings,
) -> Alert:
    """Record an alert and ping its first level now, in the caller's transaction."""
    assert case.id is not None
    alert = Alert(
        site_id=case.site_id,
        case_id=case.id,
        step_id=step_id,
        roles=roles,
        message=message,
        facts=facts,
        chain=chain,
        chain_start=settings.chain(site.code, chain).start_after(roles),
        urgent=urgent,
        status=AlertStatus.OPEN,
        next_at=now,
        raised_by=actor_id,
        raised_at=now,
    )
    inserted(session, alert)
    advance(session, alert, case, site, settings, now)
    return alert


def advance(
    session: Session,
    alert: Alert,
    case: Case,
    site: Site,
    settings: EscalationSettings,
    now: datetime,
) -> None:
    """Ping the alert's next round: its current level again (a repeat) or the next level up.

    A level nobody can be reached at (no holder, a hole in the rota) is skipped at once and the
    admins are told; a non-urgent level of "day" hours waits for the end of the quiet hours.
    """
    assert alert.id is not None
    if case.is_drill:  # a rehearsal never pings the real chain
        alert.status, alert.next_at = AlertStatus.DRILL, None
        session.add(alert)
        return
    chain = settings.chain(site.code, alert.chain)
    level, round_ = alert.level, alert.round
    current = chain.level(alert.chain_start, level, alert.roles) if level >= 0 else None
    if current is not None and round_ <= current.repeat:
        round_ += 1
    else:
        level, round_ = level + 1, 1
    while True:
        step = chain.level(alert.chain_start, level, alert.roles)
        if step is None:
            _unanswered(session, alert, case, site, now)
            return
        if not alert.urgent and step.hours == "day":
            wait = quiet_until(now, site.timezone, settings.quiet(site.code))
            if wait is not None:
                alert.next_at = wait
                session.add(alert)
                return
        found = recipients(session, site, step, now, exclude=alert.raised_by)
        for kind, role in found.gaps:
            _gap(session, alert, case, site, level, kind, role, now)
        alert.level, alert.round = level, round_
        if not found:
            level, round_ = level + 1, 1
            continue
        _ping(session, alert, case, level, round_, found, step, now)
        alert.next_at = now + step.wait
        session.add(alert)
        return


def recipients(
    session: Session, site: Site, step: ChainStep, now: datetime, *, exclude: int | None
) -> Recipients:
    """Who a chain step reaches now at the site."""
    assert site.id is not None
    found = Recipients(chats=[step.chat] if step.chat is not None else [])
    members = {m.id: m for m in staff_service.active_at_site(session, site.id)}
    on_rota = rota.rota_roles(session, site.id, now=now) if step.roles or step.on_duty else set()
    chosen: set[int] = set()
    for role in step.roles:
        if role in on_rota:
            _on_duty(session, site, role, now, members, chosen, found)
            continue
        holders = {i for i, m in members.items() if i is not None and role in m.roles}
        if not holders - {exclude}:
            found.gaps.append(("nobody", role))
        chosen |= holders
    for role in step.on_duty:
        _on_duty(session, site, role, now, members, chosen, found)
    chosen |= {person for person in step.people if person in members}
    chosen.discard(exclude)  # whoever raised it knows already
    found.staff = sorted(i for i in chosen if i is not None)
    return found


def _on_duty(
    session: Session,
    site: Site,
    role: str,
    now: datetime,
    members: dict[int | None, Any],
    chosen: set[int],
    found: Recipients,
) -> None:
    duty = [i for i in rota.on_duty(session, site, role, now) if i in members]
    if not duty:
        found.gaps.append(("rota", role))
    chosen.update(duty)


def _ping(
    session: Session,
    alert: Alert,
    case: Case,
    level: int,
    round_: int,
    found: Recipients,
    step: ChainStep,
    now: datetime,
) -> None:
    assert alert.id is not None
    common: dict[str, Any] = {
        "site_id": alert.site_id,
        "kind": DeliveryKind.PING,
        "message": "alert",
        "params": {"alert": alert.id, "level": level, "round": round_},
        "now": now,
        "case_id": alert.case_id,
        "alert_id": alert.id,
    }
    prefix = f"ping:{alert.id}:{level}:{round_}"
    for staff_id in found.staff:
        outbox.enqueue(session, key=f"{prefix}:s{staff_id}", staff_id=staff_id, **common)
    for chat_id in found.chats:
        outbox.enqueue(session, key=f"{prefix}:c{chat_id}", chat_id=chat_id, **common)
    kind = "alert_raised" if level == 0 else "alert_escalated" if round_ == 1 else "alert_repeated"
    cases.add_event(
        session,
        case,
        kind,
        actor_id=None,
        step_id=alert.step_id,
        now=now,
        data={
            "alert": alert.id,
            "level": level,
            "round": round_,
            "roles": sorted({*step.roles, *step.on_duty}),
            "staff": found.staff,
            "chats": found.chats,
        },
    )


def _gap(
    session: Session,
    alert: Alert,
    case: Case,
    site: Site,
    level: int,
    kind: str,
    role: str,
    now: datetime,
) -> None:
    """A level reached nobody for ``role``: on the timeline, and the admins told once a day."""
    cases.add_event(
        session,
        case,
        "alert_gap",
        actor_id=None,
        step_id=alert.step_id,
        now=now,
        data={"alert": alert.id, "level": level, "role": role, "gap": kind},
    )
    day = now.date().isoformat()
    message = "rota_hole" if kind == "rota" else "nobody_holds"
    tell_admins(
        session,
        site,
        key=f"{message}:{site.id}:{role}:{day}",
        message=message,
        params={"role": role, "case": case.id, "at": now.isoformat()},
        now=now,
        case_id=case.id,
    )


def _unanswered(session: Session, alert: Alert, case: Case, site: Site, now: datetime) -> None:
    alert.status = AlertStatus.UNANSWERED
    alert.next_at = None
    session.add(alert)
    cases.add_event(
        session,
        case,
        "alert_unanswered",
        actor_id=None,
        step_id=alert.step_id,
        now=now,
        data={"alert": alert.id, "level": alert.level},
    )
    tell_admins(
        session,
        site,
        key=f"unanswered:{alert.id}",
        message="unanswered",
        params={"alert": alert.id, "case": case.id},
        now=now,
        case_id=case.id,
    )


def tell_admins(
    session: Session,
    site: Site,
    *,
    key: str,
    message: str,
    params: dict[str, Any],
    now: datetime,
    case_id: int | None = None,
) -> int:
    """A notice to every active admin of the site (each once: the key is per admin)."""
    assert site.id is not None
    admins = [m for m in staff_service.active_at_site(session, site.id) if ADMIN in m.roles]
    written = 0
    for admin in admins:
        assert admin.id is not None
        row = outbox.enqueue(
            session,
            key=f"notice:{key}:s{admin.id}",
            site_id=site.id,
            kind=DeliveryKind.NOTICE,
            message=message,
            params=params,
            now=now,
            staff_id=admin.id,
            case_id=case_id,
        )
        written += row is not None
    return written


def acknowledge(session: Session, alert: Alert, case: Case, *, by: int, now: datetime) -> bool:
    """Stop the alert's chain; every copy of its pings is edited to say who and when.
    False when someone acknowledged it already."""
    if alert.status == AlertStatus.ACKNOWLEDGED:
        return False
    assert alert.id is not None
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_by = by
    alert.acknowledged_at = now
    alert.next_at = None
    session.add(alert)
    cases.add_event(
        session,
        case,
        "alert_acknowledged",
        actor_id=by,
        step_id=alert.step_id,
        now=now,
        data={"alert": alert.id, "level": alert.level},
    )
    outbox.restyle(session, [alert.id], now=now)
    return True


def get(session: Session, alert_id: int) -> Alert | None:
    return session.get(Alert, alert_id)


def of_case(session: Session, case_id: int) -> list[Alert]:
    query = select(Alert).where(Alert.case_id == case_id).order_by(col(Alert.id))
    return list((session.exec(query)).all())


def claim_due(session: Session, now: datetime, limit: int) -> list[Alert]:
    """Open alerts whose next round is due, locked so that one instance advances each."""
    query = (
        select(Alert)
        .where(Alert.status == AlertStatus.OPEN, col(Alert.next_at) <= now)
        .order_by(col(Alert.next_at), col(Alert.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list((session.exec(query)).all())


def involvement(session: Session, case_id: int) -> tuple[set[str], set[int]]:
    """The roles the case's procedure notified, and the staff its pings reached."""
    roles = {role for alert in of_case(session, case_id) for role in alert.roles}
    pinged = {d.staff_id for d in outbox.of_case(session, case_id) if d.staff_id is not None}
    return roles, pinged


def waiting_for(session: Session, staff_id: int, limit: int = 10) -> list[Any]:
    """The person's pings of alerts still waiting for an acknowledgement, newest first: one
    (delivery, alert) per alert, the latest copy sent to them."""
    query = (
        select(Delivery, Alert)
        .join(Alert, col(Alert.id) == col(Delivery.alert_id))
        .where(
            Delivery.staff_id == staff_id,
            col(Delivery.status).in_([DeliveryStatus.SENT, DeliveryStatus.PENDING]),
            Alert.status == AlertStatus.OPEN,
        )
        .order_by(col(Delivery.id).desc())
    )
    latest: dict[int, Any] = {}
    for delivery, alert in (session.exec(query)).all():
        latest.setdefault(alert.id or 0, (delivery, alert))
    return list(latest.values())[:limit]
