"""python-telegram-bot's request on the canned Bot API of bench/canned.py (a module of its own so
that an aiogram benchmark does not import PTB)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from telegram.request import BaseRequest, RequestData

from bench.canned import Telegram


class CannedRequest(BaseRequest):
    """python-telegram-bot's request without a network: PTB builds the request data (and its
    JSON or multipart payload) and parses the canned answer as it would Telegram's."""

    def __init__(self, telegram: Telegram) -> None:
        self.telegram = telegram

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:
            if self.telegram.latency:
                await asyncio.sleep(self.telegram.latency)
            return 200, self.telegram.download(url)
        params: dict[str, Any] = {}
        if request_data is not None:
            if request_data.contains_files:
                request_data.multipart_data  # noqa: B018 (built as HTTPXRequest builds it)
            else:
                request_data.json_payload  # noqa: B018
            params = dict(request_data.json_parameters)
        result = await self.telegram.call(url.rsplit("/", 1)[-1], params)
        return 200, json.dumps({"ok": True, "result": result}).encode()
