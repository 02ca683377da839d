"""The webhook endpoint (aiohttp): Telegram POSTs updates here with the agreed secret header."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from bot.transports.updates import fits

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Stores the update durably; the 200 goes back only once it has.
Feed = Callable[[list[dict[str, Any]]], Awaitable[None]]


def path_of(url: str) -> str:
    return urlsplit(url).path or "/"


def application(path: str, secret: str, feed: Feed) -> web.Application:
    """Refuses (401) any request without the right secret; answers 200 once ``feed`` has
    stored the update (and 500 when it could not: Telegram then sends it again)."""

    async def receive(request: web.Request) -> web.Response:
        offered = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(offered.encode(), secret.encode()):
            log.warning("webhook request from %s refused: wrong secret", request.remote)
            return web.Response(status=401, text="unauthorized")
        try:
            data = await request.json()
        except RecursionError:
            # Valid JSON nested too deeply to read. It came with the secret, and Telegram would
            # send it again and again on any error: acknowledged, logged and dropped.
            log.warning("webhook update dropped: JSON nested too deeply to read")
            return web.Response(text="ok")
        except ValueError:
            return web.Response(status=400, text="not JSON")
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return web.Response(status=400, text="not an update")
        if not fits(data["update_id"]):
            log.warning("webhook update dropped: update_id is not a 64-bit integer")
            return web.Response(text="ok")
        try:
            await feed([data])  # stored before Telegram hears "received"; handled after
        except Exception:
            log.exception("webhook update %s could not be stored", data["update_id"])
            return web.Response(status=500, text="not stored")
        return web.Response(text="ok")

    async def health(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post(path, receive)
    app.router.add_get("/healthz", health)
    return app


async def start(listen: str, path: str, secret: str, feed: Feed) -> web.AppRunner:
    host, _, port = listen.rpartition(":")
    runner = web.AppRunner(application(path, secret, feed), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host or "0.0.0.0", int(port)).start()
    log.info("webhook listening on %s%s", listen, path)
    return runner
