"""Fixtures for the fake Bot API's own tests: a server and real clients pointed at it.

(test_bot_api.py and test_bot_api_rules.py keep their own, older definitions.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
import telegram
from aiogram import Bot

from .bot_api import FakeBotAPI
from .bot_api_clients import aiogram_session, ptb_bot

TOKEN = "123:ABC"


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(token=TOKEN) as server:
        yield server


@pytest_asyncio.fixture
async def abot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    """The real aiogram 3 ``Bot``."""
    bot = Bot(TOKEN, session=aiogram_session(api.url))
    yield bot
    await bot.session.close()


@pytest_asyncio.fixture
async def ptb(api: FakeBotAPI) -> AsyncIterator[telegram.Bot]:
    """The real python-telegram-bot 22 ``Bot`` (initialized: it has called getMe)."""
    async with ptb_bot(api.url, TOKEN) as bot:
        yield bot
