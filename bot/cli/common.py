"""What several command groups share: the usage error, finding a site, checking a role."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.i18n import Translator
from bot.sites import service as sites
from bot.staff.roles import ROLES


class UsageError(Exception):
    """A bad argument; the message, already translated, says which."""


def now() -> datetime:
    return datetime.now(UTC)


def not_empty(value: str, name: str, tr: Translator) -> str:
    if not value.strip():
        raise UsageError(tr._("{name} must not be empty.", name=name))
    return value.strip()


def check_role(role: str, tr: Translator) -> str:
    if role not in ROLES:
        raise UsageError(
            tr._("Unknown role “{role}” (known: {known}).", role=role, known=", ".join(ROLES))
        )
    return role


def role_name(role: str, tr: Translator) -> str:
    """A role's name in the reader's language (its id when the glossary does not know it)."""
    return tr._(ROLES[role]) if role in ROLES else role


def site_for(session: Any, code: str | None, tr: Translator) -> Any:
    if code:
        site = sites.by_code(session, code)
        if site is None:
            raise UsageError(
                tr._("No site “{code}” (`dutybot site list` shows the sites).", code=code)
            )
        return site
    every = sites.all_sites(session)
    if not every:
        raise UsageError(tr._("No site yet: add one with `dutybot site add CODE NAME`."))
    if len(every) != 1:
        raise UsageError(
            tr._(
                "There are {count} sites: name one with --site CODE ({codes}).",
                count=len(every),
                codes=", ".join(site.code for site in every),
            )
        )
    return every[0]
