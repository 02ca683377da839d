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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dutybot", description=__doc__)
    parser.add_argument("--config", type=Path, help="TOML settings file (or $DUTYBOT_CONFIG)")
    commands = parser.add_subparsers(dest="command", required=True)

    db = commands.add_parser("db", help="database schema").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", help="apply all migrations")
    db.add_parser("current", help="show the schema revision")

    flows = commands.add_parser("flows", help="playbooks").add_subparsers(
        dest="flows_command", required=True
    )
    check = flows.add_parser("check", help="validate playbooks; non-zero exit on an error")
    check.add_argument(
        "dir",
        nargs="?",
        type=Path,
        help="a folder of playbooks (default: shipped + configured site folder)",
    )
    show = flows.add_parser("show", help="print a procedure as readable text")
    show.add_argument("name")
    show.add_argument("--lang", choices=["zh", "en"], default="zh")
    show.add_argument(
        "--format",
        choices=["text", "mermaid"],
        default="text",
        help="readable text, or a Mermaid flowchart of the branches",
    )

    console = commands.add_parser("console", help="chat in the terminal, no Telegram needed")
    console.add_argument("--as", dest="as_user", help="staff name or Telegram id to act as")

    site = commands.add_parser("site", help="sites").add_subparsers(
        dest="site_command", required=True
    )
    site_add = site.add_parser("add", help="add a site")
    site_add.add_argument("code")
    site_add.add_argument("name")
    site_add.add_argument("--timezone")
    site_add.add_argument("--locale", choices=["zh_Hans", "en"])
    site.add_parser("list", help="list sites")
    site_set = site.add_parser("set", help="set a site setting (empty value clears it)")
    site_set.add_argument("code")
    site_set.add_argument("key")
    site_set.add_argument("value")

    staff = commands.add_parser("staff", help="staff").add_subparsers(
        dest="staff_command", required=True
    )
    staff_add = staff.add_parser("add", help="add a staff member")
    staff_add.add_argument("--telegram-id", type=int, required=True)
    staff_add.add_argument("--name", required=True)
    staff_add.add_argument(
        "--role", action="append", required=True, help="repeat for several roles"
    )
    staff_add.add_argument("--site", help="site code (default: the only site)")
    staff_add.add_argument("--locale", choices=["zh_Hans", "en"])
    staff.add_parser("list", help="list staff")
    invite = staff.add_parser("invite", help="print a single-use invite link")
    invite.add_argument("--role", required=True, help="the role the invite gives")
    invite.add_argument("--site", help="site code (default: the only site)")
    invite.add_argument("--hours", type=int, help="hours the link stays valid (default 72)")
    revoke = staff.add_parser("revoke", help="take a staff member's access away")
    revoke.add_argument("id", type=int, help="staff id, as `dutybot staff list` shows it")
    staff.add_parser("requests", help="list pending access requests")

    commands.add_parser("run", help="run the Telegram bot (polling or webhook)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"dutybot: {exc}", file=sys.stderr)
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

        return flows_command(args, settings)
    try:
        return asyncio.run(_async_main(args, settings))
    except KeyboardInterrupt:
        return 130


async def _async_main(args: Any, settings: Settings) -> int:
    from bot import cli_admin
    from bot.storage.migrate import SchemaNotCurrent

    try:
        if args.command == "db":
            return await cli_admin.db_command(args, settings)
        if args.command == "site":
            return await cli_admin.site_command(args, settings)
        if args.command == "staff" and args.staff_command in ("invite", "revoke", "requests"):
            from bot.cli_access import access_command

            return await access_command(args, settings)
        if args.command == "staff":
            return await cli_admin.staff_command(args, settings)
        if args.command == "run":
            from bot.cli_run import run_command

            return await run_command(args, settings)
        if args.command == "console":
            from bot.cli_console import console_command

            return await console_command(args, settings)
    except SchemaNotCurrent as exc:
        print(f"dutybot: {exc}", file=sys.stderr)
        return 2
    except PlaybookError as exc:
        print(f"dutybot: playbooks have errors:\n{exc}", file=sys.stderr)
        return 2
    except cli_admin.UsageError as exc:
        print(f"dutybot: {exc}", file=sys.stderr)
        return 2
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
