"""Telegram's sending limits, kept with aiolimiter's leaky buckets.

About 30 messages a second per bot, about one a second per chat, 20 a minute per group; above
that Telegram answers 429. The buckets here hold one token each, so messages go out evenly
spaced: at most ``per_second`` in any second, with a margin below 30 for network jitter.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict

from aiolimiter import AsyncLimiter


class Limits:
    def __init__(
        self,
        *,
        per_second: float = 29.0,
        per_chat_seconds: float = 1.05,
        per_group_seconds: float = 3.05,
        remembered_chats: int = 20_000,
    ) -> None:
        self.per_chat_seconds = per_chat_seconds
        self.per_group_seconds = per_group_seconds
        self._bot = AsyncLimiter(1, 1 / per_second)
        self._chats: OrderedDict[int, AsyncLimiter] = OrderedDict()
        self._remembered = remembered_chats
        self._paused_until = 0.0

    def _chat(self, chat_id: int) -> AsyncLimiter:
        limiter = self._chats.pop(chat_id, None)
        if limiter is None:
            period = self.per_group_seconds if chat_id < 0 else self.per_chat_seconds
            limiter = AsyncLimiter(1, period)
        self._chats[chat_id] = limiter
        while len(self._chats) > self._remembered:
            self._chats.popitem(last=False)
        return limiter

    def chat_wait(self, chat_id: int) -> float:
        """Seconds until ``chat_id`` may get another message (0: now)."""
        limiter = self._chat(chat_id)
        if limiter.has_capacity():
            return 0.0
        return self.per_group_seconds if chat_id < 0 else self.per_chat_seconds

    async def slot(self, chat_id: int | None = None) -> None:
        """Wait for the bot-wide bucket (and the chat's, when given), honouring a flood pause."""
        pause = self._paused_until - time.monotonic()
        if pause > 0:
            await asyncio.sleep(pause)
        if chat_id is not None:
            await self._chat(chat_id).acquire()
        await self._bot.acquire()

    def pause(self, seconds: float) -> None:
        """Telegram said 429: hold every send for ``seconds``."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)
