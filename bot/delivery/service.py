"""The outbox's rows: written in the caller's transaction, claimed and settled by the sender."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, bindparam, or_, update
from sqlmodel import Session, col, select

from bot.delivery.models import Delivery, DeliveryKind, DeliveryStatus
from bot.storage.prepared import Prepared

# Long enough for a claimed batch to go out under the rate limits (60 rows at 29/s ≈ 2 s).
LEASE = timedelta(seconds=30)


def new_secret() -> str:
    """Eight URL-safe characters (48 bits): what makes a delivery's buttons unforgeable."""
    return secrets.token_urlsafe(6)


_DELIVERIES = Delivery.__table__  # type: ignore[attr-defined]
_ENQUEUE = Prepared(
    lambda insert: (
        insert(_DELIVERIES)
        .values(
            key=bindparam("key"),
            site_id=bindparam("site_id"),
            case_id=bindparam("case_id"),
            alert_id=bindparam("alert_id"),
            staff_id=bindparam("staff_id"),
            chat_id=bindparam("chat_id"),
            kind=bindparam("kind"),
            message=bindparam("message"),
            params=bindparam("params", type_=JSON),
            status=str(DeliveryStatus.PENDING),
            attempts=0,
            next_at=bindparam("due"),
            needs_edit=False,
            secret=bindparam("secret"),
            created_at=bindparam("now"),
        )
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(_DELIVERIES.c.id)
    )
)


def enqueue(
    session: Session,
    *,
    key: str,
    site_id: int,
    kind: DeliveryKind,
    message: str,
    params: dict[str, Any],
    now: datetime,
    staff_id: int | None = None,
    chat_id: int | None = None,
    case_id: int | None = None,
    alert_id: int | None = None,
    due: datetime | None = None,
) -> int | None:
    """Write one message for one recipient; None when a row with this key exists already."""
    assert (staff_id is None) != (chat_id is None), "a delivery goes to a person or a chat"
    return _ENQUEUE.scalar(
        session,
        key=key,
        site_id=site_id,
        case_id=case_id,
        alert_id=alert_id,
        staff_id=staff_id,
        chat_id=chat_id,
        kind=str(kind),
        message=message,
        params=params,
        due=due or now,
        secret=new_secret(),
        now=now,
    )


def claim_due(
    session: Session, *, now: datetime, limit: int, lease: timedelta = LEASE
) -> list[Delivery]:
    """Take up to ``limit`` rows that are due to be sent or edited, for ``lease``.

    On PostgreSQL ``FOR UPDATE SKIP LOCKED`` lets several senders claim side by side without
    ever taking the same row; on SQLite the process's write lock serialises claims. A row whose
    lease ran out (its sender died) is claimable again.
    """
    due = or_(
        col(Delivery.status) == DeliveryStatus.PENDING,
        (col(Delivery.status) == DeliveryStatus.SENT) & col(Delivery.needs_edit),
    )
    free = or_(col(Delivery.lease_until).is_(None), col(Delivery.lease_until) < now)
    query = (
        select(Delivery)
        .where(due, col(Delivery.next_at) <= now, free)
        .order_by(col(Delivery.next_at), col(Delivery.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = list((session.exec(query)).all())
    for row in rows:
        row.lease_until = now + lease
        session.add(row)
    return rows


def settle(session: Session, delivery_id: int, **values: Any) -> None:
    """Record what became of a claimed row and release it."""
    statement = (
        update(Delivery).where(col(Delivery.id) == delivery_id).values(lease_until=None, **values)
    )
    session.exec(statement)  # type: ignore[call-overload]


def get(session: Session, delivery_id: int) -> Delivery | None:
    return session.get(Delivery, delivery_id)


def of_alert(session: Session, alert_id: int) -> list[Delivery]:
    query = select(Delivery).where(Delivery.alert_id == alert_id).order_by(col(Delivery.id))
    return list((session.exec(query)).all())


def of_case(session: Session, case_id: int) -> list[Delivery]:
    query = select(Delivery).where(Delivery.case_id == case_id).order_by(col(Delivery.id))
    return list((session.exec(query)).all())


def restyle(session: Session, alert_ids: Iterable[int], *, now: datetime) -> None:
    """The alerts changed (acknowledged): every sent copy is edited in place, and copies not
    sent yet are no longer needed."""
    ids = list(alert_ids)
    if not ids:
        return
    sent = (
        update(Delivery)
        .where(col(Delivery.alert_id).in_(ids), col(Delivery.status) == DeliveryStatus.SENT)
        .values(needs_edit=True, next_at=now)
    )
    session.exec(sent)  # type: ignore[call-overload]
    unsent = (
        update(Delivery)
        .where(col(Delivery.alert_id).in_(ids), col(Delivery.status) == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.CANCELLED)
    )
    session.exec(unsent)  # type: ignore[call-overload]


def restyle_messages(session: Session, case_id: int, message: str, *, now: datetime) -> int:
    """The facts behind a case's ``message`` changed (a task taken, done, handed on): every copy
    sent is edited in place when the sender next runs. How many copies will be edited."""
    sent = (
        update(Delivery)
        .where(
            col(Delivery.case_id) == case_id,
            col(Delivery.message) == message,
            col(Delivery.status) == DeliveryStatus.SENT,
        )
        .values(needs_edit=True, next_at=now)
    )
    result = session.exec(sent)  # type: ignore[call-overload]
    return int(result.rowcount or 0)


def next_due(session: Session) -> datetime | None:
    """When the earliest waiting row falls due (for the sender's sleep)."""
    due = or_(
        col(Delivery.status) == DeliveryStatus.PENDING,
        (col(Delivery.status) == DeliveryStatus.SENT) & col(Delivery.needs_edit),
    )
    query = select(Delivery.next_at).where(due).order_by(col(Delivery.next_at)).limit(1)
    return (session.exec(query)).first()


def release_leases(session: Session) -> int:
    """Free every claim: at start on SQLite, where this process is the only sender, so every
    lease left is a dead process's."""
    statement = (
        update(Delivery).where(col(Delivery.lease_until).is_not(None)).values(lease_until=None)
    )
    return int((session.exec(statement)).rowcount or 0)  # type: ignore[call-overload]
