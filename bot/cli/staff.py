"""``dutybot staff add | list``: staff members (invite, revoke, requests: ``access``)."""

from __future__ import annotations

from typing import Any

from bot.app import open_database
from bot.cli.common import UsageError, check_role, not_empty, now, role_name, site_for
from bot.cli.table import listing
from bot.config import Settings
from bot.i18n import LANGUAGE_NAMES, N_, Translator
from bot.sites import service as sites
from bot.staff import service as staff_service
from bot.staff.models import Staff
from bot.storage.migrate import ensure_current

STATES = {"active": N_("active"), "revoked": N_("revoked")}


async def staff_command(args: Any, settings: Settings, tr: Translator) -> int:
    db = open_database(settings)
    try:
        await ensure_current(db)
        with db.transaction() as session:
            if args.staff_command == "add":
                roles = [check_role(role, tr) for role in args.role]
                name = not_empty(args.name, "--name", tr)
                site = site_for(session, args.site, tr)
                taken = staff_service.by_telegram_id(session, args.telegram_id)
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
                member = staff_service.add(
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
                        roles=tr.join(role_name(role, tr) for role in member.roles),
                    )
                )
            else:
                everyone = staff_service.all_staff(session)
                codes = {site.id: site.code for site in sites.all_sites(session)}
    finally:
        await db.dispose()
    if args.staff_command == "list":
        _print_staff(args.format, everyone, codes, tr)
    return 0


def _print_staff(fmt: str, everyone: list[Staff], codes: dict[Any, str], tr: Translator) -> None:
    if not everyone and fmt == "table":
        print(tr._("No staff yet: add someone with `dutybot staff add` or `dutybot staff invite`."))
        return
    keys = ("id", "telegram_id", "name", "roles", "site", "locale", "state")
    records: list[dict[str, Any]] = [
        {
            "id": member.id,
            "telegram_id": member.telegram_id,
            "name": member.name,
            "roles": list(member.roles),
            "site": codes.get(member.site_id, str(member.site_id)),
            "locale": member.locale,
            "state": "active" if member.active else "revoked",
        }
        for member in everyone
    ]
    headers = [
        tr._("Id"),
        tr._("Telegram id"),
        tr._("Name"),
        tr._("Roles"),
        tr._("Site"),
        tr._("Language"),
        tr._("State"),
    ]
    cells = [
        [
            str(record["id"]),
            str(record["telegram_id"] or "—"),
            record["name"],
            tr.join(role_name(role, tr) for role in record["roles"]),
            record["site"],
            LANGUAGE_NAMES.get(record["locale"] or "", tr._("the site's")),
            tr._(STATES[record["state"]]),
        ]
        for record in records
    ]
    print(listing(fmt, keys, records, headers, cells))
