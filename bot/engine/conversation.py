"""The engine's front door: ``handle(incoming) -> list[Outgoing]``, one transaction per event."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.cases import service as cases
from bot.clock import Clock
from bot.conversations import service as conversations
from bot.engine import menu, report
from bot.engine.context import Ctx
from bot.engine.incoming import Incoming, Kind
from bot.engine.outgoing import Outgoing
from bot.engine.screen import resolve
from bot.flows.registry import Registry
from bot.i18n import Catalogs, normalize_locale
from bot.sites import service as sites
from bot.staff import service as staff_service
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
            tr = self.catalogs.translator(
                normalize_locale(incoming.user.language_code), self.default_timezone
            )
            return [
                Outgoing(
                    text=tr._(
                        "Sorry, something went wrong. Nothing you recorded before was lost; "
                        "please try again."
                    )
                )
            ]

    async def _handle(self, incoming: Incoming) -> list[Outgoing]:
        now = self.clock.now()
        async with self.db.transaction() as session:
            if incoming.event_id is not None and not await conversations.first_delivery(
                session, incoming.source, incoming.event_id, now
            ):
                log.info("event %s:%s seen before; ignored", incoming.source, incoming.event_id)
                return []
            member = await staff_service.by_telegram_id(session, incoming.user.telegram_id)
            if member is None or not member.active or member.id is None:
                return self._stranger(incoming)
            site = await sites.get(session, member.site_id)
            tr = self.catalogs.translator(member.locale or site.locale, site.timezone)
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
            if conv.case_id is not None:
                ctx.case = await cases.get(session, conv.case_id)
                if ctx.case.playbook_id not in self.registry:
                    ctx.say(
                        tr._(
                            "The procedure of report {number} is no longer available.",
                            number=ctx.case.number,
                        )
                    )
                    report.reset(ctx)
            await self._dispatch(ctx, incoming)
            conv.updated_at = now
            session.add(conv)
            return ctx.out

    def _stranger(self, incoming: Incoming) -> list[Outgoing]:
        tr = self.catalogs.translator(
            normalize_locale(incoming.user.language_code), self.default_timezone
        )
        return [
            Outgoing(
                text=tr._(
                    "Hello! This bot is for registered security and hotel staff only. "
                    "Please ask your administrator for an invite link."
                )
            )
        ]

    async def _dispatch(self, ctx: Ctx, incoming: Incoming) -> None:
        if incoming.kind is Kind.COMMAND:
            await self._command(ctx, incoming.command)
        elif incoming.kind is Kind.PRESS:
            action = resolve(ctx.conv, incoming.token)
            if action is None:
                ctx.notice = ctx.tr._("That button is no longer active.")
                ctx.say(ctx.tr._("That button belongs to an older message. Here is where you are:"))
                await self._show_current(ctx)
            else:
                await self._action(ctx, action)
        elif ctx.conv.screen == "step" and ctx.case is not None:
            await report.on_input(ctx, incoming)
        elif ctx.case is not None:
            # On the review or cancel screen: typed input is not an answer.
            ctx.say(ctx.tr._("Please use the buttons below."))
            await self._show_current(ctx)
        elif incoming.kind is Kind.TEXT and incoming.text.strip():
            menu.search(ctx, incoming.text)
        else:
            ctx.say(ctx.tr._("Start a report first; nothing was stored."))
            menu.home(ctx)

    async def _show_current(self, ctx: Ctx) -> None:
        screen = ctx.conv.screen
        if ctx.case is None:
            if screen == "pick":
                menu.pick(ctx)
            else:
                menu.home(ctx)
        elif screen == "step":
            await report.show_step(ctx)
        elif screen == "review":
            await report.review(ctx)
        elif screen == "cancel":
            menu.cancel_offer(ctx)
        else:
            await menu.resume_offer(ctx)

    async def _command(self, ctx: Ctx, command: str) -> None:
        tr = ctx.tr
        if command in ("start", "menu"):
            if ctx.case is not None:
                await menu.resume_offer(ctx)
            else:
                menu.home(ctx)
        elif command in ("report", "new"):
            if ctx.case is not None:
                await menu.resume_offer(ctx)
            else:
                menu.pick(ctx)
        elif command == "cancel":
            if ctx.case is not None:
                menu.cancel_offer(ctx)
            else:
                ctx.say(tr._("There is no report in progress."))
                menu.home(ctx)
        elif (
            command in ("back", "skip")
            and ctx.case is not None
            and ctx.conv.screen
            in (
                "step",
                "review",
            )
        ):
            await report.on_action(
                ctx, command
            ) if ctx.conv.screen == "step" else await report.back(ctx)
        elif command == "help":
            ctx.say(
                tr._(
                    "Commands: /start menu, /report new report, /back previous step, "
                    "/skip skip an optional step, /cancel cancel the report."
                )
            )
            await self._show_current(ctx)
        else:
            ctx.say(tr._("Unknown command /{name}.", name=command[:32]))
            await self._show_current(ctx)

    async def _action(self, ctx: Ctx, action: str) -> None:
        if action == "menu:home":
            menu.home(ctx)
        elif action == "menu:report":
            menu.pick(ctx)
        elif action == "menu:mine":
            await menu.mine(ctx)
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
            await self._resume(ctx)
        elif action == "cancel":
            menu.cancel_offer(ctx)
        elif action == "cancel:yes":
            await report.cancel(ctx)
            menu.home(ctx)
        elif action == "cancel:no":
            back_to = ctx.conv.draft.get("_back", "step")
            ctx.conv.draft = {k: v for k, v in ctx.conv.draft.items() if k != "_back"}
            ctx.conv.screen = back_to
            await self._resume(ctx)
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
            await self._show_current(ctx)

    async def _resume(self, ctx: Ctx) -> None:
        if ctx.conv.screen == "review":
            await report.review(ctx)
        elif ctx.conv.step_id is not None:
            ctx.conv.screen = "step"
            await report.show_step(ctx)
        else:
            await report.advance(ctx)
