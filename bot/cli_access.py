"""``dutybot staff invite | revoke | requests``: access from the command line."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp

from bot.app import open_database
from bot.cli_admin import UsageError, site_for
from bot.config import Settings
from bot.staff import invites, requests
from bot.staff import service as staff_service
from bot.staff.roles import ROLES
from bot.storage.migrate import ensure_current


async def access_command(args: Any, settings: Settings) -> int:
    db = open_database(settings)
    now = datetime.now(UTC)
    try:
        await ensure_current(db)
        async with db.transaction() as session:
            if args.staff_command == "invite":
                if args.role not in ROLES:
                    raise UsageError(f"unknown role {args.role!r} (known: {', '.join(ROLES)})")
                site = await site_for(session, args.site)
                assert site.id is not None
                hours = args.hours or settings.access.invite_hours
                code, invite = await invites.create(
                    session,
                    role=args.role,
                    site_id=site.id,
                    created_by=None,
                    valid_for=timedelta(hours=hours),
                    now=now,
                )
                local = invite.expires_at.astimezone(ZoneInfo(site.timezone))
                expires = f"{local:%Y-%m-%d %H:%M} ({site.timezone})"
            elif args.staff_command == "revoke":
                member = await staff_service.revoke(session, args.id)
                if member is None:
                    raise UsageError(f"no staff member with id {args.id} (`dutybot staff list`)")
                print(f"staff {member.name} (id {member.id}) revoked: the bot ignores them now")
                return 0
            else:
                for row in await requests.pending(session, limit=100):
                    handle = f"@{row.username}" if row.username else "-"
                    when = f"{row.created_at:%Y-%m-%d %H:%M}"
                    print(f"{row.id}\t{row.telegram_id}\t{row.name}\t{handle}\t{when}")
                return 0
    finally:
        await db.dispose()
    username = settings.telegram.bot_username.lstrip("@") or await _username(settings)
    print(f"invite for a {args.role} at {site.code}, single use, valid until {expires}:")
    print(invites.link(code, username))
    if not username:
        print(
            "(the bot's username is unknown: set [telegram] bot_username or a token; until then "
            "the person sends the command above to the bot)",
            file=sys.stderr,
        )
    return 0


async def _username(settings: Settings) -> str:
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
        print(f"dutybot: getMe failed ({exc}); printing the start command instead", file=sys.stderr)
        return ""
    return str((body.get("result") or {}).get("username") or "") if body.get("ok") else ""
