"""B1's level rises on stored complaints (002:37-43), each applied once whatever the number of
instances, on the timeline with its rule, the case's owners told.

The intake records what the complaint is about as the answer of the step ``matter`` (a choice
or a short text: repeats are counted per site and matter), who complained as ``complainant``
(a person's contact, else name, else unit) and when as ``received_at``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from bot.cases import service as cases
from bot.cases.models import Answer, Case
from bot.cases.states import OPEN_STATES, CaseStatus
from bot.deadlines import levels
from bot.deadlines import service as deadlines
from bot.deadlines.levels import Complaint, Level, Rise
from bot.deadlines.models import DeadlineStatus
from bot.deadlines.specs import PAUSE_WAITING_ON_CUSTOMER
from bot.delivery import service as outbox
from bot.delivery.models import DeliveryKind
from bot.escalation import service as alerts
from bot.escalation.chains import ChainStep
from bot.sites import service as sites
from bot.sites.models import Site

MATTER_STEP = "matter"
RECEIVED_STEP = "received_at"
COMPLAINANT_STEP = "complainant"
LEVEL_KEYS = tuple(level.key for level in Level)
# A case still being worked on; a matter "处理完毕" is one whose case was closed.
_OPEN = tuple(str(state) for state in OPEN_STATES)
_CLOSED = (str(CaseStatus.CLOSED),)
# Repeats are counted over a rolling month; a little more is read to be safe.
_LOOK_BACK = timedelta(days=62)
_TELL_BY_DEFAULT = ("complaint_officer",)


def level_of(case: Case) -> Level:
    value = case.classification
    return Level.from_key(value) if value in LEVEL_KEYS else Level.GENERAL


def age_candidates(session: Session) -> list[Case]:
    """Open complaints below 重大 (their classification is a level)."""
    below = [level.key for level in Level if level < Level.MAJOR]
    query = (
        select(Case)
        .where(col(Case.status).in_(_OPEN), col(Case.classification).in_(below))
        .order_by(col(Case.id))
    )
    return list(session.exec(query).all())


def rise_by_age(session: Session, case: Case, now: datetime) -> list[Rise]:
    """The week and month rises due on an open complaint by ``now``; applied."""
    site = sites.get(session, case.site_id)
    arose = _answered_time(session, case) or case.opened_at
    applied = []
    our_side = not waiting_on_customer(session, case)
    for rise in levels.age_rises(level_of(case), arose, now, site.timezone, our_side=our_side):
        if apply(session, case, rise, now):
            applied.append(rise)
    return applied


def waiting_on_customer(session: Session, case: Case) -> bool:
    """A clock of the case stands paused waiting on the customer: what is unresolved is not
    "由于我方原因" (for reasons on our side), so the age rises wait."""
    assert case.id is not None
    return any(
        row.status == DeadlineStatus.PAUSED
        and any(
            p.get("end") is None and p.get("reason") == PAUSE_WAITING_ON_CUSTOMER
            for p in row.pauses
        )
        for row in deadlines.unfinished(session, case.id)
    )


def rise_by_repeats(session: Session, site: Site, now: datetime) -> list[tuple[Case, Rise]]:
    """Three or more different complainants of one matter within a month: its open complaints
    below 热点 become 热点."""
    assert site.id is not None
    groups: dict[str, list[tuple[Case, Complaint]]] = defaultdict(list)
    for case, matter, complainant in _matters(session, site.id, now - _LOOK_BACK):
        at = _answered_time(session, case) or case.opened_at
        groups[matter].append((case, Complaint(complainant, at)))
    applied = []
    for members in groups.values():
        waiting = [c for c, _ in members if c.status in _OPEN and level_of(c) < Level.HOT]
        if not waiting:
            continue
        rise = levels.repeat_rise(
            Level.GENERAL, [complaint for _, complaint in members], site.timezone, now=now
        )
        if rise is None:
            continue
        for case in waiting:
            if apply(session, case, rise, now):
                applied.append((case, rise))
    return applied


def rise_by_closed_matter(session: Session, site: Site, now: datetime) -> list[tuple[Case, Rise]]:
    """A complaint about a matter whose case was closed before it came in becomes 重要."""
    assert site.id is not None
    found = list(_matters(session, site.id, now - _LOOK_BACK * 6))
    closed: dict[str, datetime] = {}  # matter → when its first case was closed
    for case, matter, _ in found:
        if case.status in _CLOSED and case.closed_at is not None:
            closed[matter] = min(closed.get(matter, case.closed_at), case.closed_at)
    applied = []
    for case, matter, _ in found:
        earlier = closed.get(matter)
        if case.status not in _OPEN or earlier is None or earlier > case.opened_at:
            continue
        rise = levels.closed_matter_rise(
            level_of(case), matter_closed=True, at=_answered_time(session, case) or case.opened_at
        )
        if rise is not None and apply(session, case, rise, now):
            applied.append((case, rise))
    return applied


def apply(session: Session, case: Case, rise: Rise, now: datetime) -> bool:
    """Raise the case's level by ``rise`` once (a claim per case and rule): on the timeline
    with the rule, the owners told. False when it applied already or the level is as high."""
    assert case.id is not None
    previous = level_of(case)
    if rise.level <= previous:
        return False
    if not deadlines.claim_run(session, "rise", f"case:{case.id}", rise.rule.id, now):
        return False
    case.classification = rise.level.key
    case.updated_at = now
    session.add(case)
    cases.add_event(
        session,
        case,
        "classification_rose",
        actor_id=None,
        now=now,
        data={
            "from": previous.key,
            "to": rise.level.key,
            "rule": rise.rule.id,
            "source": rise.rule.source,
            "seed": rise.rule.seed,
            "applied_at": rise.at.isoformat(),
        },
    )
    _tell_owners(session, case, rise, now)
    return True


def _tell_owners(session: Session, case: Case, rise: Rise, now: datetime) -> None:
    assert case.id is not None
    site = sites.get(session, case.site_id)
    rows = deadlines.of_case(session, case.id)
    owners = sorted({row.owner_id for row in rows if row.owner_id is not None})
    if not owners:
        roles = sorted({role for row in rows for role in row.roles}) or list(_TELL_BY_DEFAULT)
        found = alerts.recipients(session, site, ChainStep(roles=roles), now, exclude=None)
        owners = found.staff
    for staff_id in owners:
        outbox.enqueue(
            session,
            key=f"rise:{case.id}:{rise.rule.id}:s{staff_id}",
            site_id=case.site_id,
            kind=DeliveryKind.NOTICE,
            message="case_rose",
            params={"case": case.id, "rule": rise.rule.id, "to": rise.level.key},
            now=now,
            staff_id=staff_id,
            case_id=case.id,
        )


def _matters(session: Session, site_id: int, since: datetime) -> list[tuple[Case, str, str]]:
    """(case, matter, complainant) of the site's cases opened since ``since`` that name one."""
    query = (
        select(Case, Answer)
        .join(Answer, col(Answer.case_id) == col(Case.id))
        .where(
            Case.site_id == site_id,
            col(Case.opened_at) >= since,
            Answer.step_id == MATTER_STEP,
            col(Answer.superseded_at).is_(None),
            col(Answer.skipped).is_(False),
        )
        .order_by(col(Case.id))
    )
    found = []
    for case, answer in session.exec(query).all():
        matter = str(answer.value or "").strip().lower()
        if matter:
            found.append((case, matter, _complainant(session, case)))
    return found


def _complainant(session: Session, case: Case) -> str:
    """Who complained, as a stable identity: their contact, else name, else unit; a case that
    names nobody counts as a person of its own."""
    assert case.id is not None
    answer = cases.current_answers(session, case.id).get(COMPLAINANT_STEP)
    value: Any = answer.value if answer is not None and not answer.skipped else None
    people = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
    for person in people:
        for field in ("contact", "name", "unit"):
            text = str(person.get(field) or "").strip().lower()
            if text:
                return f"{field}:{text}"
    if isinstance(value, str) and value.strip():
        return f"text:{value.strip().lower()}"
    return f"case:{case.id}"


def _answered_time(session: Session, case: Case) -> datetime | None:
    assert case.id is not None
    answer = cases.current_answers(session, case.id).get(RECEIVED_STEP)
    if answer is None or answer.skipped:
        return None
    try:
        moment = datetime.fromisoformat(str(answer.value))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
