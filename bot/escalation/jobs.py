"""What the scheduler runs for escalation: climb every alert whose next round is due.

Several instances may tick at once: each alert is locked while it is advanced (``SKIP LOCKED``
on PostgreSQL), so a round is pinged once. Alerts that fell due while the bot was down are
advanced by the first tick after start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.cases import service as cases
from bot.clock import Clock
from bot.escalation import service as alerts
from bot.escalation.chains import EscalationSettings
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
    total = 0
    while True:
        now = clock.now()
        async with db.transaction() as session:
            due = await alerts.claim_due(session, now, BATCH)
            for alert in due:
                case = await cases.get(session, alert.case_id)
                site = await sites.get(session, alert.site_id)
                if not alert.chain:  # recorded before escalation existed: choose its chain now
                    alert.chain = settings.chain_name(site.code, group_of(case.playbook_id), None)
                    chain = settings.chain(site.code, alert.chain)
                    alert.chain_start = chain.start_after(alert.roles)
                await alerts.advance(session, alert, case, site, settings, now)
        total += len(due)
        if due and on_outbox is not None:
            on_outbox()
        if len(due) < BATCH:
            break
    if total:
        log.info("advanced %d alert(s)", total)
    return total
