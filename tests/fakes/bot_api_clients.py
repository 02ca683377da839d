"""Ready-made real clients pointed at a :class:`FakeBotAPI` (imported lazily)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

if TYPE_CHECKING:
    import telegram


class FastCloseAiohttpSession(AiohttpSession):
    """aiogram's session sleeps 250 ms on close() for SSL shutdown; plain HTTP needs none."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def aiogram_session(url: str) -> AiohttpSession:
    """``Bot(token, session=aiogram_session(api.url))``."""
    return FastCloseAiohttpSession(api=TelegramAPIServer.from_base(url))


def ptb_bot(url: str, token: str) -> telegram.Bot:
    """A python-telegram-bot ``Bot``; use it as ``async with ptb_bot(...) as bot:``."""
    import telegram

    return telegram.Bot(token, base_url=f"{url}/bot", base_file_url=f"{url}/file/bot")
