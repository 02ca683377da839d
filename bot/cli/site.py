"""``dutybot site add | list | set | request-link``: sites, their settings, their request link."""

from __future__ import annotations

import math
import sys
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.app import open_database
from bot.cli.access import bot_username
from bot.cli.common import UsageError, not_empty, now, site_for
from bot.cli.table import listing
from bot.config import Settings
from bot.flows.registry import load_registry
from bot.i18n import LANGUAGE_NAMES, Translator
from bot.sites import service as sites
from bot.sites.models import Site
from bot.staff import invites, request_links
from bot.storage.migrate import ensure_current


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
        with db.transaction() as session:
            if args.site_command == "add":
                code = not_empty(args.code, "code", tr)
                name = not_empty(args.name, "name", tr)
                timezone = _zone(args.timezone, tr) if args.timezone else settings.site.timezone
                if sites.by_code(session, code):
                    raise UsageError(tr._("A site “{code}” exists already.", code=code))
                site = sites.create(
                    session,
                    code=code,
                    name=name,
                    timezone=timezone,
                    locale=args.locale or settings.site.locale,
                    now=now(),
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
                print(_site_listing(args.format, sites.all_sites(session), tr))
            else:
                found = site_for(session, args.code, tr)
                value = parse_setting(args.key, args.value, settings, tr)
                sites.set_setting(session, found, args.key, value)
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


def _site_listing(fmt: str, every: list[Site], tr: Translator) -> str:
    if not every and fmt == "table":
        return tr._("No site yet: add one with `dutybot site add CODE NAME`.")
    keys = ("code", "name", "timezone", "locale", "settings")
    records: list[dict[str, Any]] = [
        {
            "code": site.code,
            "name": site.name,
            "timezone": site.timezone,
            "locale": site.locale,
            "settings": dict(site.settings or {}),
        }
        for site in every
    ]
    headers = [
        tr._("Code"),
        tr._("Site name"),
        tr._("Time zone"),
        tr._("Language"),
        tr._("Settings"),
    ]
    cells = [
        [
            record["code"],
            record["name"],
            record["timezone"],
            LANGUAGE_NAMES.get(record["locale"], record["locale"]),
            tr.join(f"{key} = {value}" for key, value in record["settings"].items()) or "—",
        ]
        for record in records
    ]
    return listing(fmt, keys, records, headers, cells)


async def request_link_command(args: Any, settings: Settings, tr: Translator) -> int:
    """``dutybot site request-link CODE [--new]``: the link a stranger opens to ask this site,
    and only this site, for access."""
    db = open_database(settings)
    try:
        await ensure_current(db)
        with db.transaction() as session:
            site = site_for(session, args.code, tr)
            assert site.id is not None
            payload = request_links.payload(
                request_links.of_site(session, site.id, now(), renew=args.new)
            )
    finally:
        await db.dispose()
    username = settings.telegram.bot_username.lstrip("@") or await bot_username(settings, tr)
    if args.new:
        print(tr._("{site}: a new request link; the old one no longer works.", site=site.code))
    print(
        tr._(
            "{site}: whoever opens this link can ask for access; only the administrators of "
            "{site} see the request:",
            site=site.code,
        )
    )
    print(invites.link(payload, username))
    if not username:
        print(
            tr._(
                "(The bot's username is unknown: set [telegram] bot_username or a token. Until "
                "then the person sends the command above to the bot.)"
            ),
            file=sys.stderr,
        )
    return 0
