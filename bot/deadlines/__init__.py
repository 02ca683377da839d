"""Deadline clocks as the rules mean them: the site calendar, clock specs, due and reminder times,
clock status with pauses and extensions, B1's level rises, and the rules' default clocks.

Pure functions and frozen values: no database, no engine. Callers store starts, pauses,
extensions and met times as plain values and ask these functions again.

Beside them (not imported here): the stored side — ``models`` (deadline rows, job runs),
``service`` (every statement about them, and the engine's hooks), ``settings`` (a site's
clock settings), ``rises`` (B1's rises on stored complaints), ``jobs`` (the scheduler's ticks)
and ``messages`` (what their deliveries say).
"""

from bot.deadlines.calendar import (
    DayKind,
    SiteCalendar,
    WorkingHours,
    official_calendar_covers,
)
from bot.deadlines.clocks import (
    State,
    Status,
    add_months,
    clock_start,
    due,
    paused,
    remind_at,
    resumed,
    status,
)
from bot.deadlines.specs import (
    DayReading,
    DeadlineSpec,
    Extension,
    Kind,
    Pause,
    Span,
    Unit,
)

__all__ = [
    "DayKind",
    "DayReading",
    "DeadlineSpec",
    "Extension",
    "Kind",
    "Pause",
    "SiteCalendar",
    "Span",
    "State",
    "Status",
    "Unit",
    "WorkingHours",
    "add_months",
    "clock_start",
    "due",
    "official_calendar_covers",
    "paused",
    "remind_at",
    "resumed",
    "status",
]
