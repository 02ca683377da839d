"""A1 from the invite link to the confirmed case, in process, against both adapters."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.a1_script import check_case, report_a1
from tests.e2e.harness import TRANSPORTS, running


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a1_from_invite_link_to_confirmed_case(tmp_path: Path, transport: str) -> None:
    async with running(tmp_path, transport) as bot:
        code = await bot.invite("guard")
        guard = bot.person(4242, "Li Wei")
        welcome = await guard.act(lambda: guard.user.start(code))
        assert "registered as Security guard at HQ Hotel <Pudong> & Co" in (welcome[0].text or "")
        await report_a1(guard)

        api = bot.api
        assert api.errors == []  # no request of the bot was refused (no 4xx, no 5xx)
        await check_case(bot, 4242)
        # Telegram-side effects: commands per language and for the new guard, chat actions
        # while photos downloaded, a share-location keyboard, every press answered once.
        assert {c["command"] for c in api.my_commands(language_code="zh")} >= {"start", "request"}
        assert api.my_commands(language_code="en")[0]["description"] == "Start"
        chat_scope = {"type": "chat", "chat_id": 4242}
        assert "report" in [c["command"] for c in api.my_commands(chat_scope)]
        assert (4242, "upload_photo") in api.chat_actions
        assert any(
            (m.sent_markup or {}).get("keyboard", [[{}]])[0][0].get("request_location")
            for m in guard.messages()
        )
        presses = len(api.calls_to("answerCallbackQuery"))
        assert presses == len({a["callback_query_id"] for a in api.callback_answers}) > 20
        assert len(api.downloads) == 4
