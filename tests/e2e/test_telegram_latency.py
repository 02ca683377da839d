"""What a guard waits for over a slow network: calls that do not depend on each other go out side
by side (the press's toast, the answered question's redraw and the next question; the "sending
a photo…" action and the photo's download)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.e2e.harness import TRANSPORTS, running
from tests.support import png

# Long enough that the bot's own work, on a machine shared with three other test workers, is
# small beside the round trip the assertions count (one more round trip fails them at once).
RTT = 0.6


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_the_next_question_is_on_screen_one_round_trip_after_a_press(
    tmp_path: Path, transport: str
) -> None:
    async with running(tmp_path, transport) as bot:
        await bot.add_staff(4242, "Li Wei", "guard")
        guard = bot.person(4242)
        await guard.say("/start")
        api = bot.api
        api.latency = RTT
        start = api.checkpoint()
        pressed = time.monotonic()
        sent = guard.user.press("Report an incident")

        def next_question_shown() -> bool:
            return any(
                r.method == "sendMessage" or (r.method == "editMessageText"
                                              and r.params.get("reply_markup"))
                for r in api.responses[start:]
            )  # fmt: skip

        await api.wait_for(next_question_shown, timeout=5)
        shown = time.monotonic() - pressed
        await bot.finished.wait(int(u["update_id"]) for u in sent.updates)
        # The update's way to the bot and the answer's way back: one round trip. Answering the
        # press first and then sending would add a whole round trip more.
        assert RTT <= shown < 1.5 * RTT
        assert len(api.calls_to("answerCallbackQuery")) == 1


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_photo_is_fetched_while_sending_a_photo_shows(
    tmp_path: Path, transport: str
) -> None:
    async with running(tmp_path, transport) as bot:
        await bot.add_staff(4242, "Li Wei", "guard")
        guard = bot.person(4242)
        await guard.say("/start")
        api = bot.api
        slow = {"sendChatAction": RTT, "getFile": RTT, "download": RTT}
        api.method_latency = slow
        started = time.monotonic()
        answer = await guard.photo(png(5, size=8))
        took = time.monotonic() - started
        assert answer and (4242, "upload_photo") in api.chat_actions
        assert len(api.downloads) == 1
        # getFile, then the download: two round trips; the chat action alongside, not before.
        assert 2 * RTT <= took < 2.6 * RTT
