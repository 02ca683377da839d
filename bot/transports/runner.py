"""``dutybot run``: one Telegram transport (aiogram or python-telegram-bot), polling or webhook."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from typing import Any

from bot.app import App
from bot.config import TelegramSettings
from bot.i18n import N_
from bot.maintenance import start_scheduler
from bot.transports import webhook
from bot.transports.front import Front
from bot.transports.port import Port

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


def make_transport(app: App, on_finished: Callable[[Iterable[int]], None] | None = None) -> Any:
    tg = app.settings.telegram

    def front(port: Port) -> Front:
        return Front(app.engine, port, album_quiet=tg.album_wait, on_finished=on_finished)

    if tg.transport == "ptb":
        from bot.transports.ptb import PtbTransport, make_application

        application = make_application(tg.token, tg.api_base_url, polling=tg.mode == "polling")
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
    transport = make_transport(app, on_finished)
    scheduler = start_scheduler(app.db, app.engine.clock)
    try:
        username = await transport.start()
        app.engine.bot_username = tg.bot_username.lstrip("@") or username
        await transport.front.setup(app.settings.site.locale)
        log.info("@%s via %s, %s", app.engine.bot_username, tg.transport, tg.mode)
        if tg.mode == "webhook":
            path = webhook.path_of(tg.webhook_url)
            runner = await webhook.start(tg.webhook_listen, path, tg.webhook_secret, transport.feed)
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
            await transport.poll(stop)
    finally:
        scheduler.shutdown(wait=False)
        await transport.close(DRAIN_SECONDS)
