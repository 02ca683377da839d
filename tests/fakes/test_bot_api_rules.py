"""Server-side rules of the fake Bot API: validation, encodings, webhooks, polling."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import CommandStart
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from .bot_api import FakeBotAPI
from .bot_api_clients import aiogram_session

pytestmark = pytest.mark.asyncio

TOKEN = "123:ABC"
ALICE = 42
Call = Callable[..., Coroutine[Any, Any, tuple[int, Any]]]


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(token=TOKEN) as server:
        server.user(ALICE, "Alice", started=True)
        yield server


@pytest_asyncio.fixture
async def call(api: FakeBotAPI) -> AsyncIterator[Call]:
    """POST a Bot API method as a JSON body (``form=``: urlencoded) and return (status, body)."""
    async with aiohttp.ClientSession() as session:

        async def do(
            method: str, form: dict[str, str] | None = None, **params: Any
        ) -> tuple[int, Any]:
            url = f"{api.url}/bot{TOKEN}/{method}"
            kwargs: dict[str, Any] = {"data": form} if form is not None else {"json": params}
            async with session.post(url, **kwargs) as resp:
                return resp.status, await resp.json(content_type=None)

        yield do


def inline(*buttons: dict[str, Any]) -> dict[str, Any]:
    return {"inline_keyboard": [list(buttons)]}


async def test_html_validation(api: FakeBotAPI, call: Call) -> None:
    status, body = await call("sendMessage", chat_id=ALICE, text="a < b", parse_mode="HTML")
    assert status == 400 and body["description"].startswith("Bad Request: can't parse entities")
    bad = [
        "1 & 2",
        "<b>x</i>",
        "<b>open",
        "</b>",
        "<br>",
        '<span class="x">s</span>',
        "<b><i>x</b></i>",
        "&nbsp;",
    ]
    for text in bad:
        status, body = await call("sendMessage", chat_id=ALICE, text=text, parse_mode="HTML")
        assert status == 400, text
    good = [
        "a &lt; b &amp; c &gt; d &quot;e&quot; &#39;f&#x27;",
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>i</ins><s>s</s><del>d</del>",
        '<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler><a href="https://x.y/?a=1&amp;b=2">l</a>',
        '<pre><code class="language-python">x = 1 &lt; 2</code></pre><blockquote>q</blockquote>',
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> <b><i>nested</i></b>',
    ]
    for text in good:
        status, body = await call("sendMessage", chat_id=ALICE, text=text, parse_mode="HTML")
        assert status == 200, (text, body)
    assert api.last_message(ALICE) is not None
    # Length is counted after entity parsing: 4096 × "&lt;" is 4096 characters.
    status, _ = await call("sendMessage", chat_id=ALICE, text="&lt;" * 4096, parse_mode="HTML")
    assert status == 200
    status, body = await call("sendMessage", chat_id=ALICE, text="x" * 4097)
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    status, body = await call("sendMessage", chat_id=ALICE, text="   ")
    assert (status, body["description"]) == (400, "Bad Request: message text is empty")
    status, body = await call("sendMessage", chat_id=ALICE, text="a.b", parse_mode="MarkdownV2")
    assert status == 400 and "Character '.' is reserved" in body["description"]
    status, _ = await call("sendMessage", chat_id=ALICE, text="*a*\\.b", parse_mode="MarkdownV2")
    assert status == 200
    assert len(api.errors) == len(bad) + 4
    with pytest.raises(AssertionError, match="API error"):
        api.assert_no_errors()


async def test_html_errors_surface_in_aiogram(api: FakeBotAPI) -> None:
    # The stock session (the other tests use one that skips close()'s 250 ms SSL sleep).
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api.url)))
    try:
        with pytest.raises(TelegramBadRequest, match="can't parse entities"):
            await bot.send_message(ALICE, "temp < 5", parse_mode="HTML")
        assert (await bot.send_message(ALICE, "temp &lt; 5", parse_mode="HTML")).text == "temp < 5"
        with pytest.raises(TelegramBadRequest, match="message caption is too long"):
            await bot.send_photo(ALICE, "https://example.com/a.jpg", caption="c" * 1025)
        # 21 Chinese characters are 63 bytes: fine; 22 are 66 bytes: BUTTON_DATA_INVALID.
        ok = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="确认", callback_data="好" * 21)]]
        )
        await bot.send_message(ALICE, "ok", reply_markup=ok)
        too_long = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="确认", callback_data="好" * 22)]]
        )
        with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
            await bot.send_message(ALICE, "too long", reply_markup=too_long)
    finally:
        await bot.session.close()


async def test_button_and_command_rules(api: FakeBotAPI, call: Call) -> None:
    cases: list[tuple[dict[str, Any], int]] = [
        (inline({"text": "no action"}), 400),
        (inline({"text": "two", "callback_data": "a", "url": "https://x.y"}), 400),
        (inline({"text": "empty", "callback_data": ""}), 400),
        (inline({"text": "url", "url": "https://example.com"}), 200),
        (inline({"text": "switch", "switch_inline_query": ""}), 200),
        ({"keyboard": [[{"text": "Reply kb"}]], "resize_keyboard": True}, 200),
    ]
    for markup, expected in cases:
        status, body = await call("sendMessage", chat_id=ALICE, text="t", reply_markup=markup)
        assert status == expected, (markup, body)
    last = api.last_message(ALICE)
    assert last is not None and last.reply_markup is None and last.sent_markup is not None

    commands = [{"command": f"c{i}", "description": "d"} for i in range(101)]
    assert (await call("setMyCommands", commands=commands))[0] == 400
    for bad in ({"command": "Bad", "description": "d"}, {"command": "ok", "description": ""}):
        assert (await call("setMyCommands", commands=[bad]))[0] == 400
    long_description = {"command": "ok", "description": "d" * 257}
    assert (await call("setMyCommands", commands=[long_description]))[0] == 400
    assert (await call("setMyCommands", commands=commands[:100]))[0] == 200
    assert len(api.my_commands()) == 100


async def test_encodings_tokens_and_files(api: FakeBotAPI, call: Call) -> None:
    markup = json.dumps(inline({"text": "Go", "callback_data": "go"}))
    status, body = await call(
        "sendMessage", form={"chat_id": "42", "text": "form", "reply_markup": markup}
    )
    assert status == 200 and body["result"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "Go"
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{api.url}/bot{TOKEN}/sendMessage?chat_id=42&text=query") as resp:
            assert resp.status == 200
        form = aiohttp.FormData()
        form.add_field("chat_id", "42")
        form.add_field("document", b"hello", filename="notes.txt", content_type="text/plain")
        async with session.post(f"{api.url}/bot{TOKEN}/sendDocument", data=form) as resp:
            document = (await resp.json())["result"]["document"]
        async with session.post(f"{api.url}/botWRONG/getMe") as resp:
            assert resp.status == 401
            assert await resp.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
        async with session.post(f"{api.url}/bot{TOKEN}/getMagic") as resp:
            assert (resp.status, (await resp.json())["description"]) == (404, "Not Found")
        status, file = await call("getFile", file_id=document["file_id"])
        async with session.get(f"{api.url}/file/bot{TOKEN}/{file['result']['file_path']}") as resp:
            assert await resp.read() == b"hello"
    assert [m.text for m in api.sent_messages(ALICE)[:2]] == ["form", "query"]
    assert document["file_name"] == "notes.txt"

    huge = api.user(ALICE).send_document(b"x", "big.zip", "application/zip", file_size=21 << 20)
    big_id = huge.update["message"]["document"]["file_id"]
    status, body = await call("getFile", file_id=big_id)
    assert (status, body["description"]) == (400, "Bad Request: file is too big")
    assert [e.status for e in api.errors] == [401, 404, 400]


async def test_webhook_delivery_with_secret(api: FakeBotAPI, call: Call) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []

    async def receiver(request: web.Request) -> web.Response:
        update = await request.json()
        received.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"), update))
        reply = {"method": "sendMessage", "chat_id": ALICE, "text": "pong"}
        return web.json_response(reply)

    app = web.Application()
    app.router.add_post("/hook", receiver)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    hook_url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        api.deliver_webhooks = True
        status, _ = await call("setWebhook", url=hook_url, secret_token="s3cret_-token")
        assert status == 200 and api.webhook_url == hook_url
        await api.user(ALICE).send_text("ping")  # awaiting waits for the delivery
        assert received[0][0] == "s3cret_-token"
        assert received[0][1]["message"]["text"] == "ping"
        await api.wait_for_call("sendMessage")  # the method returned in the webhook response
        pong = api.last_message(ALICE)
        assert pong is not None and pong.text == "pong"
        assert api.webhook_deliveries[0].status == 200
        assert (await call("getWebhookInfo"))[1]["result"]["pending_update_count"] == 0
        status, body = await call("getUpdates")
        assert status == 409 and "webhook is active" in body["description"]
        assert (await call("setWebhook", url=hook_url, secret_token="bad secret!"))[0] == 400
        assert (await call("deleteWebhook"))[0] == 200
        assert (await call("getUpdates"))[0] == 200
    finally:
        await runner.cleanup()


async def test_polling_offsets_duplicates_and_conflicts(api: FakeBotAPI, call: Call) -> None:
    alice = api.user(ALICE)
    first = alice.send_text("one")
    _, body = await call("getUpdates", timeout=0)
    assert [u["update_id"] for u in body["result"]] == [first.update_id]
    _, body = await call("getUpdates", offset=first.update_id + 1, timeout=0)
    assert body["result"] == []
    api.redeliver(first)  # duplicate delivery of the same update_id
    _, body = await call("getUpdates", offset=first.update_id + 1, timeout=0)
    assert [u["update_id"] for u in body["result"]] == [first.update_id]
    _, body = await call("getUpdates", offset=first.update_id + 1, timeout=0)
    assert body["result"] == []

    api.enqueue_raw({"message_reaction": {"chat": {"id": ALICE, "type": "private"}}})
    _, body = await call("getUpdates", timeout=0)
    assert body["result"] == []  # opt-in update types are not delivered by default

    await call(
        "sendMessage",
        chat_id=ALICE,
        text="menu",
        reply_markup=inline({"text": "A", "callback_data": "a"}),
    )
    menu = api.last_message(ALICE)
    assert menu is not None and api.buttons(ALICE) == [["A"]]
    alice.send_text("ignored: not in allowed_updates")
    pressed = alice.press_data(menu.message_id, "custom")
    alice.press("A")
    _, body = await call("getUpdates", timeout=0, limit=1, allowed_updates=["callback_query"])
    assert [u["callback_query"]["data"] for u in body["result"]] == ["custom"]
    _, body = await call("getUpdates", offset=pressed.update_id + 1, timeout=0)
    assert [u["callback_query"]["data"] for u in body["result"]] == ["a"]
    await call("getUpdates", offset=body["result"][0]["update_id"] + 1, allowed_updates=[])
    await api.wait_until_consumed(timeout=1)

    older = asyncio.create_task(call("getUpdates", timeout=5))
    await asyncio.sleep(0.05)
    newer = asyncio.create_task(call("getUpdates", timeout=5))
    status, body = await asyncio.wait_for(older, 1)
    assert status == 409 and "terminated by other getUpdates" in body["description"]
    await asyncio.sleep(0.05)
    await api.stop()  # a pending long poll returns at once
    assert await asyncio.wait_for(newer, 1) == (200, {"ok": True, "result": []})


async def test_aiogram_webhook_handler_reply_in_response(api: FakeBotAPI) -> None:
    """aiogram answers a webhook with the method as multipart/form-data; it is executed."""
    bot = Bot(TOKEN, session=aiogram_session(api.url))
    dispatcher = Dispatcher()

    @dispatcher.message(CommandStart())
    async def start(message: Message) -> Any:
        return message.answer("Welcome <b>guard</b>", parse_mode="HTML")

    app = web.Application()
    handler = SimpleRequestHandler(
        dispatcher, bot, secret_token="hook-secret", handle_in_background=False
    )
    handler.register(app, "/webhook")
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        api.deliver_webhooks = True
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/webhook"
        assert await bot.set_webhook(url, secret_token="hook-secret")
        await api.user(ALICE).start("site-7")
        last = api.last_message(ALICE)
        assert last is not None and last.text == "Welcome guard"
        api.assert_no_errors()
        assert (await bot.get_webhook_info()).url == url
    finally:
        await runner.cleanup()
        await bot.session.close()
