"""The playbook groups: a procedure's ``group``, the menu's first choice, ``flows show``."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_


@dataclass(frozen=True)
class Group:
    id: str
    label: str  # an English msgid, translated where it is shown
    icon: str


GROUPS: dict[str, Group] = {
    group.id: group
    for group in (
        Group("security", N_("Security"), "🛡"),
        Group("hotel", N_("Hotel emergencies"), "🏨"),
        Group("complaints", N_("Complaints"), "📣"),
        Group("drills", N_("Drills"), "🧯"),
        Group("other", N_("Other"), "📋"),
    )
}
DEFAULT_GROUP = "other"


def check_group(value: str) -> str:
    if value not in GROUPS:
        raise ValueError(f"group must be one of: {', '.join(GROUPS)}")
    return value
