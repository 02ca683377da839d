"""``dutybot staff invite | revoke | requests``: access from the command line."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp

from bot.app import open_database
from bot.cli.common import UsageError, check_role, site_for
from bot.cli.table import listing
from bot.config import Settings
from bot.i18n import Translator
from bot.staff import invites, requests
from bot.staff import service as staff_service
from bot.staff.models import AccessRequest
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
                member = staff_service.get(session, args.id)
                if member is None:
                    raise UsageError(
                        tr._(
                            "No staff member with id {id} (`dutybot staff list` shows them).",
                            id=args.id,
                        )
                    )
                if not member.active:
                    print(
                        tr._(
                            "Staff member {name} (id {id}) was revoked already.",
                            name=member.name,
                            id=member.id,
                        )
                    )
                    return 0
                staff_service.revoke(session, args.id)
                print(
                    tr._(
                        "Staff member {name} (id {id}) revoked: the bot ignores them now.",
                        name=member.name,
                        id=member.id,
                    )
                )
                return 0
            else:
                print(_request_listing(args.format, requests.pending(session, limit=100), tr))
                return 0
    finally:
        await db.dispose()
    username = settings.telegram.bot_username.lstrip("@") or await _username(settings, tr)
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


def _request_listing(fmt: str, rows: list[AccessRequest], tr: Translator) -> str:
    if not rows and fmt == "table":
        return tr._("No pending access requests.")
    keys = ("id", "telegram_id", "name", "username", "language", "requested_at")
    records: list[dict[str, Any]] = [
        {
            "id": row.id,
            "telegram_id": row.telegram_id,
            "name": row.name,
            "username": row.username,
            "language": row.language,
            "requested_at": row.created_at.isoformat(),
        }
        for row in rows
    ]
    headers = [tr._("Id"), tr._("Telegram id"), tr._("Name"), tr._("Username"), tr._("Asked at")]
    cells = [
        [
            str(row.id),
            str(row.telegram_id),
            row.name,
            f"@{row.username}" if row.username else "—",
            tr.datetime(row.created_at, "short"),
        ]
        for row in rows
    ]
    return listing(fmt, keys, records, headers, cells)


async def _username(settings: Settings, tr: Translator) -> str:
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
