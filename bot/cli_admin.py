"""``dutybot db | site | staff``: administration from the command line."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.exc import SQLAlchemyError

from bot.app import open_database
from bot.config import Settings
from bot.flows.registry import load_registry
from bot.i18n import Translator
from bot.sites import service as sites
from bot.staff import service as staff_service
from bot.staff.roles import ROLES
from bot.storage.db import Database
from bot.storage.migrate import current_revision, ensure_current, head_revision, upgrade


class UsageError(Exception):
    """A bad argument; the message, already translated, says which."""


def _now() -> datetime:
    return datetime.now(UTC)


async def db_command(args: Any, settings: Settings, tr: Translator) -> int:
    db = open_database(settings)
    try:
        if args.db_command == "upgrade":
            before = await current_revision(db)
            await upgrade(db)
            after = await current_revision(db)
            if before == after:
                print(tr._("The database is up to date (revision {revision}).", revision=after))
            elif before is None:
                print(
                    tr._("The dutybot tables were created (revision {revision}).", revision=after)
                )
            else:
                print(
                    tr._(
                        "The database was upgraded from revision {before} to {after}.",
                        before=before,
                        after=after,
                    )
                )
        else:
            print((await _schema_report(db, tr))[1])
    finally:
        await db.dispose()
    return 0


async def _schema_report(db: Database, tr: Translator) -> tuple[bool, str]:
    """Whether the schema is what this version needs, and a sentence saying so."""
    current = await current_revision(db)
    head = head_revision()
    url = db.url.render_as_string(hide_password=True)
    if current == head:
        return True, tr._(
            "The database {url} is at revision {revision}, as this version needs.",
            url=url,
            revision=head,
        )
    if current is None:
        return False, tr._(
            "The database {url} has no dutybot tables yet; this version needs revision {head}. "
            "Run `dutybot db upgrade` first.",
            url=url,
            head=head,
        )
    return False, tr._(
        "The database {url} is at revision {current}; this version needs {head}. "
        "Run `dutybot db upgrade` first.",
        url=url,
        current=current,
        head=head,
    )


async def schema_problem(settings: Settings, tr: Translator) -> str | None:
    """Why the schema is refused (``SchemaNotCurrent`` in the reader's language), or None."""
    db = open_database(settings)
    try:
        current, report = await _schema_report(db, tr)
    except (SQLAlchemyError, OSError):
        return None  # the database went away meanwhile: the caller keeps the English text
    finally:
        await db.dispose()
    return None if current else report


def parse_setting(key: str, raw: str, settings: Settings, tr: Translator) -> Any:
    """A site setting's value, typed as the playbooks that read it declare."""
    registry, _ = load_registry(settings.flows.extra_dir, strict=False)
    specs = {name: spec for book in registry.all() for name, spec in book.settings.items()}
    if key not in specs:
        known = ", ".join(sorted(specs)) or tr._("none")
        raise UsageError(
            tr._("No playbook reads a setting “{key}” (known: {known}).", key=key, known=known)
        )
    if raw == "":
        return None
    kind = specs[key].type
    if kind == "number":
        try:
            number = float(raw)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise UsageError(tr._("{key} takes a number, not “{value}”.", key=key, value=raw))
        return int(number) if number.is_integer() else number
    if kind == "boolean":
        if raw.lower() not in ("true", "false", "yes", "no", "1", "0"):
            raise UsageError(tr._("{key} takes true or false, not “{value}”.", key=key, value=raw))
        return raw.lower() in ("true", "yes", "1")
    return raw


def _not_empty(value: str, name: str, tr: Translator) -> str:
    if not value.strip():
        raise UsageError(tr._("{name} must not be empty.", name=name))
    return value.strip()


def _zone(name: str, tr: Translator) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError(
            tr._("Unknown time zone “{zone}”; use a name such as Asia/Shanghai.", zone=name)
        ) from exc
    return name


async def site_command(args: Any, settings: Settings, tr: Translator) -> int:
    db = open_database(settings)
    try:
        await ensure_current(db)
        async with db.transaction() as session:
            if args.site_command == "add":
                code = _not_empty(args.code, "code", tr)
                name = _not_empty(args.name, "name", tr)
                timezone = _zone(args.timezone, tr) if args.timezone else settings.site.timezone
                if await sites.by_code(session, code):
                    raise UsageError(tr._("A site “{code}” exists already.", code=code))
                site = await sites.create(
                    session,
                    code=code,
                    name=name,
                    timezone=timezone,
                    locale=args.locale or settings.site.locale,
                    now=_now(),
                )
                print(
                    tr._(
                        "Site {code} added (id {id}, time zone {timezone}, language {locale}).",
                        code=site.code,
                        id=site.id,
                        timezone=site.timezone,
                        locale=site.locale,
                    )
                )
            elif args.site_command == "list":
                for site in await sites.all_sites(session):
                    print(
                        f"{site.code}\t{site.name}\t{site.timezone}\t{site.locale}\t{site.settings}"
                    )
            else:
                found = await site_for(session, args.code, tr)
                value = parse_setting(args.key, args.value, settings, tr)
                await sites.set_setting(session, found, args.key, value)
                if value is None:
                    print(tr._("{site}: {key} cleared.", site=found.code, key=args.key))
                else:
                    print(
                        tr._(
                            "{site}: {key} set to {value}.",
                            site=found.code,
                            key=args.key,
                            value=value,
                        )
                    )
    finally:
        await db.dispose()
    return 0


def check_role(role: str, tr: Translator) -> str:
    if role not in ROLES:
        raise UsageError(
            tr._("Unknown role “{role}” (known: {known}).", role=role, known=", ".join(ROLES))
        )
    return role


async def staff_command(args: Any, settings: Settings, tr: Translator) -> int:
    db = open_database(settings)
    try:
        await ensure_current(db)
        async with db.transaction() as session:
            if args.staff_command == "add":
                roles = [check_role(role, tr) for role in args.role]
                name = _not_empty(args.name, "--name", tr)
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
                    now=_now(),
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


async def site_for(session: Any, code: str | None, tr: Translator) -> Any:
    if code:
        site = await sites.by_code(session, code)
        if site is None:
            raise UsageError(
                tr._("No site “{code}” (`dutybot site list` shows the sites).", code=code)
            )
        return site
    every = await sites.all_sites(session)
    if not every:
        raise UsageError(tr._("No site yet: add one with `dutybot site add CODE NAME`."))
    if len(every) != 1:
        raise UsageError(
            tr._(
                "There are {count} sites: name one with --site CODE ({codes}).",
                count=len(every),
                codes=", ".join(site.code for site in every),
            )
        )
    return every[0]
