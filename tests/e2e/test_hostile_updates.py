"""Hostile updates over Telegram: dropped with a warning, never a 500, a crash or the apology."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.e2e.harness import SECRET, TRANSPORTS, Bot, running

HEADER = "X-Telegram-Bot-Api-Secret-Token"
APOLOGY = "Sorry, something went wrong"
HUGE = 2**64  # one past what a signed 64-bit column holds, twice over


def message(update_id: int, *, user: int = 7, chat: int = 7, text: str = "/start") -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": chat, "type": "private"},
            "from": {"id": user, "is_bot": False, "first_name": "Li"},
            "text": text,
        },
    }


def press(update_id: int, *, user: int = 7, chat: int = 7) -> dict:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": "1",
            "chat_instance": "1",
            "data": "x",
            "from": {"id": user, "is_bot": False, "first_name": "Li"},
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": chat, "type": "private"},
                "text": "question",
            },
        },
    }


HOSTILE: dict[str, Any] = {
    "nested 100,000 deep": '{"update_id": 1, "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "message is a string": {"update_id": 2, "message": "x"},
    "message is a list": {"update_id": 3, "message": [1, 2]},
    "chat is a number": {"update_id": 4, "message": {"message_id": 1, "date": 0, "chat": 5}},
    "callback is a list": {"update_id": 5, "callback_query": []},
    "update_id beyond 64 bits": message(HUGE),
    "update_id below -2**63": message(-(2**63) - 1),
    "user id beyond 64 bits": message(6, user=HUGE),
    "chat id beyond 64 bits": message(7, chat=HUGE),
    "pressing user beyond 64 bits": press(8, user=HUGE),
    "pressed chat beyond 64 bits": press(9, chat=HUGE),
    "text is a number": {**message(10), "message": {**message(10)["message"], "text": 5}},
}


async def warned(caplog: pytest.LogCaptureFixture, count: int) -> list[str]:
    """Wait (up to 5 s) until ``count`` "dropped" warnings were logged (updates are handled in
    the background); their messages."""
    async with asyncio.timeout(5):
        while True:
            found = [
                r.getMessage()
                for r in caplog.records
                if r.levelno == logging.WARNING and "dropped" in r.getMessage()
            ]
            if len(found) >= count:
                return found
            await asyncio.sleep(0.05)


async def still_serves(bot: Bot) -> None:
    """A real guard is answered normally afterwards, and nobody got the apology."""
    guard = bot.person(7)
    menu = await guard.say("/start")
    assert "What do you need?" in (menu[0].text or "")
    texts = [m.text or "" for chat in bot.api.state.chats for m in bot.api.sent_messages(chat)]
    assert not any(APOLOGY in text for text in texts), texts


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_hostile_webhook_body_is_acknowledged_logged_and_dropped(
    tmp_path: Path, transport: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    async with running(tmp_path, transport, webhook=True) as bot:
        await bot.add_staff(7, "Li Wei", "guard")
        hook = bot.app.settings.telegram.webhook_url
        async with aiohttp.ClientSession() as http:
            for name, body in HOSTILE.items():
                kwargs: dict[str, Any] = {"data": body} if isinstance(body, str) else {"json": body}
                async with http.post(hook, headers={HEADER: SECRET}, **kwargs) as response:
                    assert response.status == 200, name
        found = await warned(caplog, len(HOSTILE))
        assert any("nested too deeply" in line for line in found), found
        assert any("update_id is not a 64-bit integer" in line for line in found), found
        assert any("from.id is not a 64-bit integer" in line for line in found), found
        assert any("chat.id is not a 64-bit integer" in line for line in found), found
        assert not any(str(HUGE) in line for line in found), "a forged id was logged in full"
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert bot.finished.count == {}  # nothing reached the front end
        await still_serves(bot)


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_ids_beyond_64_bits_by_polling_are_dropped(
    tmp_path: Path, transport: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    async with running(tmp_path, transport) as bot:
        await bot.add_staff(7, "Li Wei", "guard")
        for update in (
            message(0, user=HUGE),
            message(0, chat=HUGE),
            press(0, user=-(2**63) - 1),
        ):
            del update["update_id"]  # the fake Bot API numbers them
            bot.api.enqueue_raw(update)
        found = await warned(caplog, 3)
        assert sum("is not a 64-bit integer" in line for line in found) == 3, found
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        await still_serves(bot)
