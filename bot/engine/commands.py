"""The commands a person sees in their client's command menu, by role, in their language."""

from __future__ import annotations

from bot.drills.access import COORDINATORS
from bot.i18n import N_, Translator
from bot.staff.access import ADMIN, MANAGERS

Menu = tuple[tuple[str, str], ...]

# Command names follow Telegram's rule: ^[a-z0-9_]{1,32}$.
EVERYONE = (
    ("start", N_("Start")),
    ("request", N_("Ask for access")),
    ("help", N_("Help")),
)
STAFF = (
    ("start", N_("Main menu")),
    ("report", N_("Report an incident")),
    ("mine", N_("My reports")),
    ("tasks", N_("My tasks: follow-ups and reports set aside")),
    ("alerts", N_("Alerts waiting for me")),
    ("duty", N_("Who is on duty")),
    ("back", N_("Previous step")),
    ("skip", N_("Skip an optional step")),
    ("cancel", N_("Cancel the report in progress")),
    ("whoami", N_("Who am I")),
    ("lang", N_("Language: 中文 / English")),
    ("help", N_("Help")),
)
DRILLS = (
    ("drill", N_("Plan a drill")),
    ("drills", N_("The year's drills")),
)
MANAGER_COMMANDS = (
    ("today", N_("Cases opened today and still open")),
    ("open", N_("Open cases")),
    ("overdue", N_("Overdue deadlines")),
    ("case", N_("A case's whole record: /case 2612-003")),
    ("find", N_("Find cases by words or dates")),
    ("stats", N_("Statistics: week, month, year or YYYY-MM")),
    ("export", N_("PDF of a case, or CSV of a month")),
)
ADMINS = (
    ("invite", N_("Invite a staff member")),
    ("requests", N_("Access requests")),
)


def _translated(tr: Translator, entries: tuple[tuple[str, str], ...]) -> Menu:
    return tuple((name, tr._(description)) for name, description in entries)


def for_everyone(tr: Translator) -> Menu:
    return _translated(tr, EVERYONE)


def for_roles(tr: Translator, roles: list[str]) -> Menu:
    entries = (
        STAFF
        + (DRILLS if set(roles) & set(COORDINATORS) else ())
        + (ADMINS if ADMIN in roles else ())
    )
    entries += MANAGER_COMMANDS if set(roles) & MANAGERS else ()
    return _translated(tr, entries)


def help_text(tr: Translator, roles: list[str]) -> str:
    lines = [tr._("Commands:")]
    lines += [f"/{name} — {description}" for name, description in for_roles(tr, roles)]
    return "\n".join(lines)
