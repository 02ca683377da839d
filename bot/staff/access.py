"""Who may do what: checked by the engine on every event, never taken from a button."""

from __future__ import annotations

from bot.cases.models import Case
from bot.staff.models import Staff

ADMIN = "admin"
# Roles that see every case of their site.
MANAGERS = frozenset({"manager", "general_manager"})


def is_admin(member: Staff) -> bool:
    return member.active and ADMIN in member.roles


def may_work_on(member: Staff, case: Case) -> bool:
    """A report in progress belongs to its reporter, at the reporter's current site."""
    return member.active and case.site_id == member.site_id and case.reporter_id == member.id


def may_see_case(member: Staff, case: Case, *, notified_roles: set[str], pinged: set[int]) -> bool:
    """Who may read a case's record: its reporter, holders of the roles its procedure notified,
    whoever its pings reached, and the site's managers; nobody of another site, nobody revoked.
    ``notified_roles`` and ``pinged`` come from ``escalation.service.involvement``."""
    if not member.active or member.site_id != case.site_id:
        return False
    if case.reporter_id == member.id or member.id in pinged:
        return True
    return bool(set(member.roles) & (MANAGERS | notified_roles))
