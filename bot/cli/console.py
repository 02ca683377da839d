"""``dutybot console``: the terminal chat, with a demo site for a newcomer."""

from __future__ import annotations

import asyncio
import signal
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from bot.app import build_app
from bot.cases import service as cases
from bot.cli.common import role_name
from bot.config import Settings
from bot.conversations import service as conversations
from bot.engine.incoming import UserRef
from bot.i18n import Translator
from bot.sites import service as sites
from bot.staff import service as staff_service
from bot.staff.models import Staff
from bot.transports.console import ConsoleChat, Ending, Interrupted, LineReader, chat_loop

DEMO_TELEGRAM_ID = 1


async def console_command(
    args: Any,
    settings: Settings,
    tr: Translator,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> int:
    """The console's own lines speak the deployment's default language (``tr``).

    It ends with /quit, at the end of the input, or with Ctrl-C at once (exit code 130), each
    time saying whether a report in progress is kept and how to go on with it.
    """
    app = await build_app(settings)
    reader = LineReader(stdin)
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGINT, reader.interrupt)
        catching = True
    except (NotImplementedError, RuntimeError):  # no signal handlers here: KeyboardInterrupt
        catching = False
    try:
        try:
            member = await _choose_user(app, args.as_user, settings, tr, reader, stdout)
        except Interrupted:
            stdout.write("\n")
            return 130
        if isinstance(member, int):
            return member
        assert member.telegram_id is not None
        user = UserRef(telegram_id=member.telegram_id, display_name=member.name)
        chat = ConsoleChat(app.engine.handle, user, stdout, _speaking(app, member))
        ending = await chat_loop(chat, tr, reader)
        stdout.write("\n" + farewell(app, member, chat.tr) + "\n")
        stdout.flush()
        return 130 if ending is Ending.INTERRUPT else 0
    finally:
        if catching:
            loop.remove_signal_handler(signal.SIGINT)
        await app.close()


def _speaking(app: Any, member: Staff) -> Translator:
    """The person's language, as the chat speaks it: their own choice, else their site's."""
    with app.db.transaction() as session:
        site = sites.get(session, member.site_id)
    locale, timezone = member.locale or site.locale, site.timezone
    translator: Translator = app.engine.catalogs.translator(locale, timezone)
    return translator


def farewell(app: Any, member: Staff, tr: Translator) -> str:
    """What the console says as it ends: the report in progress is kept, and how to go on."""
    assert member.id is not None
    with app.db.transaction() as session:
        conversation = conversations.get(session, member.id)
        case_id = conversation.case_id if conversation is not None else None
        case = cases.get(session, case_id) if case_id else None
    if case is None:
        return tr._("Goodbye.")
    command = f'dutybot console --as "{member.name}"'
    return tr._(
        "Report {number} stays in progress; nothing you recorded is lost. To go on with it, "
        "run {command} and press “Continue”.",
        number=case.number,
        command=command,
    )


async def _choose_user(
    app: Any,
    as_user: str | None,
    settings: Settings,
    tr: Translator,
    reader: LineReader,
    out: TextIO,
) -> Staff | int:
    """Who the console acts as, or the exit code: 2 for an unknown --as, 1 when none is chosen."""
    with app.db.transaction() as session:
        everyone = [
            m
            for m in staff_service.all_staff(session, active_only=True)
            if m.telegram_id is not None
        ]
    if as_user:
        for member in everyone:
            if as_user == str(member.telegram_id) or as_user.casefold() == member.name.casefold():
                return member
        known = tr.join(f"{m.name} ({m.telegram_id})" for m in everyone) or tr._("none")
        message = tr._("No active staff member “{name}”. Known: {known}", name=as_user, known=known)
        print(f"dutybot: {message}", file=sys.stderr)
        return 2
    if not everyone:
        question = tr._(
            "The database has no staff yet. Create a demo site and a demo user "
            "so you can try dutybot?"
        )
        out.write(f"{question} [Y/n] ")
        out.flush()
        answer = (await reader.read() or "n").strip().lower()
        if answer not in ("", "y", "yes", "是", "好"):
            out.write(
                tr._("Nothing created. Add people with `dutybot site add` and `dutybot staff add`.")
                + "\n"
            )
            return 1
        return await create_demo(app, settings, tr, out)
    if len(everyone) == 1:
        return everyone[0]
    out.write(tr._("Who are you?") + "\n")
    for number, member in enumerate(everyone, 1):
        roles = tr.join(role_name(role, tr) for role in member.roles)
        out.write(f"  [{number}] {member.name} ({roles})\n")
    out.write("> ")
    out.flush()
    choice = (await reader.read() or "").strip()
    if choice.isdigit() and 1 <= int(choice) <= len(everyone):
        return everyone[int(choice) - 1]
    out.write(tr._("No such person. Start again with --as NAME.") + "\n")
    return 2


async def create_demo(app: Any, settings: Settings, tr: Translator, out: TextIO) -> Staff:
    now = datetime.now(UTC)
    with app.db.transaction() as session:
        site = sites.by_code(session, "demo")
        if site is None:
            site = sites.create(
                session,
                code="demo",
                name=tr._("Demo Hotel"),
                timezone=settings.site.timezone,
                locale=settings.site.locale,
                now=now,
            )
        assert site.id is not None
        member = staff_service.add(
            session,
            telegram_id=DEMO_TELEGRAM_ID,
            name=tr._("Demo Guard"),
            roles=["guard", "admin"],
            site_id=site.id,
            locale=None,
            now=now,
        )
    created = tr._("Created site “{site}” and user “{user}”.", site=site.name, user=member.name)
    again = tr._("Next time: {command}", command=f'dutybot console --as "{member.name}"')
    out.write(tr.sentences(created, again) + "\n")
    return member
