"""What the scheduler runs for clocks: reminders and breaches, level rises, and the site's
recurring jobs (night rounds, complaint box, morning digest, monthly statistics).

Several instances may tick at once on one database: a deadline is locked while it fires
(``SKIP LOCKED``) and its reminder and breach are marked by a conditional UPDATE; a rise and a
recurring job are claimed by inserting a ``job_runs`` row with a unique key; every outbox row
has a unique key. So each is done once. What fell due while the bot was down is done by the
first tick after start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlmodel import Session

from bot.cases import service as cases
from bot.cases.models import Case
from bot.clock import Clock
from bot.deadlines import rises, schedules
from bot.deadlines import service as deadlines
from bot.deadlines import settings as clock_settings
from bot.deadlines.models import Deadline
from bot.deadlines.specs import Kind, Span
from bot.delivery import service as outbox
from bot.delivery.models import DeliveryKind
from bot.escalation import service as alerts
from bot.escalation.chains import ChainStep, EscalationSettings
from bot.escalation.hours import quiet_until
from bot.maintenance import Tick, drain
from bot.sites import service as sites
from bot.sites.models import Site
from bot.storage.db import Database

log = logging.getLogger(__name__)
BATCH = 50
RISE_SECONDS = 60.0
SCHEDULE_SECONDS = 30.0
NIGHT_CHECK_PLAYBOOK = "night_post_check"  # a round is reported as a case of this procedure
ROUND_ROLE = "guard"  # A5: the night guard on duty walks the rounds
ROUND_FLAG_ROLE = "foreman"  # a missed round is flagged to the foreman
BOX_ROLE = "complaint_officer"  # B3: the complaint box is opened daily
STATISTICS_ROLES = ("complaint_officer", "manager")  # B2/B15: the monthly summary
# A round reported up to this long before its time counts for it.
ROUND_EARLY = timedelta(minutes=30)
LATE_LIMIT = {
    "night_round": timedelta(hours=1),
    "round_check": timedelta(hours=6),
    "complaint_box": timedelta(hours=12),
    "digest": timedelta(hours=12),
    "statistics": timedelta(days=10),
}
# "Overnight" in the morning digest: what came in since this hour of the evening before.
OVERNIGHT_FROM = timedelta(hours=12)


# -- reminders and breaches ---------------------------------------------------------------------


async def fire_due_deadlines(
    db: Database,
    clock: Clock,
    settings: EscalationSettings,
    group_of: Callable[[str], str],
    on_outbox: Callable[[], None] | None = None,
) -> int:
    """Remind and ping every deadline that is due to; how many fired."""

    def batch(session: Session) -> int:
        return fire(session, now=clock.now(), settings=settings, group_of=group_of)

    total = await drain(db, batch, size=BATCH, on_outbox=on_outbox)
    if total:
        log.info("fired %d deadline reminder(s) or breach(es)", total)
    return total


def fire(
    session: Session,
    *,
    now: datetime,
    settings: EscalationSettings,
    group_of: Callable[[str], str],
) -> int:
    """One batch in one transaction; how many deadlines fired."""
    rows = deadlines.claim_due(session, now, BATCH)
    for row in rows:
        case = cases.get(session, row.case_id)
        site = sites.get(session, case.site_id)
        overdue = row.kind == Kind.DUE_BY and row.due_at is not None and row.due_at <= now
        if row.reminded_at is None and row.remind_at is not None and row.remind_at <= now:
            if overdue:  # past due already (the bot was down): the breach says it all
                deadlines.mark(session, row, "reminded_at", now)
            else:
                remind(session, row, case, site, settings, now)
        if overdue and row.breached_at is None:
            breach(session, row, case, site, settings, group_of, now)
    return len(rows)


def remind(
    session: Session,
    row: Deadline,
    case: Case,
    site: Site,
    settings: EscalationSettings,
    now: datetime,
) -> bool:
    """Remind the owner (else the holders of its roles) once. A reminder that can wait is held
    through the quiet hours: it goes out at their end when the clock is not due before."""
    if not deadlines.mark(session, row, "reminded_at", now):
        return False
    staff, chats = _owners(session, row, site, now)
    held = quiet_until(now, site.timezone, settings.quiet(site.code))
    if held is not None and row.due_at is not None and row.kind == Kind.DUE_BY:
        held = held if held < row.due_at else None
    for staff_id in staff:
        _send(session, row, case, "deadline_reminder", f"s{staff_id}", now, held, staff_id=staff_id)
    for chat_id in chats:
        _send(session, row, case, "deadline_reminder", f"c{chat_id}", now, held, chat_id=chat_id)
    cases.add_event(
        session,
        case,
        "deadline_reminded",
        actor_id=None,
        now=now,
        data={
            "deadline": row.id,
            "key": row.key,
            "title": row.title,
            "staff": staff,
            "chats": chats,
        },
    )
    return True


def breach(
    session: Session,
    row: Deadline,
    case: Case,
    site: Site,
    settings: EscalationSettings,
    group_of: Callable[[str], str],
    now: datetime,
) -> bool:
    """At the breach: the owner is told, and an alert climbs the site's chain from the clock's
    roles (reusing escalation: acknowledgements, repeats, quiet hours for "day" levels)."""
    if not deadlines.mark(session, row, "breached_at", now):
        return False
    if row.owner_id is not None:
        _send(
            session,
            row,
            case,
            "deadline_breached",
            f"s{row.owner_id}",
            now,
            None,
            staff_id=row.owner_id,
        )
    roles = [row.owner_role] if row.owner_role else list(row.roles)
    alert_id = None
    if roles:
        title = row.title or {"en": row.key}
        alert = alerts.raise_alert(
            session,
            case=case,
            site=site,
            step_id=row.until_step or row.key,
            roles=roles,
            message={
                "zh": f"已超时：{title.get('zh') or title.get('en', '')}",
                "en": f"Overdue: {title.get('en') or title.get('zh', '')}",
            },
            facts=[],
            chain=settings.chain_name(site.code, group_of(case.playbook_id), None),
            urgent=_urgent(row),
            # The owner was told above; the chain pings the others.
            actor_id=row.owner_id,
            now=now,
            settings=settings,
        )
        alert_id = alert.id
    cases.add_event(
        session,
        case,
        "deadline_breached",
        actor_id=None,
        now=now,
        data={
            "deadline": row.id,
            "key": row.key,
            "title": row.title,
            "owner": row.owner_id,
            "alert": alert_id,
        },
    )
    return True


# -- rises --------------------------------------------------------------------------------------


async def raise_levels(
    db: Database, clock: Clock, on_outbox: Callable[[], None] | None = None
) -> int:
    """Apply every level rise due (age, repeats, closed matter); how many applied."""
    return await _once(
        db, partial(rise, now=clock.now()), "raised the level of %d complaint(s)", on_outbox
    )


def rise(session: Session, *, now: datetime) -> int:
    total = 0
    for site in sites.all_sites(session):
        total += len(rises.rise_by_closed_matter(session, site, now))
        total += len(rises.rise_by_repeats(session, site, now))
    for case in rises.age_candidates(session):
        total += len(rises.rise_by_age(session, case, now))
    return total


# -- recurring jobs -----------------------------------------------------------------------------


async def run_schedules(
    db: Database, clock: Clock, on_outbox: Callable[[], None] | None = None
) -> int:
    """Do every recurring job due at every site (each once); how many runs."""
    return await _once(
        db, partial(scheduled, now=clock.now()), "ran %d scheduled job(s)", on_outbox
    )


async def _once(
    db: Database,
    work: Callable[[Session], int],
    done: str,
    on_outbox: Callable[[], None] | None,
) -> int:
    """Run a job's one unit of work; log ``done`` with its count and wake the sender when it
    did anything (its messages are in the outbox)."""
    count = await db.run(work)
    if count:
        log.info(done, count)
        if on_outbox is not None:
            on_outbox()
    return count


def scheduled(session: Session, *, now: datetime) -> int:
    done = 0
    for site in sites.all_sites(session):
        done += _site_schedules(session, site, now)
    return done


def _site_schedules(session: Session, site: Site, now: datetime) -> int:
    assert site.id is not None
    own = clock_settings.of(site)
    tz, scope, done = site.timezone, f"site:{site.id}", 0

    def claim(job: str, occurrence: schedules.Occurrence) -> bool:
        if now - occurrence.at > LATE_LIMIT[job]:
            return False
        return deadlines.claim_run(session, job, scope, occurrence.period, now)

    for at in own.night_rounds:
        occurrence = schedules.round_of(now, tz, at)
        if claim("night_round", occurrence):
            _tell(session, site, (ROUND_ROLE,), "night_round", occurrence, now)
            done += 1
        checked = schedules.round_of(now - own.round_grace, tz, at)
        if now - checked.at >= own.round_grace and claim("round_check", checked):
            start, end = checked.at - ROUND_EARLY, checked.at + own.round_grace
            if not deadlines.cases_opened(session, site.id, NIGHT_CHECK_PLAYBOOK, start, end):
                _tell(session, site, (ROUND_FLAG_ROLE,), "round_missed", checked, now)
            done += 1
    box = schedules.daily(now, tz, own.box_at)
    if claim("complaint_box", box):
        _tell(session, site, (BOX_ROLE,), "complaint_box", box, now)
        done += 1
    digest = schedules.daily(now, tz, own.digest_at)
    if claim("digest", digest):
        _tell(
            session,
            site,
            own.digest_roles,
            "morning_digest",
            digest,
            now,
            extra=_digest(session, site, digest.at, now),
        )
        done += 1
    month = schedules.monthly(now, tz, own.statistics_at)
    if claim("statistics", month):
        _tell(
            session,
            site,
            STATISTICS_ROLES,
            "monthly_statistics",
            month,
            now,
            extra={"month": schedules.previous_month(month.period)},
        )
        done += 1
    return done


def _digest(session: Session, site: Site, at: datetime, now: datetime) -> dict[str, Any]:
    """What is due today, what is overdue, what came in overnight: facts for the renderer."""
    assert site.id is not None
    calendar = clock_settings.of(site).calendar
    today = calendar.local_date(at)
    start, end = calendar.start_of_day(today), calendar.end_of_day(today)

    def item(row: Deadline, case: Case) -> dict[str, Any]:
        due = row.due_at.isoformat() if row.due_at else None
        return {"case": case.id, "number": case.number, "title": row.title, "due": due}

    late = deadlines.overdue(session, site.id, now)
    due_today = [item(d, c) for d, c in deadlines.due_between(session, site.id, start, end)]
    overnight = deadlines.cases_opened(session, site.id, None, at - OVERNIGHT_FROM, at)
    return {
        "due_today": due_today,
        "overdue": [item(d, c) for d, c in late],
        "overnight": [
            {"case": c.id, "number": c.number, "playbook": c.playbook_id} for c in overnight
        ],
    }


def _tell(
    session: Session,
    site: Site,
    roles: tuple[str, ...],
    message: str,
    occurrence: schedules.Occurrence,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> None:
    """A scheduled message to whoever holds (or is on duty for) ``roles``, each once."""
    assert site.id is not None
    found = alerts.recipients(session, site, ChainStep(roles=list(roles)), now, exclude=None)
    params = {"at": occurrence.at.isoformat(), **(extra or {})}
    for staff_id in found.staff:
        outbox.enqueue(
            session,
            key=f"{message}:{site.id}:{occurrence.period}:s{staff_id}",
            site_id=site.id,
            kind=DeliveryKind.DIGEST if message == "morning_digest" else DeliveryKind.REMINDER,
            message=message,
            params=params,
            now=now,
            staff_id=staff_id,
        )
    if not found.staff:
        log.warning("%s at site %s reached nobody (roles %s)", message, site.code, roles)


# -- inside -------------------------------------------------------------------------------------


def _owners(
    session: Session, row: Deadline, site: Site, now: datetime
) -> tuple[list[int], list[int]]:
    if row.owner_id is not None:
        return [row.owner_id], []
    roles = [row.owner_role] if row.owner_role else list(row.roles)
    if not roles:
        return [], []
    found = alerts.recipients(session, site, ChainStep(roles=roles), now, exclude=None)
    return found.staff, found.chats


def _send(
    session: Session,
    row: Deadline,
    case: Case,
    message: str,
    who: str,
    now: datetime,
    due: datetime | None,
    *,
    staff_id: int | None = None,
    chat_id: int | None = None,
) -> None:
    outbox.enqueue(
        session,
        key=f"deadline:{row.id}:{message}:{who}",
        site_id=case.site_id,
        kind=DeliveryKind.REMINDER,
        message=message,
        params={"deadline": row.id},
        now=now,
        staff_id=staff_id,
        chat_id=chat_id,
        case_id=case.id,
        due=due,
    )


def _urgent(row: Deadline) -> bool:
    """A clock of minutes or hours is urgent at its breach; a day-based one waits for day."""
    return row.span is not None and Span.parse(row.span).elapsed is not None


def ticks(
    db: Database,
    clock: Clock,
    settings: EscalationSettings,
    group_of: Callable[[str], str],
    on_outbox: Callable[[], None] | None = None,
) -> list[Tick]:
    """The clocks' jobs for ``dutybot run``: deadlines as often as alerts climb, rises and the
    recurring jobs every minute (their claims make a second instance's run a no-op)."""

    async def due() -> int:
        return await fire_due_deadlines(db, clock, settings, group_of, on_outbox)

    async def levels() -> int:
        return await raise_levels(db, clock, on_outbox)

    async def recurring() -> int:
        return await run_schedules(db, clock, on_outbox)

    return [
        Tick("fire_due_deadlines", settings.tick_seconds, due),
        Tick("raise_levels", RISE_SECONDS, levels),
        Tick("run_schedules", SCHEDULE_SECONDS, recurring),
    ]
