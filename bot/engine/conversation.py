"""The engine's front door: ``handle(incoming) -> list[Outgoing]``, one transaction per event."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import timedelta

from bot.cases import service as cases
from bot.clock import Clock
from bot.conversations import service as conversations
from bot.engine import access, admin, commands, current, menu, profile, report
from bot.engine.context import Ctx
from bot.engine.dedupe import first_time
from bot.engine.incoming import Incoming, Kind, UserRef
from bot.engine.outgoing import Outgoing
from bot.engine.screen import resolve
from bot.flows.registry import Registry
from bot.i18n import Catalogs, Translator, normalize_locale
from bot.sites import service as sites
from bot.staff import service as staff_service
from bot.staff.access import may_work_on
from bot.storage.db import Database
from bot.storage.media import MediaStore

log = logging.getLogger(__name__)


@dataclass
class Engine:
    db: Database
    registry: Registry
    media: MediaStore
    catalogs: Catalogs
    clock: Clock
    default_timezone: str = "Asia/Shanghai"
    max_file_bytes: int = 20 * 1024 * 1024
    invite_valid_for: timedelta = timedelta(hours=72)
    # For invite links (https://t.me/<bot>?start=<code>); a transport sets it from getMe.
    bot_username: str = ""

    async def handle(self, incoming: Incoming) -> list[Outgoing]:
        """Handle one event. On any error nothing of it is kept and the person is told so."""
        try:
            return await self._handle(incoming)
        except Exception:
            log.exception(
                "failed to handle %s event %s from %s",
                incoming.kind,
                incoming.event_id,
                incoming.user.telegram_id,
            )
            return [self.apology(incoming.user)]

    def apology(self, user: UserRef) -> Outgoing:
        """What a person is told when their event could not be handled."""
        tr = self._visitor(user)
        return Outgoing(
            text=tr._(
                "Sorry, something went wrong. Nothing you recorded before was lost; "
                "please try again."
            )
        )

    async def is_staff(self, telegram_id: int) -> bool:
        """Whether files from this person are worth fetching at all."""
        async with self.db.transaction() as session:
            member = await staff_service.by_telegram_id(session, telegram_id)
            return member is not None and member.active

    def public_commands(self, locale: str) -> commands.Menu:
        """The command menu everyone sees before joining, in ``locale``."""
        return commands.for_everyone(self.catalogs.translator(locale, self.default_timezone))

    def _visitor(self, user: UserRef) -> Translator:
        return self.catalogs.translator(normalize_locale(user.language_code), self.default_timezone)

    async def _handle(self, incoming: Incoming) -> list[Outgoing]:
        now = self.clock.now()
        async with self.db.transaction() as session:
            fresh = await first_time(session, incoming, now)
            if fresh is None:
                log.info("event %s:%s seen before; ignored", incoming.source, incoming.event_id)
                return []
            incoming = fresh
            found = await staff_service.with_site(session, incoming.user.telegram_id)
            member, site = found if found is not None else (None, None)
            joined = False
            if member is None or site is None or not member.active:
                code = access.invite_code(incoming)
                newcomer = await access.join(session, incoming, code, now) if code else None
                if newcomer is None:
                    if member is not None:
                        return []  # revoked: the bot says nothing at all
                    tr = self._visitor(incoming.user)
                    return await access.stranger(session, incoming, tr, now, bad_code=bool(code))
                member, joined = newcomer, True
                site = await sites.get(session, member.site_id)
            assert member.id is not None
            # Their own choice (/lang), else their phone's language if we speak it, else the site's.
            spoken = normalize_locale(incoming.user.language_code, fallback=site.locale)
            tr = self.catalogs.translator(member.locale or spoken, site.timezone)
            conv = await conversations.lock(session, member.id, now)
            ctx = Ctx(
                session=session,
                staff=member,
                site=site,
                conv=conv,
                tr=tr,
                now=now,
                registry=self.registry,
                media=self.media,
                max_file_bytes=self.max_file_bytes,
            )
            reshown = conv.case_id is not None and await self._load_case(ctx, conv.case_id)
            if joined:
                access.welcome(ctx)
                menu.home(ctx)
            elif not reshown:
                await self._dispatch(ctx, incoming)
            conv.updated_at = now
            session.add(conv)
            if ctx.commands is not None and ctx.out:
                ctx.out[0] = replace(ctx.out[0], commands=ctx.commands)
            return ctx.out

    async def _load_case(self, ctx: Ctx, case_id: int) -> bool:
        """Load the open report; True when it had to be re-shown (the event is then done)."""
        tr = ctx.tr
        ctx.case = await cases.get(ctx.session, case_id)
        if not may_work_on(ctx.staff, ctx.case):
            ctx.say(
                tr._(
                    "Report {number} belongs to another site; it was set aside.",
                    number=ctx.case.number,
                )
            )
            report.reset(ctx)
        elif ctx.case.playbook_id not in self.registry:
            ctx.say(
                tr._(
                    "The procedure of report {number} is no longer available.",
                    number=ctx.case.number,
                )
            )
            report.reset(ctx)
        else:
            return await report.reconcile(ctx)
        return False

    async def _dispatch(self, ctx: Ctx, incoming: Incoming) -> None:
        if incoming.kind is Kind.COMMAND:
            await self._command(ctx, incoming.command, incoming.args)
        elif incoming.kind is Kind.PRESS:
            action = resolve(ctx.conv, incoming.token)
            if action is None:
                ctx.notice = ctx.tr._("That button is no longer active.")
                ctx.say(ctx.tr._("That button belongs to an older message. Here is where you are:"))
                await current.show(ctx)
            else:
                await self._action(ctx, action)
        elif incoming.kind is Kind.UNSUPPORTED:
            ctx.say(
                ctx.tr._(
                    "I cannot use that kind of message. Please send text, a photo or a "
                    "location, or use the buttons."
                )
            )
            await current.show(ctx)
        elif ctx.conv.screen == "step" and ctx.case is not None:
            await report.on_input(ctx, incoming)
        elif ctx.case is not None:
            # On the review or cancel screen: typed input is not an answer.
            ctx.say(ctx.tr._("Please use the buttons below."))
            await current.show(ctx)
        elif incoming.kind is Kind.TEXT and incoming.text.strip():
            menu.search(ctx, incoming.text)
        else:
            ctx.say(ctx.tr._("Start a report first; nothing was stored."))
            menu.home(ctx)

    async def _command(self, ctx: Ctx, command: str, args: str = "") -> None:
        tr = ctx.tr
        if command in ("start", "menu"):
            if command == "start":
                ctx.commands = commands.for_roles(tr, ctx.staff.roles)
            if ctx.case is not None:
                await menu.resume_offer(ctx)
            else:
                menu.home(ctx)
        elif command in ("report", "new"):
            if ctx.case is not None:
                await menu.resume_offer(ctx)
            else:
                menu.pick(ctx)
        elif command == "mine":
            await menu.mine(ctx)
        elif command == "cancel":
            if ctx.case is not None:
                menu.cancel_offer(ctx)
            else:
                ctx.say(tr._("There is no report in progress."))
                menu.home(ctx)
        elif command in ("back", "skip") and ctx.case is not None and ctx.conv.screen == "step":
            await report.on_action(ctx, command)
        elif command in ("back", "skip") and ctx.case is not None and ctx.conv.screen == "review":
            await report.back(ctx)
        elif command in ("whoami", "lang", "request", "help"):
            await self._personal(ctx, command, args)
        elif command in ("invite", "requests"):
            if admin.allowed(ctx):
                if command == "invite":
                    await self._invite(ctx, args.strip().lower())
                else:
                    await admin.pending(ctx)
            else:
                await current.show(ctx)
        else:
            ctx.say(tr._("Unknown command /{name}.", name=command[:32]))
            await current.show(ctx)

    async def _personal(self, ctx: Ctx, command: str, args: str) -> None:
        """Commands about the person themselves; the current screen is shown again after."""
        if command == "whoami":
            profile.whoami(ctx)
        elif command == "lang":
            locale = profile.parse_language(args) if args else None
            if locale is None:
                profile.offer(ctx)
                return
            await profile.set_language(ctx, locale, self.catalogs)
        elif command == "request":
            ctx.say(ctx.tr._("You have access already."))
        else:
            ctx.say(commands.help_text(ctx.tr, ctx.staff.roles))
        await current.show(ctx)

    async def _invite(self, ctx: Ctx, role: str) -> None:
        await admin.invite(ctx, role, self.invite_valid_for, self.bot_username or None)

    async def _action(self, ctx: Ctx, action: str) -> None:
        if action == "menu:home":
            menu.home(ctx)
        elif action == "menu:report":
            menu.pick(ctx)
        elif action == "menu:mine":
            await menu.mine(ctx)
        elif action.startswith("grp:") and ctx.case is None:
            menu.pick_in_group(ctx, action[4:])
        elif action.startswith("lang:"):
            await profile.set_language(ctx, action[5:], self.catalogs)
            await current.show(ctx)
        elif action.startswith(("admin:", "inv:", "req:")):
            await self._admin_action(ctx, action)
        elif action.startswith("pb:") and ctx.case is None:
            book_id = action[3:]
            if book_id in ctx.registry:
                await report.start(ctx, ctx.registry.get(book_id))
            else:
                ctx.say(ctx.tr._("That procedure is no longer available."))
                menu.pick(ctx)
        elif ctx.case is None:
            menu.home(ctx)
        elif action == "resume":
            await current.resume(ctx)
        elif action == "cancel":
            menu.cancel_offer(ctx)
        elif action == "cancel:yes":
            await report.cancel(ctx)
            menu.home(ctx)
        elif action == "cancel:no":
            back_to = ctx.conv.draft.get("_back", "step")
            ctx.conv.draft = {k: v for k, v in ctx.conv.draft.items() if k != "_back"}
            ctx.conv.screen = back_to
            await current.resume(ctx)
        elif ctx.conv.screen == "review":
            if action == "confirm":
                await report.confirm(ctx)
                menu.home(ctx)
            elif action == "back":
                await report.back(ctx)
            else:
                await report.review(ctx)
        elif ctx.conv.screen == "step":
            await report.on_action(ctx, action)
        else:
            await current.show(ctx)

    async def _admin_action(self, ctx: Ctx, action: str) -> None:
        if not admin.allowed(ctx):  # the role may have been taken away since the screen
            await current.show(ctx)
        elif action == "admin:home":
            await admin.home(ctx)
        elif action == "admin:invite":
            await self._invite(ctx, "")
        elif action == "admin:requests":
            await admin.pending(ctx)
        elif action.startswith("inv:"):
            await self._invite(ctx, action[4:])
        else:
            await admin.on_request(ctx, action)
