"""A case's states and how each reads: plain values, no database (reports and exports use them)."""

from __future__ import annotations

from enum import StrEnum

from bot.i18n import N_


class CaseStatus(StrEnum):
    IN_PROGRESS = "in_progress"  # the reporter is answering their part, step by step
    REPORTED = "reported"  # the reporter's part is submitted; nobody has taken up the rest
    IN_FOLLOW_UP = "in_follow_up"  # someone works on a follow-up task (or it was reopened)
    CLOSED = "closed"  # closed by a role the procedure names
    CANCELLED = "cancelled"  # abandoned, with its reason; kept, never deleted


# A case still wants something of someone; closed and cancelled cases are done.
OPEN_STATES = frozenset({CaseStatus.IN_PROGRESS, CaseStatus.REPORTED, CaseStatus.IN_FOLLOW_UP})
# How each state reads, wherever a case is listed, shown or exported.
STATUS_NAMES: dict[str, str] = {
    CaseStatus.IN_PROGRESS: N_("in progress"),
    CaseStatus.REPORTED: N_("reported"),
    CaseStatus.IN_FOLLOW_UP: N_("in follow-up"),
    CaseStatus.CLOSED: N_("closed"),
    CaseStatus.CANCELLED: N_("cancelled"),
    # Before follow-up existed a submitted report was "completed": now "reported".
    "completed": N_("reported"),
}
