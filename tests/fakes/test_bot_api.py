"""The fake Bot API against the REAL aiogram 3 and python-telegram-bot 22 clients."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
import telegram
from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, RetryAfter

from .bot_api import FakeBotAPI
from .bot_api_clients import aiogram_session, ptb_bot

pytestmark = pytest.mark.asyncio

TOKEN = "123:ABC"
PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
ALICE = 42


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=text, callback_data=data) for text, data in row]
            for row in rows
        ]
    )


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(token=TOKEN) as server:
        yield server


@pytest_asyncio.fixture
async def abot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    bot = Bot(TOKEN, session=aiogram_session(api.url))
    yield bot
    await bot.session.close()


@pytest_asyncio.fixture
async def ptb(api: FakeBotAPI) -> AsyncIterator[telegram.Bot]:
    async with ptb_bot(api.url, TOKEN) as bot:
        yield bot


# --- aiogram ------------------------------------------------------------------------------


async def test_aiogram_send_edit_and_not_modified(api: FakeBotAPI, abot: Bot) -> None:
    me = await abot.get_me()
    assert (me.id, me.is_bot, me.username) == (123, True, "dutybot_test_bot")
    api.user(ALICE, "Alice").start()

    sent = await abot.send_message(
        ALICE, "Step <b>1</b>", parse_mode="HTML", reply_markup=keyboard([("Done", "d:1")])
    )
    assert sent.text == "Step 1"
    assert sent.entities is not None and sent.entities[0].type == "bold"
    assert sent.reply_markup is not None
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "d:1"
    assert sent.message_id == 2  # /start from Alice was message 1 in this chat

    edited = await abot.edit_message_text(
        "Step <b>2</b>",
        chat_id=ALICE,
        message_id=sent.message_id,
        parse_mode="HTML",
        reply_markup=keyboard([("Done", "d:2")]),
    )
    assert not isinstance(edited, bool) and edited.edit_date is not None
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await abot.edit_message_text(
            "Step <b>2</b>",
            chat_id=ALICE,
            message_id=sent.message_id,
            parse_mode="HTML",
            reply_markup=keyboard([("Done", "d:2")]),
        )
    state = api.last_message(ALICE)
    assert state is not None
    assert (state.text, state.raw_text, state.edits) == ("Step 2", "Step <b>2</b>", 1)
    assert api.find_button(ALICE, "Done")["callback_data"] == "d:2"
    assert [e.status for e in api.errors] == [400]

    # Editing without reply_markup removes the keyboard, like the real API.
    await abot.edit_message_text("Final", chat_id=ALICE, message_id=sent.message_id)
    assert api.sent_messages(ALICE)[-1].reply_markup is None


async def test_aiogram_retry_after_injection(api: FakeBotAPI, abot: Bot) -> None:
    api.user(ALICE, started=True)
    api.fail_next("sendMessage", status=429, retry_after=1)
    with pytest.raises(TelegramRetryAfter) as caught:
        await abot.send_message(ALICE, "hello")
    assert caught.value.retry_after == 1
    assert (await abot.send_message(ALICE, "hello")).text == "hello"
    assert api.errors == [] and len(api.injected_errors) == 1
    assert api.requests_with_status("4xx") == []
    assert [m for m, _ in api.calls] == ["sendMessage", "sendMessage"]

    api.fail_next("getMe", status=500)
    with pytest.raises(TelegramServerError):
        await abot.get_me()
    # A real 502 comes from nginx as an HTML page: aiogram cannot even decode it.
    api.fail_next("*", status=502, raw_body="<html><h1>502 Bad Gateway</h1></html>")
    with pytest.raises(ClientDecodeError):
        await abot.get_me()
    assert [e.status for e in api.injected_errors] == [429, 500, 502] and api.errors == []


async def test_aiogram_forbidden_until_user_starts(api: FakeBotAPI, abot: Bot) -> None:
    bob = api.user(7, "Bob")
    with pytest.raises(TelegramForbiddenError, match="can't initiate conversation"):
        await abot.send_message(7, "hi")
    bob.send_text("/start deep-link")
    assert (await abot.send_message(7, "hi")).chat.id == 7
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await abot.send_message(999, "nobody")


async def test_aiogram_updates_photo_callback_location(api: FakeBotAPI, abot: Bot) -> None:
    alice = api.user(ALICE, "Alice", language_code="zh-hans")
    alice.send_photo(PHOTO, caption="broken lock")
    updates = await abot.get_updates(timeout=1)
    assert len(updates) == 1 and updates[0].message is not None
    photo = updates[0].message.photo
    assert photo is not None and [p.width for p in photo] == [90, 320, 1280]
    assert len({p.file_unique_id for p in photo}) == 3
    assert updates[0].message.from_user is not None
    assert updates[0].message.from_user.language_code == "zh-hans"

    file = await abot.get_file(photo[-1].file_id)
    assert file.file_path is not None and file.file_path.startswith("photos/file_")
    assert file.file_size == len(PHOTO)
    downloaded = await abot.download(photo[-1])
    assert downloaded is not None and downloaded.read() == PHOTO
    small = await abot.download(photo[0])
    assert small is not None and small.read() != PHOTO

    sent = await abot.send_message(ALICE, "Where are you?", reply_markup=keyboard([("Here", "h")]))
    alice.press("Here")
    alice.send_location(31.23, 121.47)
    updates = await abot.get_updates(offset=updates[-1].update_id + 1, timeout=1)
    query, located = updates
    assert query.callback_query is not None and query.callback_query.data == "h"
    assert query.callback_query.message is not None
    assert query.callback_query.message.message_id == sent.message_id
    assert located.message is not None and located.message.location is not None
    assert located.message.location.latitude == pytest.approx(31.23)
    assert query.update_id < located.update_id

    assert await abot.answer_callback_query(query.callback_query.id, text="ok")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await abot.answer_callback_query(query.callback_query.id)
    assert api.callback_answers[0]["text"] == "ok"


async def test_aiogram_long_poll_wakes_and_confirms(api: FakeBotAPI, abot: Bot) -> None:
    alice = api.user(ALICE)
    poll = asyncio.create_task(abot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    alice.send_text("hi")
    updates = await asyncio.wait_for(poll, 1)
    assert [u.message.text for u in updates if u.message] == ["hi"]
    # Not confirmed yet: the same update comes again; confirming drops it.
    again = await abot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [updates[0].update_id]
    assert await abot.get_updates(offset=updates[0].update_id + 1, timeout=0) == []
    assert api.pending_updates == []


# --- python-telegram-bot ------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_ptb_core_calls(api: FakeBotAPI, ptb: telegram.Bot) -> None:
    assert ptb.username == "dutybot_test_bot"  # initialize() called getMe
    alice = api.user(ALICE, "Alice")
    alice.start()
    markup = telegram.InlineKeyboardMarkup(
        [[telegram.InlineKeyboardButton("Confirm ✅", callback_data="confirm:1")]]
    )
    sent = await ptb.send_message(
        ALICE, "Fire <i>alarm</i>", parse_mode="HTML", reply_markup=markup
    )
    assert sent.text == "Fire alarm" and sent.reply_markup == markup
    edited = await ptb.edit_message_text(
        "Fire alarm: confirmed", chat_id=ALICE, message_id=sent.message_id, reply_markup=markup
    )
    assert isinstance(edited, telegram.Message) and edited.text == "Fire alarm: confirmed"
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await ptb.edit_message_text(
            "Fire alarm: confirmed", chat_id=ALICE, message_id=sent.message_id, reply_markup=markup
        )

    alice.press("Confirm ✅")
    alice.send_photo(PHOTO)
    updates = await ptb.get_updates(offset=-2, timeout=1)
    query, photo_update = updates
    assert query.callback_query is not None and query.callback_query.data == "confirm:1"
    assert await ptb.answer_callback_query(query.callback_query.id)
    assert photo_update.message is not None
    largest = photo_update.message.photo[-1]
    file = await ptb.get_file(largest.file_id)
    assert bytes(await file.download_as_bytearray()) == PHOTO

    assert await ptb.delete_message(ALICE, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await ptb.delete_message(ALICE, sent.message_id)

    api.fail_next("sendChatAction", status=429, retry_after=3)
    with pytest.raises(RetryAfter):
        await ptb.send_chat_action(ALICE, "typing")
    assert await ptb.send_chat_action(ALICE, "typing")
    assert api.chat_actions == [(ALICE, "typing")]


async def test_ptb_uploads_and_commands(api: FakeBotAPI, ptb: telegram.Bot) -> None:
    api.user(ALICE, started=True)
    photo = await ptb.send_photo(ALICE, PHOTO, caption="<b>evidence</b>", parse_mode="HTML")
    assert photo.caption == "evidence" and photo.photo[-1].file_size == len(PHOTO)
    doc = await ptb.send_document(ALICE, b"%PDF-1.4 report", filename="report.pdf")
    assert doc.document is not None and doc.document.file_name == "report.pdf"
    file = await ptb.get_file(doc.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 report"
    album = await ptb.send_media_group(
        ALICE, [telegram.InputMediaPhoto(PHOTO), telegram.InputMediaPhoto(PHOTO[::-1])]
    )
    assert len(album) == 2 and album[0].media_group_id == album[1].media_group_id

    commands = [telegram.BotCommand("start", "Start"), telegram.BotCommand("report", "Report")]
    assert await ptb.set_my_commands(commands, language_code="zh")
    assert await ptb.get_my_commands(language_code="zh") == tuple(commands)
    assert await ptb.get_my_commands() == ()
    with pytest.raises(BadRequest):
        await ptb.set_my_commands([telegram.BotCommand("Report", "uppercase is invalid")])
    assert await ptb.delete_my_commands(language_code="zh")
    assert api.my_commands(language_code="zh") == []
