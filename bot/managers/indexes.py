"""The indexes the managers' queries need (migration 0010), on tables other domains own.

Declared here, next to the queries they serve, and attached to those tables' metadata when
this module is imported (bot/storage/models.py imports it), so that the models and the
migrations stay in step.
"""

from __future__ import annotations

from sqlalchemy import Index, Table

from bot.cases.models import Case, Deadline

CASES: Table = Case.__table__  # type: ignore[attr-defined]
DEADLINES: Table = Deadline.__table__  # type: ignore[attr-defined]

INDEXES = (
    # /open and the "still open" half of /today: a site's cases in a state, newest first.
    Index("ix_cases_site_status_opened", CASES.c.site_id, CASES.c.status, CASES.c.opened_at),
    # The "opened today" half of /today, /find's dates and /stats' periods.
    Index("ix_cases_site_opened", CASES.c.site_id, CASES.c.opened_at),
    # /export month: a site's month by its numbering.
    Index("ix_cases_site_period", CASES.c.site_id, CASES.c.period, CASES.c.serial),
    # /overdue: deadlines not met, by due time, with their case at hand.
    Index("ix_deadlines_status_due", DEADLINES.c.status, DEADLINES.c.due_at, DEADLINES.c.case_id),
)
