"""People the bot does not know: strangers, invite links, requests for access.

A stranger learns nothing about any case: every answer here is one of a few fixed sentences.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.engine import commands
from bot.engine.context import Ctx
from bot.engine.incoming import Incoming, Kind
from bot.engine.outgoing import Outgoing
from bot.i18n import Translator, supported_locale
from bot.staff import invites, requests
from bot.staff import service as staff_service
from bot.staff.models import Staff
from bot.staff.roles import ROLES


def invite_code(incoming: Incoming) -> str | None:
    """The code of a ``/start CODE`` deep link."""
    if incoming.kind is Kind.COMMAND and incoming.command == "start" and incoming.args:
        return incoming.args.split()[0]
    return None


def join(session: Session, incoming: Incoming, code: str, now: datetime) -> Staff | None:
    """Redeem an invite: the new (or restored) staff member, or None for a code that fails."""
    invite = invites.claim(session, code, now)
    if invite is None:
        return None
    user = incoming.user
    member = staff_service.enrol(
        session,
        telegram_id=user.telegram_id,
        name=(user.display_name or user.username or str(user.telegram_id))[:200],
        role=invite.role,
        site_id=invite.site_id,
        locale=supported_locale(user.language_code),
        now=now,
    )
    assert member.id is not None
    invites.mark_used(session, invite, member.id, now)
    return member


def stranger(
    session: Session, incoming: Incoming, tr: Translator, now: datetime, *, bad_code: bool
) -> list[Outgoing]:
    if bad_code:
        text = tr._(
            "This invite link cannot be used: it was used already, it has expired or it is "
            "incomplete. Please ask your administrator for a new one."
        )
    elif incoming.kind is Kind.COMMAND and incoming.command == "request":
        user = incoming.user
        _, new = requests.ask(
            session,
            telegram_id=user.telegram_id,
            name=user.display_name,
            username=user.username,
            language=user.language_code,
            now=now,
        )
        if new:
            text = tr._(
                "Thank you. Your request has been passed to the administrators; they will "
                "contact you."
            )
        else:
            text = tr._("Your request is already with the administrators. Thank you for waiting.")
    else:
        text = tr._(
            "Hello! This bot is for registered security and hotel staff only. Please ask your "
            "administrator for an invite link, or send /request to ask for access."
        )
    return [Outgoing(text=text)]


def welcome(ctx: Ctx) -> None:
    tr = ctx.tr
    roles = tr.join(tr._(ROLES[r]) for r in ctx.staff.roles if r in ROLES)
    ctx.say(
        tr._(
            "Welcome, {name}! You are now registered as {roles} at {site}.",
            name=ctx.staff.name,
            roles=roles,
            site=ctx.site.name,
        )
    )
    ctx.commands = commands.for_roles(tr, ctx.staff.roles)
