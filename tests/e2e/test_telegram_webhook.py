"""Webhook mode: only requests with the agreed secret get in; updates arrive by POST."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from tests.e2e.harness import SECRET, TRANSPORTS, running

HEADER = "X-Telegram-Bot-Api-Secret-Token"


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_webhook_refuses_a_wrong_secret_and_serves_the_right_one(
    tmp_path: Path, transport: str
) -> None:
    async with running(tmp_path, transport, webhook=True) as bot:
        hook = bot.app.settings.telegram.webhook_url
        assert bot.api.webhook_url == hook
        assert bot.api.state.webhook is not None
        assert bot.api.state.webhook.secret_token == SECRET

        await bot.add_staff(7, "Li Wei", "guard")
        forged = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 7, "type": "private"},
                "from": {"id": 7, "is_bot": False, "first_name": "Li"},
                "text": "/start",
            },
        }
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {HEADER: "wrong"}, {HEADER: SECRET + "x"}):
                async with http.post(hook, json=forged, headers=headers) as response:
                    assert response.status == 401
            async with http.post(hook, data="{", headers={HEADER: SECRET}) as response:
                assert response.status == 400
        assert bot.finished.count == {}  # nothing reached the bot

        # The fake Bot API delivers to the webhook with the secret, like Telegram.
        guard = bot.person(7)
        menu = await guard.say("/start")
        assert "What do you need?" in (menu[0].text or "")
        await guard.press("Report an incident")
        assert "Choose the procedure" in guard.text()
        assert all(d.status == 200 for d in bot.api.webhook_deliveries)
        assert bot.api.errors == []
