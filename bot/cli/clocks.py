"""``dutybot site clocks list | set``: a site's clock settings, the rules' value beside its own."""

from __future__ import annotations

from typing import Any

from bot.app import open_database
from bot.cli.common import UsageError, site_for
from bot.cli.table import listing
from bot.config import Settings
from bot.deadlines import defaults
from bot.deadlines import settings as clock_settings
from bot.i18n import Translator
from bot.storage.migrate import ensure_current


async def clocks_command(args: Any, settings: Settings, tr: Translator) -> int:
    db = open_database(settings)
    try:
        await ensure_current(db)
        with db.transaction() as session:
            site = site_for(session, args.code, tr)
            if args.clocks_command == "list":
                print(_listing(args.format, clock_settings.listing(site), tr))
                return 0
            try:
                value = clock_settings.check(args.name, args.value)
            except ValueError as exc:
                raise UsageError(_refusal(args.name, args.value, tr)) from exc
            clock_settings.store(session, site, args.name, value)
            if value is None:
                print(tr._("{site}: {key} cleared.", site=site.code, key=args.name))
            else:
                shown = ",".join(value) if isinstance(value, list) else value
                print(
                    tr._(
                        "{site}: {key} set to {value}.", site=site.code, key=args.name, value=shown
                    )
                )
    finally:
        await db.dispose()
    return 0


def _listing(fmt: str, rows: list[clock_settings.Row], tr: Translator) -> str:
    keys = ("name", "default", "value", "title")
    records = [
        {"name": r.name, "default": r.default, "value": r.value, "title": tr.pick(r.title)}
        for r in rows
    ]
    headers = [tr._("Setting"), tr._("Rules' value"), tr._("Site's value"), tr._("Clock")]
    cells = [
        [r["name"], r["default"] or "—", r["value"] or "—", r["title"][:50] if r["title"] else ""]
        for r in records
    ]
    return listing(fmt, keys, records, headers, cells)


def _refusal(name: str, value: str, tr: Translator) -> str:
    if name in defaults.BY_KEY:
        if defaults.BY_KEY[name].spec is None:
            return tr._("{name} is a rule without a clock; it has no span to set.", name=name)
        return tr._(
            "{name} takes a span such as 10m, 24h, 7d, 2wd (working days), 1mo or 30s, "
            "not “{value}”.",
            name=name,
            value=value,
        )
    if name in clock_settings.DAY_LISTS:
        return tr._(
            "{name} takes dates separated by commas, such as 2026-12-24,2026-12-25, not “{value}”.",
            name=name,
            value=value,
        )
    if name in clock_settings.SCALARS:
        return tr._(
            "{name} does not take “{value}” (the rules' value: {default}).",
            name=name,
            value=value,
            default=clock_settings.SCALARS[name] or "—",
        )
    return tr._("No clock setting “{name}” (`dutybot site clocks list` shows them).", name=name)
