"""``dutybot staff add | list``: staff members (invite, revoke, requests: ``access``)."""

from __future__ import annotations

from typing import Any

from bot.app import open_database
from bot.cli.common import UsageError, check_role, not_empty, now, site_for
from bot.config import Settings
from bot.i18n import Translator
from bot.staff import service as staff_service
from bot.storage.migrate import ensure_current


async def staff_command(args: Any, settings: Settings, tr: Translator) -> int:
    db = open_database(settings)
    try:
        await ensure_current(db)
        async with db.transaction() as session:
            if args.staff_command == "add":
                roles = [check_role(role, tr) for role in args.role]
                name = not_empty(args.name, "--name", tr)
                site = await site_for(session, args.site, tr)
                taken = await staff_service.by_telegram_id(session, args.telegram_id)
                if taken is not None:
                    raise UsageError(
                        tr._(
                            "Telegram id {telegram_id} is registered already (staff {name}, "
                            "id {id}).",
                            telegram_id=args.telegram_id,
                            name=taken.name,
                            id=taken.id,
                        )
                    )
                assert site.id is not None
                member = await staff_service.add(
                    session,
                    telegram_id=args.telegram_id,
                    name=name,
                    roles=roles,
                    site_id=site.id,
                    locale=args.locale,
                    now=now(),
                )
                print(
                    tr._(
                        "Staff member {name} added (id {id}, site {site}, roles {roles}).",
                        name=member.name,
                        id=member.id,
                        site=site.code,
                        roles=", ".join(member.roles),
                    )
                )
            else:
                for member in await staff_service.all_staff(session):
                    state = "active" if member.active else "revoked"
                    print(
                        f"{member.id}\t{member.telegram_id}\t{member.name}\t"
                        f"{','.join(member.roles)}\t{member.site_id}\t{state}"
                    )
    finally:
        await db.dispose()
    return 0
