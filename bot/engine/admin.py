"""Administrators in chat: invite staff, see and cancel outstanding invites, hand out the site's
request link, answer the site's access requests. Rights are checked on every event, and every
row an action names is checked to be of the administrator's own site."""

from __future__ import annotations

from datetime import timedelta

from bot.engine.context import Ctx
from bot.engine.screen import Screen, ScreenName
from bot.i18n import supported_locale
from bot.staff import invites, request_links, requests
from bot.staff import service as staff_service
from bot.staff.access import is_admin
from bot.staff.models import Invite, Staff
from bot.staff.roles import ROLES

# Outstanding invites listed at once (each with its Cancel button).
MAX_LISTED = 10


def allowed(ctx: Ctx) -> bool:
    if is_admin(ctx.staff):
        return True
    ctx.say(ctx.tr._("That is for administrators only."))
    return False


def _site_id(ctx: Ctx) -> int:
    assert ctx.site.id is not None
    return ctx.site.id


def home(ctx: Ctx) -> None:
    tr = ctx.tr
    waiting = requests.count_pending(ctx.session, _site_id(ctx))
    open_invites = len(invites.outstanding(ctx.session, ctx.now, site_id=_site_id(ctx)))
    screen = Screen(
        text=tr.sentences(
            tr.n_("{n} access request is waiting.", "{n} access requests are waiting.", waiting),
            tr.n_("{n} invite is outstanding.", "{n} invites are outstanding.", open_invites),
        ),
        title=tr._("Staff access"),
    )
    screen.row((tr._("➕ Invite a staff member"), "admin:invite"))
    screen.row((tr._("👥 Access requests ({n})", n=waiting), "admin:requests"))
    screen.row((tr._("🎟 Outstanding invites ({n})", n=open_invites), "admin:invites"))
    screen.row((tr._("🔗 Request link"), "admin:link"))
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
    code, row = invites.create(
        ctx.session,
        role=role,
        site_id=_site_id(ctx),
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


def outstanding(ctx: Ctx) -> None:
    """The site's invites that still work: who made each, role, site, expiry, a Cancel each."""
    tr = ctx.tr
    rows = invites.outstanding(ctx.session, ctx.now, site_id=_site_id(ctx))
    if not rows:
        ctx.say(tr._("No invite is outstanding."))
        home(ctx)
        return
    screen = Screen(text="", title=tr._("Outstanding invites"))
    lines = []
    for number, (row, maker) in enumerate(rows[:MAX_LISTED], 1):
        lines.append(f"{number}. {_describe(ctx, row, maker)}")
        screen.row((tr._("✗ Cancel {n}", n=number), f"invx:{row.id}"))
    if len(rows) > MAX_LISTED:
        lines.append(
            tr._(
                "… and {n} more (`dutybot staff invites` lists them all).", n=len(rows) - MAX_LISTED
            )
        )
    screen.text = "\n".join(lines)
    screen.row((tr._("← Back"), "admin:home"))
    ctx.conv.screen = ScreenName.MENU
    ctx.show(screen)


def _describe(ctx: Ctx, row: Invite, maker: Staff | None) -> str:
    tr = ctx.tr
    role = tr._(ROLES[row.role]) if row.role in ROLES else row.role
    by = maker.name if maker is not None else tr._("the command line")
    return tr._(
        "{role} at {site}, made by {name}, expires {when}",
        role=role,
        site=ctx.site.name,
        name=by,
        when=tr.datetime(row.expires_at, "short"),
    )


def cancel_invite(ctx: Ctx, argument: str) -> None:
    """``invx:ID``: cancel an outstanding invite of the administrator's site."""
    tr = ctx.tr
    row = invites.get(ctx.session, int(argument)) if argument.isdigit() else None
    if (
        row is None
        or row.site_id != ctx.site.id
        or not invites.is_outstanding(ctx.session, row, ctx.now)
    ):
        ctx.say(tr._("That invite was used, cancelled or has expired already."))
    else:
        invites.cancel(ctx.session, row, by=ctx.staff_id, now=ctx.now)
        role = tr._(ROLES[row.role]) if row.role in ROLES else row.role
        ctx.say(tr._("Invite for a {role} cancelled: its link no longer works.", role=role))
    outstanding(ctx)


def request_link(ctx: Ctx, bot_username: str | None) -> None:
    """The site's request link, to pass on to people who should ask for access."""
    tr = ctx.tr
    link = request_links.of_site(ctx.session, _site_id(ctx), ctx.now)
    ctx.say(
        tr._(
            "Request link of {site}: whoever opens it can ask for access, and only the "
            "administrators of {site} see the request. It gives no access by itself.",
            site=ctx.site.name,
        )
        + "\n"
        + invites.link(request_links.payload(link), bot_username)
    )
    home(ctx)


def pending(ctx: Ctx) -> None:
    tr = ctx.tr
    rows = requests.pending(ctx.session, _site_id(ctx))
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
    row = requests.get(ctx.session, int(parts[1])) if parts[1:2] and parts[1].isdigit() else None
    if row is None or row.status != requests.PENDING or row.site_id != ctx.site.id:
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
        ctx.say(tr._("{name} is registered already.", name=row.name))
    else:
        staff_service.enrol(
            ctx.session,
            telegram_id=row.telegram_id,
            name=row.name,
            role=role,
            site_id=_site_id(ctx),
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
