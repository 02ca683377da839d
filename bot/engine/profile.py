"""What a staff member can ask about or change for themselves: /whoami, /lang."""

from __future__ import annotations

from bot.engine import commands
from bot.engine.context import Ctx
from bot.engine.screen import Screen
from bot.engine.steps.base import fold
from bot.i18n import LANGUAGE_NAMES, Catalogs
from bot.i18n import LANGUAGES as ALL_LANGUAGES
from bot.staff import service as staff_service
from bot.staff.roles import ROLES

LANGUAGES = LANGUAGE_NAMES
# What a person may type after /lang.
_TYPED = {word: language.locale for language in ALL_LANGUAGES for word in language.typed}


def whoami(ctx: Ctx) -> None:
    tr = ctx.tr
    member = ctx.staff
    roles = tr.join(tr._(ROLES[r]) for r in member.roles if r in ROLES)
    lines = [
        tr._("Name: {name}", name=member.name),
        tr._("Role: {roles}", roles=roles),
        tr._("Site: {site}", site=ctx.site.name),
        tr._("Telegram id: {id}", id=member.telegram_id),
        tr._("Language: {language}", language=LANGUAGES.get(tr.locale, tr.locale)),
    ]
    ctx.say("\n".join(lines))


def parse_language(typed: str) -> str | None:
    return _TYPED.get(fold(typed).replace("-", "_"))


def offer(ctx: Ctx) -> None:
    """The language picker."""
    tr = ctx.tr
    screen = Screen(text=tr._("Choose your language."), title=tr._("Language"))
    screen.row(*((name, f"lang:{locale}") for locale, name in LANGUAGES.items()))
    screen.row((tr._("← Menu"), "menu:home"))
    ctx.conv.screen = "menu"
    ctx.show(screen)


def set_language(ctx: Ctx, locale: str, catalogs: Catalogs) -> None:
    if locale not in LANGUAGES:  # a forged or outdated button: keep the language as it is
        ctx.say(ctx.tr._("That button is no longer active."))
        return
    staff_service.set_locale(ctx.session, ctx.staff, locale)
    ctx.tr = catalogs.translator(locale, ctx.site.timezone)
    ctx.say(ctx.tr._("Language set to {language}.", language=LANGUAGES[locale]))
    ctx.commands = commands.for_roles(ctx.tr, ctx.staff.roles)
