"""The words and formats every report shares: statuses, levels, outcomes, roles, dates."""

from __future__ import annotations

import copy
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton

from bot.cases.states import STATUS_NAMES
from bot.i18n import N_, Translator
from bot.reports.models import Outcome, Text
from bot.staff.roles import ROLES

CASE_STATUS = STATUS_NAMES
# Complaint levels (投诉级别, catalog B1), least to most serious.
LEVELS = {
    "general": N_("General"),
    "important": N_("Important"),
    "hot": N_("Hot spot"),
    "major": N_("Major"),
}
ALERT_STATE = {
    "open": N_("waiting for an acknowledgement"),
    "acknowledged": N_("acknowledged"),
    "unanswered": N_("nobody acknowledged"),
}
OUTCOME = {
    Outcome.ON_TIME: N_("met on time"),
    Outcome.LATE: N_("met late"),
    Outcome.OVERDUE: N_("not met, overdue"),
    Outcome.OPEN: N_("not met yet"),
}


def pick(tr: Translator, text: Text | None) -> str:
    """A text for the reader: as given, or picked from a ``{"zh": …, "en": …}`` pair."""
    if not text:
        return ""
    return tr.pick(text if isinstance(text, str) else dict(text))


def in_zone(tr: Translator, timezone: str) -> Translator:
    """The same reader, with times shown in ``timezone`` (a record's site)."""
    local = copy.copy(tr)
    local.tz = ZoneInfo(timezone)
    return local


def status(tr: Translator, value: str) -> str:
    return tr._(CASE_STATUS[value]) if value in CASE_STATUS else value


def level(tr: Translator, value: str | None) -> str:
    if not value:
        return ""
    return tr._(LEVELS[value]) if value in LEVELS else value


def alert_state(tr: Translator, value: str) -> str:
    return tr._(ALERT_STATE[value]) if value in ALERT_STATE else value


def outcome(tr: Translator, value: Outcome) -> str:
    return tr._(OUTCOME[value])


def roles(tr: Translator, ids: tuple[str, ...]) -> str:
    return tr.join(tr._(ROLES[role]) if role in ROLES else role for role in ids)


def period(tr: Translator, year: int, month: int) -> str:
    """ "November 2026", "2026年11月"."""
    return format_skeleton("yMMMM", date(year, month, 1), locale=Locale.parse(tr.locale))


def day(tr: Translator, value: date) -> str:
    """ "Nov 30, 2026", "2026年11月30日"."""
    return format_date(value, "medium", locale=Locale.parse(tr.locale))


def short_day(tr: Translator, value: date) -> str:
    """A date, short, for a table cell: "2026/11/30", "11/30/2026"."""
    return format_skeleton("yMd", value, locale=Locale.parse(tr.locale))


def when(tr: Translator, value: datetime) -> str:
    """An instant in the reader's zone and language: "2026年11月22日 22:30:00"."""
    return tr.datetime(value)


def stamp(tr: Translator, value: datetime) -> str:
    """An instant, short, for a table cell: "2026/11/22 23:05", "11/22/2026 23:05"."""
    locale = Locale.parse(tr.locale)
    return (
        f"{format_skeleton('yMd', value, tzinfo=tr.tz, locale=locale)} "
        f"{format_skeleton('Hm', value, tzinfo=tr.tz, locale=locale)}"
    )


def heading(tr: Translator, text: str) -> str:
    """A section heading as the readers' forms write one: 【…】 in Chinese."""
    return f"【{text}】" if tr.chinese else text
