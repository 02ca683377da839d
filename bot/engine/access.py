"""People the bot does not know: strangers, invite links, request links, requests for access.

A stranger learns nothing about any case or site: every answer here is one of a few fixed
sentences. Tries at codes (invite or request links, right or wrong) are rate limited per
Telegram user (``staff/attempts.py``); a try that comes too soon is refused before the code is
looked at.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.engine import commands
from bot.engine.context import Ctx
from bot.engine.incoming import Incoming, Kind
from bot.engine.outgoing import Outgoing
from bot.i18n import Translator, supported_locale
from bot.staff import attempts, invites, request_links, requests
from bot.staff import service as staff_service
from bot.staff.models import Staff
from bot.staff.roles import ROLES


def _start_payload(incoming: Incoming) -> str | None:
    """What follows ``/start`` (a deep link's payload), if anything."""
    if incoming.kind is Kind.COMMAND and incoming.command == "start" and incoming.args:
        return incoming.args.split()[0]
    return None


def invite_code(incoming: Incoming) -> str | None:
    """The code of a ``/start CODE`` invite link (a request link's payload is none)."""
    payload = _start_payload(incoming)
    return None if payload is None or request_links.token_of(payload) is not None else payload


def request_token(incoming: Incoming) -> str | None:
    """The token of a ``/start ask_TOKEN`` request link."""
    payload = _start_payload(incoming)
    return None if payload is None else request_links.token_of(payload)


def join(session: Session, incoming: Incoming, code: str, now: datetime) -> Staff | None:
    """Redeem an invite: the new (or restored) staff member, or None for a code that fails or a
    try that comes too soon (:func:`stranger` then says which)."""
    user = incoming.user
    if not attempts.admit(session, user.telegram_id, now):
        return None
    invite = invites.claim(session, code, now)
    if invite is None:
        return None
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
    """The answer to someone who is not (or no longer) staff, in a private chat."""
    telegram_id = incoming.user.telegram_id
    token = request_token(incoming)
    if bad_code:
        retry = attempts.refused_until(session, telegram_id, now)
        text = _too_soon(tr, retry) if retry is not None else _bad_invite(tr)
    elif token is not None:
        text = _ask(session, incoming, token, tr, now)
    elif incoming.kind is Kind.COMMAND and incoming.command == "request":
        if requests.pending_for(session, telegram_id) is not None:
            text = _waiting(tr)
        else:
            text = tr._(
                "To ask for access, open your site's request link: your supervisor or the "
                "security office can give it to you. Or ask your administrator for an invite "
                "link."
            )
    else:
        text = tr._(
            "Hello! This bot is for registered security and hotel staff only. Please ask your "
            "administrator for an invite link, or your site for its request link."
        )
    return [Outgoing(text=text)]


def _ask(session: Session, incoming: Incoming, token: str, tr: Translator, now: datetime) -> str:
    """A request link was opened: file a request for its site (one pending per site)."""
    user = incoming.user
    if not attempts.admit(session, user.telegram_id, now):
        retry = attempts.refused_until(session, user.telegram_id, now)
        assert retry is not None
        return _too_soon(tr, retry)
    site_id = request_links.site_of(session, token)
    if site_id is None:
        return tr._(
            "This request link cannot be used: it was replaced or it is incomplete. Please ask "
            "your site for its current link."
        )
    _, new = requests.ask(
        session,
        telegram_id=user.telegram_id,
        site_id=site_id,
        name=user.display_name,
        username=user.username,
        language=user.language_code,
        now=now,
    )
    if new:
        return tr._(
            "Thank you. Your request has been passed to the administrators; they will contact you."
        )
    return _waiting(tr)


def _waiting(tr: Translator) -> str:
    return tr._("Your request is already with the administrators. Thank you for waiting.")


def _bad_invite(tr: Translator) -> str:
    return tr._(
        "This invite link cannot be used: it was used already, it has expired or it is "
        "incomplete. Please ask your administrator for a new one."
    )


def _too_soon(tr: Translator, retry: datetime) -> str:
    return tr._("Too many attempts. Please try again at {time}.", time=tr.time(retry, "short"))


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
