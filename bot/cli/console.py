"""``dutybot console``: the terminal chat, with a demo site for a newcomer."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from bot.app import build_app
from bot.cli.common import role_name
from bot.config import Settings
from bot.engine.incoming import UserRef
from bot.i18n import Translator
from bot.sites import service as sites
from bot.staff import service as staff_service
from bot.staff.models import Staff
from bot.transports.console import ConsoleChat, chat_loop, read_line

DEMO_TELEGRAM_ID = 1


async def console_command(
    args: Any,
    settings: Settings,
    tr: Translator,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> int:
    """The console's own lines speak the deployment's default language (``tr``)."""
    app = await build_app(settings)
    try:
        member = await _choose_user(app, args.as_user, settings, tr, stdin, stdout)
        if isinstance(member, int):
            return member
        assert member.telegram_id is not None
        user = UserRef(telegram_id=member.telegram_id, display_name=member.name)
        await chat_loop(ConsoleChat(app.engine.handle, user, stdout), tr, stdin)
        return 0
    finally:
        await app.close()


async def _choose_user(
    app: Any, as_user: str | None, settings: Settings, tr: Translator, stdin: TextIO, out: TextIO
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
        answer = (await read_line(stdin) or "n").strip().lower()
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
    choice = (await read_line(stdin) or "").strip()
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
