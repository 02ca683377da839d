"""``dutybot staff invite | invites | invite-cancel | revoke | requests``: access from the
command line."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from sqlmodel import Session

from bot.app import open_database
from bot.cli.common import UsageError, check_role, role_name, site_for
from bot.cli.table import listing
from bot.config import Settings
from bot.i18n import Translator
from bot.sites import service as sites
from bot.sites.models import Site
from bot.staff import invites, requests
from bot.staff import service as staff_service
from bot.staff.models import AccessRequest, Invite, Staff
from bot.storage.migrate import ensure_current


async def access_command(args: Any, settings: Settings, tr: Translator) -> int:
    db = open_database(settings)
    now = datetime.now(UTC)
    try:
        await ensure_current(db)
        with db.transaction() as session:
            if args.staff_command == "invite":
                role = check_role(args.role, tr)
                site = site_for(session, args.site, tr)
                assert site.id is not None
                hours = args.hours or settings.access.invite_hours
                code, invite = invites.create(
                    session,
                    role=role,
                    site_id=site.id,
                    created_by=None,
                    valid_for=timedelta(hours=hours),
                    now=now,
                )
                local = invite.expires_at.astimezone(ZoneInfo(site.timezone))
                expires = f"{local:%Y-%m-%d %H:%M} ({site.timezone})"
            elif args.staff_command == "revoke":
                _revoke(session, args.id, now, tr)
                return 0
            elif args.staff_command == "invites":
                site_id = site_for(session, args.site, tr).id if args.site else None
                made = invites.outstanding(session, now, site_id=site_id)
                print(_invite_listing(args.format, made, _sites(session), tr))
                return 0
            elif args.staff_command == "invite-cancel":
                _cancel(session, args.id, now, tr)
                return 0
            else:
                site_id = site_for(session, args.site, tr).id if args.site else None
                asked = requests.pending(session, site_id, limit=100)
                print(_request_listing(args.format, asked, _sites(session), tr))
                return 0
    finally:
        await db.dispose()
    username = settings.telegram.bot_username.lstrip("@") or await bot_username(settings, tr)
    print(
        tr._(
            "Invite for a {role} at {site}, single use, valid until {expires}:",
            role=role,
            site=site.code,
            expires=expires,
        )
    )
    print(invites.link(code, username))
    if not username:
        print(
            tr._(
                "(The bot's username is unknown: set [telegram] bot_username or a token. Until "
                "then the person sends the command above to the bot.)"
            ),
            file=sys.stderr,
        )
    return 0


def _sites(session: Session) -> dict[int | None, Site]:
    return {site.id: site for site in sites.all_sites(session)}


def _revoke(session: Session, staff_id: int, now: datetime, tr: Translator) -> None:
    member = staff_service.get(session, staff_id)
    if member is None:
        raise UsageError(
            tr._("No staff member with id {id} (`dutybot staff list` shows them).", id=staff_id)
        )
    if not member.active:
        print(
            tr._(
                "Staff member {name} (id {id}) was revoked already.",
                name=member.name,
                id=member.id,
            )
        )
        return
    made = [row for row, _ in invites.outstanding(session, now) if row.created_by == member.id]
    staff_service.revoke(session, staff_id, now)
    print(
        tr._(
            "Staff member {name} (id {id}) revoked: the bot ignores them now.",
            name=member.name,
            id=member.id,
        )
    )
    if made:
        print(
            tr.n_(
                "{n} invite they made was cancelled.",
                "{n} invites they made were cancelled.",
                len(made),
            )
        )


def _cancel(session: Session, invite_id: int, now: datetime, tr: Translator) -> None:
    row = invites.get(session, invite_id)
    if row is None:
        raise UsageError(
            tr._("No invite with id {id} (`dutybot staff invites` lists them).", id=invite_id)
        )
    if not invites.is_outstanding(session, row, now):
        print(tr._("Invite {id} was used, cancelled or has expired already.", id=invite_id))
        return
    invites.cancel(session, row, by=None, now=now)
    site = sites.get(session, row.site_id)
    print(
        tr._(
            "Invite {id} ({role} at {site}) cancelled: its link no longer works.",
            id=invite_id,
            role=role_name(row.role, tr),
            site=site.code,
        )
    )


def _invite_listing(
    fmt: str,
    rows: list[tuple[Invite, Staff | None]],
    by_id: dict[int | None, Site],
    tr: Translator,
) -> str:
    if not rows and fmt == "table":
        return tr._("No invite is outstanding.")
    keys = ("id", "site", "role", "created_by", "created_by_name", "created_at", "expires_at")
    records: list[dict[str, Any]] = [
        {
            "id": row.id,
            "site": by_id[row.site_id].code,
            "role": row.role,
            "created_by": row.created_by,
            "created_by_name": maker.name if maker is not None else None,
            "created_at": row.created_at.isoformat(),
            "expires_at": row.expires_at.isoformat(),
        }
        for row, maker in rows
    ]
    headers = [tr._("Id"), tr._("Site"), tr._("Role"), tr._("Made by"), tr._("Expires")]
    cells = [
        [
            str(row.id),
            by_id[row.site_id].code,
            role_name(row.role, tr),
            tr.aside(maker.name, str(maker.id)) if maker is not None else tr._("command line"),
            _local(row.expires_at, by_id[row.site_id]),
        ]
        for row, maker in rows
    ]
    return listing(fmt, keys, records, headers, cells)


def _local(instant: datetime, site: Site) -> str:
    return f"{instant.astimezone(ZoneInfo(site.timezone)):%Y-%m-%d %H:%M}"


def _request_listing(
    fmt: str, rows: list[AccessRequest], by_id: dict[int | None, Site], tr: Translator
) -> str:
    if not rows and fmt == "table":
        return tr._("No pending access requests.")
    keys = ("id", "site", "telegram_id", "name", "username", "language", "requested_at")
    records: list[dict[str, Any]] = [
        {
            "id": row.id,
            "site": by_id[row.site_id].code if row.site_id in by_id else None,
            "telegram_id": row.telegram_id,
            "name": row.name,
            "username": row.username,
            "language": row.language,
            "requested_at": row.created_at.isoformat(),
        }
        for row in rows
    ]
    headers = [
        tr._("Id"),
        tr._("Site"),
        tr._("Telegram id"),
        tr._("Name"),
        tr._("Username"),
        tr._("Asked at"),
    ]
    cells = [
        [
            str(row.id),
            record["site"] or "—",
            str(row.telegram_id),
            row.name,
            f"@{row.username}" if row.username else "—",
            tr.datetime(row.created_at, "short"),
        ]
        for row, record in zip(rows, records, strict=True)
    ]
    return listing(fmt, keys, records, headers, cells)


async def bot_username(settings: Settings, tr: Translator) -> str:
    """The bot's username from getMe, or "" without a token or an answer."""
    tg = settings.telegram
    if not tg.token:
        return ""
    url = f"{tg.api_base_url.rstrip('/')}/bot{tg.token}/getMe"
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http,
            http.get(url) as response,
        ):
            body = await response.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        message = tr._(
            "getMe failed ({error}); printing the start command instead.", error=str(exc)
        )
        print(f"dutybot: {message}", file=sys.stderr)
        return ""
    return str((body.get("result") or {}).get("username") or "") if body.get("ok") else ""
