"""Who may do what: checked by the engine on every event, never taken from a button."""

from __future__ import annotations

from bot.cases.models import Case
from bot.staff.models import Staff

ADMIN = "admin"


def is_admin(member: Staff) -> bool:
    return member.active and ADMIN in member.roles


def may_work_on(member: Staff, case: Case) -> bool:
    """A report in progress belongs to its reporter, at the reporter's current site."""
    return member.active and case.site_id == member.site_id and case.reporter_id == member.id
