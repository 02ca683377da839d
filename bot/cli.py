"""The ``dutybot`` command: run, db, flows, site, staff, console."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import Any

from bot.config import ConfigError, Settings, load_settings
from bot.flows.loader import PlaybookError
from bot.i18n import SUPPORTED, Catalogs, Translator

# As [access] invite_hours allows.
MAX_INVITE_HOURS = 24 * 30
# Ids live in BIGINT columns; a longer number is no id.
MAX_ID = 2**63 - 1


def _parser(tr: Translator) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dutybot",
        description=tr._("Run and administer dutybot: run, db, flows, site, staff, console."),
    )
    parser.add_argument("--config", type=Path, help=tr._("TOML settings file (or $DUTYBOT_CONFIG)"))
    commands = parser.add_subparsers(dest="command", required=True)

    db = commands.add_parser("db", help=tr._("database schema")).add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", help=tr._("apply all migrations"))
    db.add_parser("current", help=tr._("show the schema revision"))

    flows = commands.add_parser("flows", help=tr._("playbooks")).add_subparsers(
        dest="flows_command", required=True
    )
    check = flows.add_parser("check", help=tr._("validate playbooks; non-zero exit on an error"))
    check.add_argument(
        "dir",
        nargs="?",
        type=Path,
        help=tr._("a folder of playbooks (default: shipped + configured site folder)"),
    )
    show = flows.add_parser("show", help=tr._("print a procedure as readable text"))
    show.add_argument("name")
    # Values with a fixed set of choices are checked by _check_values, in the reader's language.
    show.add_argument("--lang", metavar="{zh,en}", default=None)  # default: the site language
    show.add_argument(
        "--format",
        metavar="{text,mermaid}",
        default="text",
        help=tr._("readable text, or a Mermaid flowchart of the branches"),
    )

    console = commands.add_parser("console", help=tr._("chat in the terminal, no Telegram needed"))
    console.add_argument("--as", dest="as_user", help=tr._("staff name or Telegram id to act as"))

    locales = "{" + ",".join(SUPPORTED) + "}"
    site = commands.add_parser("site", help=tr._("sites")).add_subparsers(
        dest="site_command", required=True
    )
    site_add = site.add_parser("add", help=tr._("add a site"))
    site_add.add_argument("code")
    site_add.add_argument("name")
    site_add.add_argument("--timezone")
    site_add.add_argument("--locale", metavar=locales)
    site.add_parser("list", help=tr._("list sites"))
    site_set = site.add_parser("set", help=tr._("set a site setting (empty value clears it)"))
    site_set.add_argument("code")
    site_set.add_argument("key")
    site_set.add_argument("value")

    staff = commands.add_parser("staff", help=tr._("staff")).add_subparsers(
        dest="staff_command", required=True
    )
    staff_add = staff.add_parser("add", help=tr._("add a staff member"))
    staff_add.add_argument("--telegram-id", required=True)
    staff_add.add_argument("--name", required=True)
    staff_add.add_argument(
        "--role", action="append", required=True, help=tr._("repeat for several roles")
    )
    staff_add.add_argument("--site", help=tr._("site code (default: the only site)"))
    staff_add.add_argument("--locale", metavar=locales)
    staff.add_parser("list", help=tr._("list staff"))
    invite = staff.add_parser("invite", help=tr._("print a single-use invite link"))
    invite.add_argument("--role", required=True, help=tr._("the role the invite gives"))
    invite.add_argument("--site", help=tr._("site code (default: the only site)"))
    invite.add_argument(
        "--hours", help=tr._("hours the link stays valid (default: [access] invite_hours)")
    )
    revoke = staff.add_parser("revoke", help=tr._("take a staff member's access away"))
    revoke.add_argument("id", help=tr._("staff id, as `dutybot staff list` shows it"))
    staff.add_parser("requests", help=tr._("list pending access requests"))

    commands.add_parser("run", help=tr._("run the Telegram bot (polling or webhook)"))
    return parser


def _check_values(args: Any, tr: Translator) -> str | None:
    """Type the options argparse leaves as text; what is wrong with a bad one, or None.

    argparse would answer a bad value in English only, so numbers and choices are checked here.
    """
    numbers = (
        ("telegram_id", "--telegram-id", None),
        ("hours", "--hours", MAX_INVITE_HOURS),
        ("id", "id", None),  # `staff revoke ID`
    )
    for dest, option, high in numbers:
        raw = getattr(args, dest, None)
        if raw is None:
            continue
        value = int(raw) if raw.isascii() and raw.strip().isdigit() else 0
        if high is not None and not 1 <= value <= high:
            return tr._(
                "{option} takes a whole number from 1 to {high}, not “{value}”.",
                option=option,
                high=high,
                value=raw,
            )
        if not 1 <= value <= MAX_ID:
            return tr._(
                "{option} takes a positive whole number, not “{value}”.", option=option, value=raw
            )
        setattr(args, dest, value)
    choices = (
        ("locale", "--locale", SUPPORTED),
        ("lang", "--lang", ("zh", "en")),
        ("format", "--format", ("text", "mermaid")),
    )
    for dest, option, allowed in choices:
        chosen = getattr(args, dest, None)
        if chosen is not None and chosen not in allowed:
            return tr._(
                "{option} takes one of {choices}, not “{value}”.",
                option=option,
                choices=", ".join(allowed),
                value=chosen,
            )
    return None


def _early_config(argv: list[str]) -> Path | None:
    """The ``--config`` path, read before the full parser so that its help can be translated."""
    early = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    early.add_argument("--config", type=Path)
    try:
        config: Path | None = early.parse_known_args(argv)[0].config
    except argparse.ArgumentError:
        return None  # the full parser says what is wrong
    return config


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        settings: Settings | None = load_settings(_early_config(argv))
        problem = None
    except ConfigError as exc:
        settings, problem = None, exc
    if settings is None:
        # No settings, no deployment language: help and the config error stay English.
        tr = Catalogs().translator("en", "UTC")
    else:
        tr = Catalogs(settings.i18n.locales_dir).translator(
            settings.site.locale, settings.site.timezone
        )
    args = _parser(tr).parse_args(argv)
    if settings is None:
        print(f"dutybot: {problem}", file=sys.stderr)
        return 2
    wrong = _check_values(args, tr)
    if wrong is not None:
        print(f"dutybot: {wrong}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.logging.level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if settings.logging.level != "DEBUG":
        logging.getLogger("alembic").setLevel(logging.WARNING)
    # httpx (python-telegram-bot's HTTP client) logs every request URL, and with it the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.command == "flows":
        from bot.cli_flows import flows_command

        return flows_command(args, settings, tr)
    try:
        return asyncio.run(_async_main(args, settings, tr))
    except KeyboardInterrupt:
        return 130


async def _async_main(args: Any, settings: Settings, tr: Translator) -> int:
    from bot import cli_admin
    from bot.storage.migrate import SchemaNotCurrent

    try:
        if args.command == "db":
            return await cli_admin.db_command(args, settings, tr)
        if args.command == "site":
            return await cli_admin.site_command(args, settings, tr)
        if args.command == "staff" and args.staff_command in ("invite", "revoke", "requests"):
            from bot.cli_access import access_command

            return await access_command(args, settings, tr)
        if args.command == "staff":
            return await cli_admin.staff_command(args, settings, tr)
        if args.command == "run":
            from bot.cli_run import run_command

            return await run_command(args, settings, tr)
        if args.command == "console":
            from bot.cli_console import console_command

            return await console_command(args, settings)
    except SchemaNotCurrent as exc:
        # The exception's own text is English; say the same in the deployment's language.
        message = await cli_admin.schema_problem(settings, tr)
        print(f"dutybot: {message or exc}", file=sys.stderr)
        return 2
    except PlaybookError as exc:
        # The problem lines are technical (file:line: error: ...) and stay as they are.
        header = tr._("Playbooks have errors:")
        print(f"dutybot: {header}\n{exc}", file=sys.stderr)
        return 2
    except cli_admin.UsageError as exc:
        print(f"dutybot: {exc}", file=sys.stderr)
        return 2
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
