"""Administrators in chat: invite staff, answer access requests. Rights are checked each time."""

from __future__ import annotations

from datetime import timedelta

from bot.engine.context import Ctx
from bot.engine.screen import Screen, ScreenName
from bot.i18n import supported_locale
from bot.staff import invites, requests
from bot.staff import service as staff_service
from bot.staff.access import is_admin
from bot.staff.roles import ROLES


def allowed(ctx: Ctx) -> bool:
    if is_admin(ctx.staff):
        return True
    ctx.say(ctx.tr._("That is for administrators only."))
    return False


def home(ctx: Ctx) -> None:
    tr = ctx.tr
    waiting = requests.count_pending(ctx.session)
    screen = Screen(
        text=tr.n_("{n} access request is waiting.", "{n} access requests are waiting.", waiting),
        title=tr._("Staff access"),
    )
    screen.row((tr._("➕ Invite a staff member"), "admin:invite"))
    screen.row((tr._("👥 Access requests ({n})", n=waiting), "admin:requests"))
    screen.row((tr._("← Menu"), "menu:home"))
    ctx.conv.screen = ScreenName.MENU
    ctx.show(screen)


def pick_role(ctx: Ctx, prefix: str, text: str) -> None:
    """Role buttons; each runs ``{prefix}{role}``."""
    tr = ctx.tr
    screen = Screen(text=text, title=tr._("Staff access"))
    names = list(ROLES)
    for start in range(0, len(names), 2):
        screen.row(*((tr._(ROLES[r]), f"{prefix}{r}") for r in names[start : start + 2]))
    screen.row((tr._("← Back"), "admin:home"))
    ctx.conv.screen = ScreenName.MENU
    ctx.show(screen)


def invite(ctx: Ctx, role: str, valid_for: timedelta, bot_username: str | None) -> None:
    tr = ctx.tr
    if role not in ROLES:
        pick_role(ctx, "inv:", tr._("Which role will the new staff member have?"))
        return
    assert ctx.site.id is not None
    code, row = invites.create(
        ctx.session,
        role=role,
        site_id=ctx.site.id,
        created_by=ctx.staff_id,
        valid_for=valid_for,
        now=ctx.now,
    )
    ctx.say(
        tr._(
            "Invite for a {role} at {site}. It works once and expires {when}. Send this link "
            "to the person:",
            role=tr._(ROLES[role]),
            site=ctx.site.name,
            when=tr.datetime(row.expires_at, "short"),
        )
        + "\n"
        + invites.link(code, bot_username)
    )
    home(ctx)


def pending(ctx: Ctx) -> None:
    tr = ctx.tr
    rows = requests.pending(ctx.session)
    if not rows:
        ctx.say(tr._("No access requests are waiting."))
        home(ctx)
        return
    lines = []
    screen = Screen(text="", title=tr._("Access requests"))
    for number, row in enumerate(rows, 1):
        handle = f" @{row.username}" if row.username else ""
        when = tr.datetime(row.created_at, "short")
        lines.append(f"{number}. {row.name}{handle} · {row.telegram_id} · {when}")
        screen.row(
            (tr._("✓ Approve {n}", n=number), f"req:{row.id}"),
            (tr._("✗ Dismiss {n}", n=number), f"req:{row.id}:no"),
        )
    screen.text = "\n".join(lines)
    screen.row((tr._("← Back"), "admin:home"))
    ctx.conv.screen = ScreenName.MENU
    ctx.show(screen)


def on_request(ctx: Ctx, action: str) -> None:
    """``req:ID`` (choose a role), ``req:ID:no`` (dismiss), ``req:ID:as:ROLE`` (approve)."""
    tr = ctx.tr
    parts = action.split(":")
    row = requests.get(ctx.session, int(parts[1]))
    if row is None or row.status != requests.PENDING:
        ctx.say(tr._("That request was answered already."))
        pending(ctx)
        return
    if len(parts) == 2:
        pick_role(ctx, f"req:{row.id}:as:", tr._("Approve {name} as:", name=row.name))
        return
    if parts[2] == "no":
        requests.close(ctx.session, row, "dismissed", by=ctx.staff_id, now=ctx.now)
        ctx.say(tr._("Request of {name} dismissed.", name=row.name))
        pending(ctx)
        return
    role = parts[3] if len(parts) == 4 else ""
    if role not in ROLES:
        pick_role(ctx, f"req:{row.id}:as:", tr._("Approve {name} as:", name=row.name))
        return
    existing = staff_service.by_telegram_id(ctx.session, row.telegram_id)
    if existing is not None and existing.active:
        ctx.say(tr._("{name} is registered already.", name=existing.name))
    else:
        assert ctx.site.id is not None
        staff_service.enrol(
            ctx.session,
            telegram_id=row.telegram_id,
            name=row.name,
            role=role,
            site_id=ctx.site.id,
            locale=supported_locale(row.language),
            now=ctx.now,
        )
        ctx.say(
            tr._(
                "{name} can now use the bot as {role} at {site}. Ask them to send /start.",
                name=row.name,
                role=tr._(ROLES[role]),
                site=ctx.site.name,
            )
        )
    requests.close(ctx.session, row, "approved", by=ctx.staff_id, now=ctx.now)
    pending(ctx)
