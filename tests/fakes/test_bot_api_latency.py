"""Opt-in network latency of the fake Bot API: half a round trip each way, per-method overrides."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest
import telegram
from aiogram import Bot
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiohttp import web

from .bot_api import FakeBotAPI
from .conftest import TOKEN

ALICE = 42
RTT = 0.2  # round trip under test
SLACK = 0.07  # scheduling and client overhead allowed on a busy machine (< RTT / 2)


class Stopwatch:
    def __init__(self) -> None:
        self.start = time.monotonic()

    def __call__(self) -> float:
        return time.monotonic() - self.start


async def test_constructor_option_and_running_changes() -> None:
    async with FakeBotAPI(TOKEN, latency=RTT, method_latency={"getMe": 0.0}) as api:
        async with aiohttp.ClientSession() as session:
            watch = Stopwatch()
            async with session.post(f"{api.url}/bot{TOKEN}/getMe") as resp:
                assert resp.status == 200
            assert watch() < SLACK  # overridden
            watch = Stopwatch()
            async with session.post(f"{api.url}/bot{TOKEN}/getMyCommands") as resp:
                assert resp.status == 200
            assert RTT <= watch() < RTT + SLACK
            api.latency = 0.0
            api.method_latency = {"download": RTT}
            file = api.register_file(b"report", file_name="r.txt")
            watch = Stopwatch()
            async with session.get(f"{api.file_base}{TOKEN}/{file.file_path}") as resp:
                assert await resp.read() == b"report"
            assert RTT <= watch() < RTT + SLACK
            watch = Stopwatch()
            async with session.post(f"{api.url}/bot{TOKEN}/getMyCommands") as resp:
                assert resp.status == 200
            assert watch() < SLACK
    assert (api.latency, api.method_latency) == (0.0, {"download": RTT})


async def test_aiogram_call_takes_a_round_trip_and_lands_halfway(
    api: FakeBotAPI, abot: Bot
) -> None:
    api.user(ALICE, started=True)
    api.latency = RTT
    watch = Stopwatch()
    await abot.get_me()
    assert RTT <= watch() < RTT + SLACK

    watch = Stopwatch()
    sending = asyncio.create_task(abot.send_message(ALICE, "Step 1"))
    await api.wait_for_call("sendMessage")
    on_screen = watch()
    assert RTT / 2 <= on_screen < RTT / 2 + SLACK and not sending.done()
    assert (await sending).text == "Step 1"
    assert RTT <= watch() < RTT + SLACK


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_ptb_call_takes_a_round_trip(api: FakeBotAPI, ptb: telegram.Bot) -> None:
    api.user(ALICE, started=True)
    api.latency = RTT
    watch = Stopwatch()
    await ptb.send_location(ALICE, 31.23, 121.47)
    assert RTT <= watch() < RTT + SLACK


async def test_long_poll_delivers_half_a_round_trip_after_the_press(
    api: FakeBotAPI, abot: Bot
) -> None:
    """A guard's press reaches a waiting poll RTT/2 later; the next question sent at once is
    on screen RTT/2 after that: one round trip from press to screen."""
    alice = api.user(ALICE, started=True)
    done = InlineKeyboardButton(text="Done", callback_data="q1:done")
    await abot.send_message(
        ALICE, "Q1", reply_markup=InlineKeyboardMarkup(inline_keyboard=[[done]])
    )
    api.latency = RTT
    poll = asyncio.create_task(abot.get_updates(timeout=5))
    await asyncio.sleep(RTT / 2 + SLACK)  # the poll is waiting at the server
    start = api.checkpoint()
    watch = Stopwatch()
    alice.press("Done")
    updates = await poll
    assert RTT / 2 <= watch() < RTT / 2 + SLACK
    assert [u.callback_query.data for u in updates if u.callback_query] == ["q1:done"]
    sending = asyncio.create_task(abot.send_message(ALICE, "Q2"))
    await api.wait_for_call("sendMessage", start=start)
    assert RTT <= watch() < RTT + SLACK
    await sending
    # A poll that finds updates at once is answered after a plain round trip.
    alice.send_text("note")
    watch = Stopwatch()
    assert len(await abot.get_updates(offset=updates[-1].update_id + 1, timeout=5)) == 1
    assert RTT <= watch() < RTT + SLACK


async def test_webhook_delivery_and_reply_take_half_a_round_trip_each(api: FakeBotAPI) -> None:
    arrived: list[float] = []

    async def receiver(request: web.Request) -> web.Response:
        arrived.append(time.monotonic())
        await request.json()
        reply: dict[str, Any] = {"method": "sendMessage", "chat_id": ALICE, "text": "pong"}
        return web.json_response(reply)

    app = web.Application()
    app.router.add_post("/hook", receiver)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        alice = api.user(ALICE, started=True)
        api.deliver_webhooks = True
        status, _, _ = await api.execute(
            "setWebhook", {"url": f"http://127.0.0.1:{runner.addresses[0][1]}/hook"}
        )
        assert status == 200
        api.method_latency["webhook"] = RTT
        start = time.monotonic()
        sent = alice.send_text("ping")
        await api.wait_for_call("sendMessage")
        replied = time.monotonic()
        await sent
        assert RTT / 2 <= arrived[0] - start < RTT / 2 + SLACK
        assert RTT / 2 <= replied - arrived[0] < RTT / 2 + SLACK
    finally:
        await runner.cleanup()
