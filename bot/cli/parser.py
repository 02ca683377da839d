"""The ``dutybot`` argument parser: every command group, and the values argparse leaves as text.

Each leaf command names its handler as ``"module:function"`` (``set_defaults(handler=…)``); the
module is imported only when that command runs, so ``dutybot flows show`` never loads the database
layer. A new command group is a function here that adds its sub-parser, and a module under
``bot/cli/`` holding its handler ``async def …(args, settings, tr) -> int``.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.i18n import N_, SUPPORTED, Translator, parse_locale

# As [access] invite_hours allows.
MAX_INVITE_HOURS = 24 * 30
# Ids live in BIGINT columns; a longer number is no id.
MAX_ID = 2**63 - 1

Commands = Any  # argparse's private _SubParsersAction
LOCALES = "{zh_Hans,en}"
LISTING_FORMATS = ("table", "tsv", "json")
SHOW_FORMATS = ("text", "mermaid")


def build_parser(tr: Translator) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dutybot",
        description=tr._("Run and administer dutybot: run, db, flows, site, staff, console."),
    )
    parser.add_argument("--config", type=Path, help=tr._("TOML settings file (or $DUTYBOT_CONFIG)"))
    commands = parser.add_subparsers(dest="command", required=True)
    for add_group in (
        _db,
        _flows,
        _console,
        _site,
        _staff,
        _chains,
        _rota,
        _drills,
        _verify,
        _export,
        _run,
    ):
        add_group(commands, tr)
    return parser


def _db(commands: Commands, tr: Translator) -> None:
    db = commands.add_parser("db", help=tr._("database schema")).add_subparsers(
        dest="db_command", required=True
    )
    upgrade = db.add_parser("upgrade", help=tr._("apply all migrations"))
    current = db.add_parser("current", help=tr._("show the schema revision"))
    for sub in (upgrade, current):
        sub.set_defaults(handler="bot.cli.db:db_command")


def _flows(commands: Commands, tr: Translator) -> None:
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
    _locale_option(show, tr, tr._("the language to show (default: the site's)"))
    _format_option(
        show, SHOW_FORMATS, tr._("readable text, or a Mermaid flowchart of the branches")
    )
    for sub in (check, show):
        sub.set_defaults(handler="bot.cli.flows:flows_command")


def _console(commands: Commands, tr: Translator) -> None:
    console = commands.add_parser("console", help=tr._("chat in the terminal, no Telegram needed"))
    console.add_argument("--as", dest="as_user", help=tr._("staff name or Telegram id to act as"))
    console.set_defaults(handler="bot.cli.console:console_command")


def _locale_option(parser: argparse.ArgumentParser, tr: Translator, help: str) -> None:
    # Checked by check_values (zh and en are accepted for zh_Hans and en).
    parser.add_argument("--locale", metavar=LOCALES, help=help)


def _format_option(parser: argparse.ArgumentParser, formats: tuple[str, ...], help: str) -> None:
    metavar = "{" + ",".join(formats) + "}"
    parser.add_argument("--format", metavar=metavar, default=formats[0], help=help)
    parser.set_defaults(formats=formats)


def _listing_format(parser: argparse.ArgumentParser, tr: Translator) -> None:
    help = tr._("a readable table, or tab-separated values or JSON for scripts")
    _format_option(parser, LISTING_FORMATS, help)


def _site(commands: Commands, tr: Translator) -> None:
    site = commands.add_parser("site", help=tr._("sites")).add_subparsers(
        dest="site_command", required=True
    )
    site_add = site.add_parser("add", help=tr._("add a site"))
    site_add.add_argument("code")
    site_add.add_argument("name")
    site_add.add_argument("--timezone", help=tr._("default: [site] timezone"))
    _locale_option(site_add, tr, tr._("the site's language (default: [site] locale)"))
    site_list = site.add_parser("list", help=tr._("list sites"))
    _listing_format(site_list, tr)
    site_set = site.add_parser("set", help=tr._("set a site setting (empty value clears it)"))
    site_set.add_argument("code")
    site_set.add_argument("key")
    site_set.add_argument("value")
    for sub in (site_add, site_list, site_set):
        sub.set_defaults(handler="bot.cli.site:site_command")
    link = site.add_parser("request-link", help=tr._("print the site's link for asking for access"))
    link.add_argument("code")
    link.add_argument(
        "--new", action="store_true", help=tr._("replace the link; the old one stops working")
    )
    link.set_defaults(handler="bot.cli.site:request_link_command")
    clocks = site.add_parser(
        "clocks", help=tr._("the site's clock settings: spans, calendar, schedules")
    ).add_subparsers(dest="clocks_command", required=True)
    clocks_list = clocks.add_parser(
        "list", help=tr._("every clock setting, the rules' and the site's")
    )
    clocks_list.add_argument("code", nargs="?", help=tr._("site code (default: the only site)"))
    _listing_format(clocks_list, tr)
    clocks_set = clocks.add_parser(
        "set", help=tr._("set a clock setting, e.g. b3_callback 40m (empty value: the rules')")
    )
    clocks_set.add_argument("code")
    clocks_set.add_argument("name")
    clocks_set.add_argument("value")
    for sub in (clocks_list, clocks_set):
        sub.set_defaults(handler="bot.cli.clocks:clocks_command")


def _staff(commands: Commands, tr: Translator) -> None:
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
    _locale_option(staff_add, tr, tr._("the person's language (default: the site's)"))
    staff_list = staff.add_parser("list", help=tr._("list staff"))
    _listing_format(staff_list, tr)
    for sub in (staff_add, staff_list):
        sub.set_defaults(handler="bot.cli.staff:staff_command")
    invite = staff.add_parser("invite", help=tr._("print a single-use invite link"))
    invite.add_argument("--role", required=True, help=tr._("the role the invite gives"))
    invite.add_argument("--site", help=tr._("site code (default: the only site)"))
    invite.add_argument(
        "--hours", help=tr._("hours the link stays valid (default: [access] invite_hours)")
    )
    revoke = staff.add_parser(
        "revoke", help=tr._("take a staff member's access away (and cancel their invites)")
    )
    revoke.add_argument("id", help=tr._("staff id, as `dutybot staff list` shows it"))
    requests = staff.add_parser("requests", help=tr._("list pending access requests"))
    requests.add_argument("--site", help=tr._("site code (default: every site)"))
    _listing_format(requests, tr)
    listed = staff.add_parser("invites", help=tr._("list the invites that still work"))
    listed.add_argument("--site", help=tr._("site code (default: every site)"))
    _listing_format(listed, tr)
    cancel = staff.add_parser(
        "invite-cancel", help=tr._("cancel an invite: its link stops working")
    )
    cancel.add_argument("id", help=tr._("the invite's id, as `dutybot staff invites` shows it"))
    for sub in (invite, revoke, requests, listed, cancel):
        sub.set_defaults(handler="bot.cli.access:access_command")


def _chains(commands: Commands, tr: Translator) -> None:
    chains = commands.add_parser("chains", help=tr._("escalation chains")).add_subparsers(
        dest="chains_command", required=True
    )
    show = chains.add_parser(
        "show", help=tr._("the chains in force per site, and whom they reach now")
    )
    show.add_argument("--site", help=tr._("site code (default: every site)"))
    show.set_defaults(handler="bot.cli.chains:chains_command")


def _rota(commands: Commands, tr: Translator) -> None:
    rota = commands.add_parser("rota", help=tr._("the duty rota")).add_subparsers(
        dest="rota_command", required=True
    )
    add = rota.add_parser("add", help=tr._("put someone on the weekly rota for a role"))
    add.add_argument("--role", required=True, help=tr._("e.g. duty_manager"))
    add.add_argument(
        "--staff", required=True, help=tr._("staff id, as `dutybot staff list` shows it")
    )
    add.add_argument("--days", required=True, help=tr._("mon-fri, sat,sun, daily …"))
    add.add_argument("--from", dest="start", required=True, help=tr._("site time, e.g. 08:00"))
    add.add_argument(
        "--to", dest="end", required=True, help=tr._("site time, e.g. 20:00 (earlier: overnight)")
    )
    swap = rota.add_parser("swap", help=tr._("a one-off cover that replaces the weekly rota"))
    swap.add_argument("--role", required=True, help=tr._("e.g. duty_manager"))
    swap.add_argument(
        "--staff", required=True, help=tr._("staff id, as `dutybot staff list` shows it")
    )
    swap.add_argument(
        "--from", dest="start", required=True, help=tr._("site time: YYYY-MM-DD HH:MM")
    )
    swap.add_argument("--to", dest="end", required=True, help=tr._("site time: YYYY-MM-DD HH:MM"))
    swap.add_argument("--note", help=tr._("why (shown in the rota)"))
    show = rota.add_parser(
        "show", help=tr._("the rota, who is on duty now, holes in the next week")
    )
    _listing_format(show, tr)
    remove = rota.add_parser("remove", help=tr._("take an entry off the rota"))
    remove.add_argument("id", help=tr._("the entry's id, as `dutybot rota show` shows it"))
    remove.add_argument("--swap", action="store_true", help=tr._("the id is a swap's"))
    for sub in (add, swap, show, remove):
        sub.add_argument("--site", help=tr._("site code (default: the only site)"))
        sub.set_defaults(handler="bot.cli.rota:rota_command")


def _verify(commands: Commands, tr: Translator) -> None:
    verify = commands.add_parser(
        "verify", help=tr._("check cases against their hash chains; exit 1 naming a broken link")
    )
    verify.add_argument("case", nargs="?", help=tr._("a case number, e.g. 2612-003 (default: all)"))
    verify.add_argument("--site", help=tr._("site code (default: every site)"))
    verify.set_defaults(handler="bot.cli.verify:verify_command")


def _drills(commands: Commands, tr: Translator) -> None:
    drills = commands.add_parser("drills", help=tr._("emergency drills")).add_subparsers(
        dest="drills_command", required=True
    )
    listed = drills.add_parser("list", help=tr._("the drills of this year and the next months"))
    ics = drills.add_parser("ics", help=tr._("the planned drills as an iCalendar (.ics) file"))
    pdf = drills.add_parser("pdf", help=tr._("a drill's record (演练记录) as a PDF"))
    pdf.add_argument("id", help=tr._("the drill's id, as `dutybot drills list` shows it"))
    pdf.add_argument("--locale", help=tr._("language of the record: zh_Hans or en"))
    for sub in (listed, ics, pdf):
        sub.add_argument("--site", help=tr._("site code (default: the only site)"))
        sub.set_defaults(handler="bot.cli.drills:drills_command")
    for sub in (ics, pdf):
        sub.add_argument(
            "-o", "--output", help=tr._("write to this file (default: standard output)")
        )


def _export(commands: Commands, tr: Translator) -> None:
    export = commands.add_parser(
        "export", help=tr._("a case's PDF report, or a month's cases as CSV")
    ).add_subparsers(dest="export_command", required=True)
    case = export.add_parser("case", help=tr._("a case's report as PDF"))
    case.add_argument("number", help=tr._("a case number, e.g. 2612-003"))
    month = export.add_parser("month", help=tr._("a month's cases as CSV (UTF-8, for Excel)"))
    month.add_argument("month", help=tr._("the month, e.g. 2026-11"))
    for sub in (case, month):
        sub.add_argument("--site", help=tr._("site code (default: the only site)"))
        sub.add_argument("-o", "--output", help=tr._("the file to write (default: named after it)"))
        _locale_option(sub, tr, tr._("the language of the file (default: the site's)"))
        sub.set_defaults(handler="bot.cli.export:export_command")


def _run(commands: Commands, tr: Translator) -> None:
    run = commands.add_parser("run", help=tr._("run the Telegram bot (polling or webhook)"))
    run.set_defaults(handler="bot.cli.run:run_command")


def check_values(args: Any, tr: Translator) -> str | None:
    """Type the options argparse leaves as text; what is wrong with a bad one, or None.

    argparse would answer a bad value in English only, so numbers and choices are checked here.
    """
    numbers = (
        ("telegram_id", "--telegram-id", None),
        ("hours", "--hours", MAX_INVITE_HOURS),
        ("id", "id", None),  # `staff revoke ID`, `staff invite-cancel ID`, `rota remove ID`
        ("staff", "--staff", None),  # `rota add | swap`
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
    locale = getattr(args, "locale", None)
    if locale is not None:
        args.locale = parse_locale(locale)
        if args.locale is None:
            return tr._(
                "{option} takes one of {choices}, not “{value}”.",
                option="--locale",
                choices=tr.join(SUPPORTED),
                value=locale,
            )
    formats = getattr(args, "formats", None)
    if formats is not None and args.format not in formats:
        return tr._(
            "{option} takes one of {choices}, not “{value}”.",
            option="--format",
            choices=tr.join(formats),
            value=args.format,
        )
    return None


def early_config(argv: list[str]) -> Path | None:
    """The ``--config`` path, read before the full parser so that its help can be translated."""
    early = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    early.add_argument("--config", type=Path)
    try:
        config: Path | None = early.parse_known_args(argv)[0].config
    except argparse.ArgumentError:
        return None  # the full parser says what is wrong
    return config


# argparse's own words (usage, help headings, its errors), for the catalog: argparse looks them
# up through the ``_`` and ``ngettext`` of its module, which ``argparse_speaks`` points at ours.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)


@contextmanager
def argparse_speaks(tr: Translator) -> Iterator[None]:
    """argparse's own text in the reader's language while a parser is built and used."""
    names = vars(argparse)  # the module's globals: argparse calls _() and ngettext() from there
    saved = names["_"], names["ngettext"]
    names["_"], names["ngettext"] = tr.gettext, tr.ngettext
    try:
        yield
    finally:
        names["_"], names["ngettext"] = saved
