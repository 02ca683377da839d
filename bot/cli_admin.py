"""``dutybot db | site | staff``: administration from the command line."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.app import open_database
from bot.config import Settings
from bot.flows.registry import load_registry
from bot.sites import service as sites
from bot.staff import service as staff_service
from bot.staff.roles import ROLES
from bot.storage.migrate import current_revision, ensure_current, head_revision, upgrade


class UsageError(Exception):
    """A bad argument; the message says which."""


def _now() -> datetime:
    return datetime.now(UTC)


async def db_command(args: Any, settings: Settings) -> int:
    db = open_database(settings)
    try:
        if args.db_command == "upgrade":
            before = await current_revision(db)
            await upgrade(db)
            after = await current_revision(db)
            print(f"database at revision {after}" + ("" if before == after else f" (was {before})"))
        else:
            print(f"current: {await current_revision(db)}; this version needs: {head_revision()}")
    finally:
        await db.dispose()
    return 0


def parse_setting(key: str, raw: str, settings: Settings) -> Any:
    """A site setting's value, typed as the playbooks that read it declare."""
    registry, _ = load_registry(settings.flows.extra_dir, strict=False)
    specs = {name: spec for book in registry.all() for name, spec in book.settings.items()}
    if key not in specs:
        known = ", ".join(sorted(specs)) or "none"
        raise UsageError(f"no playbook reads a setting {key!r} (known: {known})")
    if raw == "":
        return None
    kind = specs[key].type
    if kind == "number":
        try:
            number = float(raw)
        except ValueError as exc:
            raise UsageError(f"{key} must be a number, not {raw!r}") from exc
        return int(number) if number.is_integer() else number
    if kind == "boolean":
        if raw.lower() not in ("true", "false", "yes", "no", "1", "0"):
            raise UsageError(f"{key} must be true or false, not {raw!r}")
        return raw.lower() in ("true", "yes", "1")
    return raw


async def site_command(args: Any, settings: Settings) -> int:
    db = open_database(settings)
    try:
        await ensure_current(db)
        async with db.transaction() as session:
            if args.site_command == "add":
                if await sites.by_code(session, args.code):
                    raise UsageError(f"a site {args.code!r} exists already")
                site = await sites.create(
                    session,
                    code=args.code,
                    name=args.name,
                    timezone=args.timezone or settings.site.timezone,
                    locale=args.locale or settings.site.locale,
                    now=_now(),
                )
                print(f"site {site.code} added (id {site.id}, {site.timezone}, {site.locale})")
            elif args.site_command == "list":
                for site in await sites.all_sites(session):
                    print(
                        f"{site.code}\t{site.name}\t{site.timezone}\t{site.locale}\t{site.settings}"
                    )
            else:
                found = await sites.by_code(session, args.code)
                if found is None:
                    raise UsageError(f"no site {args.code!r}")
                value = parse_setting(args.key, args.value, settings)
                await sites.set_setting(session, found, args.key, value)
                print(f"{found.code}: {args.key} = {value}")
    finally:
        await db.dispose()
    return 0


async def staff_command(args: Any, settings: Settings) -> int:
    db = open_database(settings)
    try:
        await ensure_current(db)
        async with db.transaction() as session:
            if args.staff_command == "add":
                unknown = [r for r in args.role if r not in ROLES]
                if unknown:
                    raise UsageError(f"unknown role {unknown[0]!r} (known: {', '.join(ROLES)})")
                site = await site_for(session, args.site)
                if await staff_service.by_telegram_id(session, args.telegram_id):
                    raise UsageError(f"Telegram id {args.telegram_id} is registered already")
                assert site.id is not None
                member = await staff_service.add(
                    session,
                    telegram_id=args.telegram_id,
                    name=args.name,
                    roles=args.role,
                    site_id=site.id,
                    locale=args.locale,
                    now=_now(),
                )
                print(
                    f"staff {member.name} added (id {member.id}, site {site.code}, "
                    f"roles {', '.join(member.roles)})"
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


async def site_for(session: Any, code: str | None) -> Any:
    if code:
        site = await sites.by_code(session, code)
        if site is None:
            raise UsageError(f"no site {code!r}")
        return site
    every = await sites.all_sites(session)
    if len(every) != 1:
        raise UsageError(
            "name the site with --site CODE"
            if every
            else "no site yet: add one with `dutybot site add CODE NAME`"
        )
    return every[0]
