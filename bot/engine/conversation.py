"""The engine's front door: ``handle(incoming) -> list[Outgoing]``, one transaction per event."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta

from sqlmodel import Session

from bot.cases import service as cases
from bot.clock import Clock
from bot.conversations import service as conversations
from bot.engine import (
    access,
    callbacks,
    commands,
    current,
    drill_chat,
    drill_state,
    manager_chat,
    menu,
    report,
)
from bot.engine.context import Ctx
from bot.engine.dedupe import first_time
from bot.engine.incoming import Incoming, Kind, UserRef
from bot.engine.outgoing import Outgoing, made
from bot.engine.routes import ROUTER, dispatch_action
from bot.engine.screen import ScreenName, resolve
from bot.escalation.chains import EscalationSettings
from bot.flows.registry import Registry
from bot.i18n import Catalogs, Translator, normalize_locale
from bot.sites import service as sites
from bot.staff import service as staff_service
from bot.staff.access import may_work_on
from bot.storage.db import Database
from bot.storage.media import MediaStore
from bot.tasks import service as tasks
from bot.tasks.models import TaskState

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
    chains: EscalationSettings = field(default_factory=EscalationSettings)
    # Called after a transaction that wrote outbox rows has committed (wakes the sender).
    on_outbox: Callable[[], None] | None = None
    # Called once an event's transaction has committed: the event's mark as handled is
    # durable from then on (the intake then tells Telegram it was received).
    on_committed: Callable[[Incoming], None] | None = None

    async def handle(self, incoming: Incoming) -> list[Outgoing]:
        """Handle one event. On any error nothing of it is kept and the person is told so.

        The whole event is one unit of work on a database thread (see bot/storage/db.py): the
        engine below is synchronous, its statements run back to back, one commit.
        """
        press = callbacks.unpack(incoming.token) if incoming.kind is Kind.PRESS else None
        route = ROUTER.press_route(press) if press is not None else None
        in_groups = route is not None and route.in_groups
        if not incoming.private and not in_groups and not manager_chat.accepts(incoming):
            return []  # in a group only presses on pings sent there, and managers' asks, count
        try:
            out, outbox = await self.db.run(lambda session: self._handle(session, incoming))
        except Exception:
            log.exception(
                "failed to handle %s event %s from %s",
                incoming.kind,
                incoming.event_id,
                incoming.user.telegram_id,
            )
            return [self.apology(incoming.user)]
        if self.on_committed is not None:
            self.on_committed(incoming)
        if outbox and self.on_outbox is not None:
            self.on_outbox()
        return await made(out)  # files (PDF, CSV, charts) are drawn after the commit

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

        def active(session: Session) -> bool:
            member = staff_service.by_telegram_id(session, telegram_id)
            return member is not None and member.active

        return await self.db.run(active)

    def public_commands(self, locale: str) -> commands.Menu:
        """The command menu everyone sees before joining, in ``locale``."""
        return commands.for_everyone(self.catalogs.translator(locale, self.default_timezone))

    def _visitor(self, user: UserRef) -> Translator:
        return self.catalogs.translator(normalize_locale(user.language_code), self.default_timezone)

    def _handle(self, session: Session, incoming: Incoming) -> tuple[list[Outgoing], bool]:
        """The event's unit of work: what to answer, and whether outbox rows were written."""
        press = callbacks.unpack(incoming.token) if incoming.kind is Kind.PRESS else None
        route = ROUTER.press_route(press) if press is not None else None
        now = self.clock.now()
        fresh = first_time(session, incoming, now)
        if fresh is None:
            log.info("event %s:%s seen before; ignored", incoming.source, incoming.event_id)
            return [], False
        incoming = fresh
        found = staff_service.with_site(session, incoming.user.telegram_id)
        member, site = found if found is not None else (None, None)
        joined = False
        if member is None or site is None or not member.active:
            code = access.invite_code(incoming)
            newcomer = access.join(session, incoming, code, now) if code else None
            if newcomer is None:
                if member is not None or not incoming.private:
                    return [], False  # revoked (or a stranger in a group): says nothing
                tr = self._visitor(incoming.user)
                return access.stranger(session, incoming, tr, now, bad_code=bool(code)), False
            member, joined = newcomer, True
            site = sites.get(session, member.site_id)
        assert member.id is not None
        if member.unreachable_since is not None:
            staff_service.mark_reachable(session, member)
        # Their own choice (/lang), else their phone's language if we speak it, else the site's.
        spoken = normalize_locale(incoming.user.language_code, fallback=site.locale)
        tr = self.catalogs.translator(member.locale or spoken, site.timezone)
        conv = conversations.lock(session, member.id, now)
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
            chains=self.chains,
            bot_username=self.bot_username,
            invite_valid_for=self.invite_valid_for,
            catalogs=self.catalogs,
            group_chat=None if incoming.private else incoming.chat_id,
        )
        if joined:
            access.welcome(ctx)
            menu.home(ctx)
        elif route is not None and route.standalone:
            # Its own token space: the person's conversation is left exactly as it is.
            route.handler(ctx, press)
        elif not incoming.private:
            manager_chat.in_group(ctx, incoming)  # the asker's conversation is left as it is
        else:
            reshown = conv.case_id is not None and self._load_case(ctx, conv.case_id)
            if not reshown:
                self._dispatch(ctx, incoming, press)
        conv.updated_at = now
        conversations.save(session, conv)
        if ctx.commands is not None and ctx.out:
            ctx.out[0] = replace(ctx.out[0], commands=ctx.commands)
        return ctx.out, ctx.outbox

    def _load_case(self, ctx: Ctx, case_id: int) -> bool:
        """Load the report or task in hand; True when it had to be re-shown (the event is then
        done)."""
        tr = ctx.tr
        ctx.case = cases.get(ctx.session, case_id)
        if ctx.conv.task_id is not None:
            return self._load_task(ctx, ctx.conv.task_id)
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
            return report.reconcile(ctx)
        return False

    def _load_task(self, ctx: Ctx, task_id: int) -> bool:
        """The task in hand, if it is still the person's to do; else they are told why not."""
        case = ctx.case
        assert case is not None
        task = tasks.get(ctx.session, task_id)
        if (
            task is not None
            and task.state == TaskState.STARTED
            and task.holder_id == ctx.staff_id
            and case.site_id == ctx.staff.site_id
            and case.playbook_id in self.registry
        ):
            ctx.task = task
            return report.reconcile(ctx)
        tr = ctx.tr
        if task is not None and task.state == TaskState.CANCELLED:
            ctx.say(tr._("Case {number} was closed; your task is over.", number=case.number))
        else:
            ctx.say(tr._("That task of case {number} is no longer yours.", number=case.number))
        report.reset(ctx)
        return False

    def _dispatch(self, ctx: Ctx, incoming: Incoming, press: callbacks.CallbackData | None) -> None:
        if incoming.kind is Kind.COMMAND:
            handler = ROUTER.commands.get(incoming.command)
            if handler is None:
                ctx.say(ctx.tr._("Unknown command /{name}.", name=incoming.command[:32]))
                current.show(ctx)
            else:
                handler(ctx, incoming.args)
        elif incoming.kind is Kind.PRESS:
            self._press(ctx, press)
        elif incoming.kind is Kind.UNSUPPORTED:
            ctx.say(
                ctx.tr._(
                    "I cannot use that kind of message. Please send text, a photo or a "
                    "location, or use the buttons."
                )
            )
            current.show(ctx)
        elif drill_state.active(ctx):
            drill_chat.on_input(ctx, incoming)
        elif ctx.conv.screen == ScreenName.STEP and ctx.case is not None:
            report.on_input(ctx, incoming)
        elif ctx.case is None and ctx.conv.screen in ROUTER.inputs:
            ROUTER.inputs[ctx.conv.screen](ctx, incoming)
        elif ctx.case is not None:
            # On the review or cancel screen: typed input is not an answer.
            ctx.say(ctx.tr._("Please use the buttons below."))
            current.show(ctx)
        elif incoming.kind is Kind.TEXT and incoming.text.strip():
            menu.search(ctx, incoming.text)
        else:
            ctx.say(ctx.tr._("Start a report first; nothing was stored."))
            menu.home(ctx)

    def _press(self, ctx: Ctx, press: callbacks.CallbackData | None) -> None:
        tr = ctx.tr
        if isinstance(press, callbacks.ScreenPress):
            if press.conversation != ctx.conv.id:
                ctx.notice = tr._("That button is not for you.")
                ctx.say(tr._("That button belongs to someone else's chat. Here is where you are:"))
                current.show(ctx)
                return
            action = resolve(ctx.conv, press)
            if action is not None:
                dispatch_action(ctx, action)
                return
            ctx.notice = tr._("That button is no longer active.")
            ctx.say(tr._("That button belongs to an older message. Here is where you are:"))
        elif press is not None and (route := ROUTER.press_route(press)) is not None:
            route.handler(ctx, press)  # a press of its own kind that works in the conversation
            return
        else:  # forged, garbled, or from a version of the bot that is gone
            ctx.notice = tr._("That button is not valid.")
            ctx.say(tr._("That button is not valid. Here is where you are:"))
        current.show(ctx)
