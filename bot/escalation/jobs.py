"""What the scheduler runs for escalation: climb every alert whose next round is due.

Several instances may tick at once: each alert is locked while it is advanced (``SKIP LOCKED``
on PostgreSQL), so a round is pinged once. Alerts that fell due while the bot was down are
advanced by the first tick after start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from bot.cases import service as cases
from bot.clock import Clock
from bot.escalation import service as alerts
from bot.escalation.chains import EscalationSettings
from bot.maintenance import drain
from bot.sites import service as sites
from bot.storage.db import Database

log = logging.getLogger(__name__)
BATCH = 50


async def climb_due_alerts(
    db: Database,
    clock: Clock,
    settings: EscalationSettings,
    group_of: Callable[[str], str],
    on_outbox: Callable[[], None] | None = None,
) -> int:
    """Advance every due alert once; how many were advanced."""

    def batch(session: Session) -> int:
        return climb(session, now=clock.now(), settings=settings, group_of=group_of)

    total = await drain(db, batch, size=BATCH, on_outbox=on_outbox)
    if total:
        log.info("advanced %d alert(s)", total)
    return total


def climb(
    session: Session,
    *,
    now: datetime,
    settings: EscalationSettings,
    group_of: Callable[[str], str],
) -> int:
    """One batch of due alerts advanced in one transaction; how many."""
    due = alerts.claim_due(session, now, BATCH)
    for alert in due:
        case = cases.get(session, alert.case_id)
        site = sites.get(session, alert.site_id)
        if not alert.chain:  # recorded before escalation existed: choose its chain now
            alert.chain = settings.chain_name(site.code, group_of(case.playbook_id), None)
            chain = settings.chain(site.code, alert.chain)
            alert.chain_start = chain.start_after(alert.roles)
        alerts.advance(session, alert, case, site, settings, now)
    return len(due)
