"""Who may plan, move, cancel and run drills."""

from __future__ import annotations

from bot.drills.models import Drill
from bot.staff.models import Staff

COORDINATORS = ("drill_coordinator", "manager", "general_manager", "admin")


def may_coordinate(staff: Staff) -> bool:
    return staff.active and any(role in staff.roles for role in COORDINATORS)


def may_run(staff: Staff, drill: Drill) -> bool:
    """The site's coordinators, and the drill's own commander."""
    if staff.site_id != drill.site_id or not staff.active:
        return False
    return may_coordinate(staff) or staff.id == drill.commander_id
