"""Sequential webhook delivery, like Telegram's POSTs to the URL given to setWebhook."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import aiohttp

from .bot_api_latency import Latency
from .bot_api_models import JsonDict, UploadedFile
from .bot_api_state import WebhookConfig

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ExecuteFn = Callable[[str, JsonDict], Awaitable[Any]]


@dataclass(frozen=True)
class WebhookDelivery:
    update_id: int
    url: str
    status: int | None  # None when the connection failed
    error: str | None = None


@dataclass
class _Job:
    update: JsonDict
    config: WebhookConfig
    done: asyncio.Future[None]
    on_success: Callable[[], None]
    on_failure: Callable[[], None]


class WebhookDeliverer:
    """One worker POSTs updates in order; a method returned in the response body is run."""

    def __init__(
        self,
        execute: ExecuteFn,
        latency: Latency | None = None,
        latency_key: str = "webhook",
        timeout: float = 10.0,
    ) -> None:
        self.execute = execute
        self.latency = latency or Latency()
        self.latency_key = latency_key
        self.timeout = timeout
        self.deliveries: list[WebhookDelivery] = []
        self._queue: asyncio.Queue[_Job] = asyncio.Queue()
        self._session: aiohttp.ClientSession | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        self._task = asyncio.create_task(self._worker(), name="fake-bot-api-webhooks")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        while not self._queue.empty():
            job = self._queue.get_nowait()
            if not job.done.done():
                job.done.cancel()
        if self._session is not None:
            await self._session.close()
            self._session = None

    def submit(
        self,
        update: JsonDict,
        config: WebhookConfig,
        on_success: Callable[[], None],
        on_failure: Callable[[], None],
    ) -> asyncio.Future[None]:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Job(update, config, done, on_success, on_failure))
        return done

    async def _worker(self) -> None:
        while True:
            job = await self._queue.get()
            try:
                await self._deliver(job)
            except Exception as exc:  # keep delivering later updates
                update_id = int(job.update.get("update_id", 0))
                self.deliveries.append(WebhookDelivery(update_id, job.config.url, None, repr(exc)))
            finally:
                if not job.done.done():
                    job.done.set_result(None)

    async def _deliver(self, job: _Job) -> None:
        assert self._session is not None
        headers = {"Content-Type": "application/json"}
        if job.config.secret_token:
            headers[SECRET_HEADER] = job.config.secret_token
        update_id = int(job.update["update_id"])
        await self.latency.downlink(self.latency_key)  # Telegram -> bot
        try:
            async with self._session.post(
                job.config.url, data=json.dumps(job.update), headers=headers
            ) as resp:
                status = resp.status
                call = await _read_method_call(resp) if 200 <= status < 300 else None
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            self._failed(job, update_id, None, f"Connection failed: {exc!r}")
            return
        await self.latency.uplink(self.latency_key)  # the bot's answer travels back
        if not 200 <= status < 300:
            self._failed(job, update_id, status, f"Wrong response from the webhook: {status}")
            return
        self.deliveries.append(WebhookDelivery(update_id, job.config.url, status))
        job.on_success()
        if call is not None:
            # Telegram executes a Bot API call returned as the webhook response body.
            await self.execute(*call)

    def _failed(self, job: _Job, update_id: int, status: int | None, error: str) -> None:
        self.deliveries.append(WebhookDelivery(update_id, job.config.url, status, error))
        job.config.last_error_message = error
        job.config.last_error_date = int(time.time())
        job.on_failure()


async def _read_method_call(resp: aiohttp.ClientResponse) -> tuple[str, JsonDict] | None:
    """Decode ``{"method": ..., params}`` sent back as JSON, urlencoded or multipart
    (aiogram's webhook handler answers with multipart/form-data)."""
    params: JsonDict = {}
    if resp.content_type == "multipart/form-data":
        reader = aiohttp.MultipartReader.from_response(resp)
        async for part in reader:
            if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
                continue
            data = await part.read()
            if part.filename:
                ctype = part.headers.get("Content-Type", "application/octet-stream")
                params[part.name] = UploadedFile(part.filename, ctype, bytes(data))
            else:
                params[part.name] = bytes(data).decode("utf-8")
    elif resp.content_type == "application/x-www-form-urlencoded":
        params = dict(parse_qsl(await resp.text()))
    else:
        body = await resp.read()
        try:
            loaded = json.loads(body) if body.strip() else None
        except ValueError:
            return None
        params = loaded if isinstance(loaded, dict) else {}
    method = params.pop("method", None)
    return (method, params) if isinstance(method, str) else None
