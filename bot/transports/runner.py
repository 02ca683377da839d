"""``dutybot run``: one Telegram transport (aiogram or python-telegram-bot), polling or webhook."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import Callable, Iterable

from bot.app import App
from bot.config import TelegramSettings
from bot.deadlines.jobs import ticks as deadline_ticks
from bot.delivery.limits import Limits
from bot.delivery.messages import Renderer
from bot.delivery.sender import Sender, SenderSettings
from bot.drills.jobs import drill_tick
from bot.escalation.jobs import climb_due_alerts
from bot.i18n import N_
from bot.maintenance import Running, Tick, housekeeping, start_scheduler, stop_scheduler
from bot.transports import webhook
from bot.transports.front import Front
from bot.transports.intake import Intake
from bot.transports.port import Port, Transport
from bot.transports.retry import backoff
from bot.transports.updates import fits

log = logging.getLogger(__name__)
DRAIN_SECONDS = 10.0


class NotConfigured(Exception):
    """A setting ``dutybot run`` needs is missing; the message (an English msgid) names it."""


def check(tg: TelegramSettings) -> None:
    # Marked, not translated: whoever shows the message translates it (``tr._(str(exc))``).
    if not tg.token:
        raise NotConfigured(
            N_(
                "No bot token: set DUTYBOT_TELEGRAM__TOKEN "
                "(or [telegram] token in the config file)."
            )
        )
    if tg.mode == "webhook" and not (tg.webhook_url and tg.webhook_secret):
        raise NotConfigured(
            N_(
                "Webhook mode needs [telegram] webhook_url and webhook_secret "
                "(DUTYBOT_TELEGRAM__WEBHOOK_URL, DUTYBOT_TELEGRAM__WEBHOOK_SECRET)."
            )
        )


def settle_memory() -> None:
    """Everything built so far (libraries, playbooks, catalogs, the client) lives as long as
    the process: move it out of the collector's sight. A full collection then walks only what
    came later, instead of stalling the loop for a few hundred milliseconds now and then."""
    gc.collect()
    gc.freeze()


def make_limits(app: App) -> Limits:
    sending = app.settings.delivery
    return Limits(
        per_second=sending.per_second,
        per_chat_seconds=sending.per_chat_seconds,
        per_group_seconds=sending.per_group_seconds,
    )


def make_transport(
    app: App,
    on_finished: Callable[[Iterable[int]], None] | None = None,
    limits: Limits | None = None,
) -> Transport:
    tg = app.settings.telegram

    def front(port: Port) -> Front:
        return Front(
            app.engine, port, album_quiet=tg.album_wait, on_finished=on_finished, limits=limits
        )

    if tg.transport == "ptb":
        from bot.transports.ptb import PtbTransport, make_application

        application = make_application(tg.token, tg.api_base_url)
        return PtbTransport(application, front, tg.polling_timeout)
    from bot.transports.aiogram import AiogramTransport, make_bot

    return AiogramTransport(make_bot(tg.token, tg.api_base_url), front, tg.polling_timeout)


async def serve(
    app: App,
    stop: asyncio.Event,
    *,
    on_finished: Callable[[Iterable[int]], None] | None = None,
    ready: Callable[[], None] | None = None,
) -> None:
    """Run until ``stop`` is set, then let updates being handled finish."""
    tg = app.settings.telegram
    check(tg)
    limits = make_limits(app)
    transport = make_transport(app, on_finished, limits)
    sender = make_sender(app, transport.front.port, limits)
    app.engine.on_outbox = sender.kick
    running = Running()
    scheduler = start_scheduler(app.db, app.engine.clock, ticks(app, sender.kick), running)
    stop_sending = asyncio.Event()
    sending = asyncio.create_task(sender.run(stop_sending))
    intake: Intake | None = None
    try:
        username = await transport.start()
        app.engine.bot_username = tg.bot_username.lstrip("@") or username
        await transport.front.setup(app.settings.site.locale)
        intake = Intake(
            app.db,
            app.engine.clock,
            transport,
            transport.front.handle,
            several_instances=tg.mode == "webhook",
            carry=True,
        )
        app.engine.on_committed = intake.committed
        await intake.replay()  # what was stored but not handled before a stop or a crash
        settle_memory()
        log.info("@%s via %s, %s", app.engine.bot_username, tg.transport, tg.mode)
        if tg.mode == "webhook":
            path = webhook.path_of(tg.webhook_url)
            runner = await webhook.start(tg.webhook_listen, path, tg.webhook_secret, intake.receive)
            try:
                await transport.set_webhook(tg.webhook_url, tg.webhook_secret)
                if ready:
                    ready()
                await stop.wait()
            finally:
                await runner.cleanup()
        else:
            if ready:
                ready()
            await poll(transport, intake, stop, tg.polling_timeout)
    finally:
        if intake is not None:
            await intake.drain(DRAIN_SECONDS)
        await stop_scheduler(scheduler, running, DRAIN_SECONDS)
        stop_sending.set()
        try:
            await asyncio.wait_for(sending, DRAIN_SECONDS)
        except TimeoutError:
            log.warning("the sender did not stop within %s s", DRAIN_SECONDS)
        await transport.close(DRAIN_SECONDS)


async def poll(transport: Transport, intake: Intake, stop: asyncio.Event, wait: int) -> None:
    """Long-poll getUpdates until ``stop``. Each batch is stored before the next call confirms
    it (its offset moves past the batch); a failed call is tried again with growing waits."""
    await transport.prepare_polling()
    last = await intake.last_update_id()
    offset = None if last is None else last + 1
    failures = 0
    while not stop.is_set():
        fetching = asyncio.create_task(transport.fetch(offset, wait))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({fetching, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not fetching.done():
            fetching.cancel()  # nothing fetched is confirmed: Telegram sends it again
            with contextlib.suppress(asyncio.CancelledError):
                await fetching
            break
        try:
            batch = fetching.result()
            if batch:
                await intake.receive(batch)  # durable before the next offset confirms it
                ids = [u["update_id"] for u in batch if fits(u.get("update_id"))]
                if ids:
                    offset = max(ids) + 1
            failures = 0
        except Exception as exc:
            failures += 1
            pause = backoff(failures)
            log.warning("getUpdates failed (%s); again in %.1f s", type(exc).__name__, pause)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)


def make_sender(app: App, port: Port, limits: Limits) -> Sender:
    sending = app.settings.delivery
    return Sender(
        app.db,
        port,
        Renderer(app.registry, app.engine.catalogs),
        app.engine.clock,
        limits,
        SenderSettings(workers=sending.workers, max_attempts=sending.max_attempts),
    )


def ticks(app: App, on_outbox: Callable[[], None]) -> list[Tick]:
    """The scheduler's jobs: alerts climbing their chains, clocks (reminders, breaches, level
    rises, recurring jobs), and housekeeping."""
    engine, registry = app.engine, app.registry

    def group_of(playbook_id: str) -> str:
        return registry.get(playbook_id).group if playbook_id in registry else "other"

    async def climb() -> int:
        return await climb_due_alerts(
            app.db, engine.clock, app.settings.escalation, group_of, on_outbox
        )

    async def drills() -> int:
        return await drill_tick(app.db, engine.clock, app.settings.drills, on_outbox)

    return [
        Tick("climb_due_alerts", app.settings.escalation.tick_seconds, climb),
        Tick("drills", app.settings.drills.tick_seconds, drills),
        *deadline_ticks(app.db, engine.clock, app.settings.escalation, group_of, on_outbox),
        housekeeping(app.db, engine.clock),
    ]
