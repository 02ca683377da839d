"""Photos, documents, albums, map pins and venues through the REAL aiogram and PTB clients."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
import telegram
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    InputMediaPhoto,
)
from telegram.error import Forbidden

from .bot_api import FakeBotAPI
from .conftest import TOKEN

ALICE, BOB = 42, 7
PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
OTHER_PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(255, -1, -1)) * 8
REPORT = b"%PDF-1.4 case 7: broken lock, 3rd floor"
Call = Callable[..., Coroutine[Any, Any, tuple[int, Any]]]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest_asyncio.fixture
async def call(api: FakeBotAPI) -> AsyncIterator[Call]:
    """POST a Bot API method as a JSON body and return (status, body)."""
    async with aiohttp.ClientSession() as session:

        async def do(method: str, **params: Any) -> tuple[int, Any]:
            async with session.post(f"{api.url}/bot{TOKEN}/{method}", json=params) as resp:
                return resp.status, await resp.json()

        yield do


async def test_aiogram_photos_by_upload_and_file_id(api: FakeBotAPI, abot: Bot) -> None:
    alice = api.user(ALICE, "Alice", started=True)
    sent = await abot.send_photo(
        ALICE, BufferedInputFile(PHOTO, "lock.png"), caption="<b>broken</b> lock", parse_mode="HTML"
    )
    first = api.last_message(ALICE)
    assert first is not None and first.file is not None
    assert (first.file_source, first.file.sha256, first.caption) == (
        "upload",
        sha(PHOTO),
        "broken lock",
    )
    assert first.photo_file_ids == [size.file_id for size in sent.photo or []]

    # Re-sent by file_id (of any size): the same photo, sizes and file_unique_ids.
    assert sent.photo is not None
    again = await abot.send_photo(ALICE, sent.photo[0].file_id)
    assert [p.file_unique_id for p in again.photo or []] == [p.file_unique_id for p in sent.photo]
    second = api.last_message(ALICE)
    assert second is not None and second.file is not None
    assert (second.file_source, second.file.sha256, second.caption) == ("file_id", sha(PHOTO), None)

    # A guard's photo goes into the case record by its file_id.
    update = alice.send_photo(OTHER_PHOTO, caption="evidence").update
    evidence = update["message"]["photo"][-1]["file_id"]
    album = await abot.send_media_group(
        ALICE,
        [
            InputMediaPhoto(media=evidence, caption="<i>before</i>", parse_mode="HTML"),
            InputMediaPhoto(media=BufferedInputFile(PHOTO, "after.png"), caption="after"),
        ],
    )
    record = api.media_group(ALICE)
    assert [m.message_id for m in record] == [m.message_id for m in album]
    assert {m.media_group_id for m in record} == {album[0].media_group_id} != {None}
    assert [m.file_source for m in record] == ["file_id", "upload"]
    assert [m.file.sha256 for m in record if m.file] == [sha(OTHER_PHOTO), sha(PHOTO)]
    assert [m.caption for m in record] == ["before", "after"]
    assert record[0].photo_file_ids[-1] == evidence
    assert record[0].data["caption_entities"][0]["type"] == "italic"

    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await abot.send_photo(ALICE, "AgACAgIAAxkBAAI-unknown")
    assert [e.status for e in api.errors] == [400]


async def test_aiogram_documents_and_document_albums(api: FakeBotAPI, abot: Bot) -> None:
    api.user(ALICE, started=True)
    sent = await abot.send_document(
        ALICE, BufferedInputFile(REPORT, "case-7.pdf"), caption="Case 7"
    )
    stored = api.last_message(ALICE)
    assert stored is not None and stored.file is not None and sent.document is not None
    assert (stored.file.file_name, stored.file.mime_type, stored.file.data) == (
        "case-7.pdf",
        "application/pdf",
        REPORT,
    )
    assert (sent.document.file_name, sent.document.file_size) == ("case-7.pdf", len(REPORT))
    again = await abot.send_document(ALICE, sent.document.file_id, caption="Case 7, again")
    assert again.document is not None and again.document.file_id == sent.document.file_id
    assert api.last_message(ALICE).file_source == "file_id"  # type: ignore[union-attr]

    log = BufferedInputFile(b"22:30 patrol started\n", "patrol.txt")
    await abot.send_media_group(
        ALICE, [InputMediaDocument(media=sent.document.file_id), InputMediaDocument(media=log)]
    )
    files = [m.file for m in api.media_group(ALICE)]
    assert [(f.file_name, f.mime_type) for f in files if f] == [
        ("case-7.pdf", "application/pdf"),
        ("patrol.txt", "text/plain"),
    ]
    with pytest.raises(TelegramBadRequest, match="can't use file of type Document as Photo"):
        await abot.send_photo(ALICE, sent.document.file_id)


async def test_aiogram_location_and_venue(api: FakeBotAPI, abot: Bot) -> None:
    api.user(ALICE, started=True)
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="On my way", callback_data="otw")]]
    )
    pin = await abot.send_location(
        ALICE, 31.2304, 121.4737, horizontal_accuracy=12.4, reply_markup=markup
    )
    assert pin.location is not None and pin.location.horizontal_accuracy == 13
    stored = api.last_message(ALICE)
    assert stored is not None and stored.location == {
        "latitude": 31.2304,
        "longitude": 121.4737,
        "horizontal_accuracy": 13.0,
    }
    assert stored.button_texts() == [["On my way"]]

    venue = await abot.send_venue(
        ALICE, 31.2397, 121.4998, "Lobby", "1 Century Ave", google_place_id="ChIJ-lobby"
    )
    assert venue.venue is not None and venue.venue.title == "Lobby"
    assert venue.location is not None and venue.location.latitude == 31.2397
    stored = api.last_message(ALICE)
    assert stored is not None and stored.venue is not None
    assert stored.venue["google_place_id"] == "ChIJ-lobby"
    assert stored.location == {"latitude": 31.2397, "longitude": 121.4998}

    with pytest.raises(TelegramBadRequest, match="invalid location specified"):
        await abot.send_location(ALICE, 91, 0)
    with pytest.raises(TelegramBadRequest, match="wrong live location period specified"):
        await abot.send_location(ALICE, 31.2, 121.4, live_period=30)


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_ptb_media_places_and_reuse(api: FakeBotAPI, ptb: telegram.Bot) -> None:
    api.user(ALICE, started=True)
    photo = await ptb.send_photo(ALICE, PHOTO, caption="lock")
    again = await ptb.send_photo(ALICE, photo.photo[-1].file_id)
    assert [p.file_unique_id for p in again.photo] == [p.file_unique_id for p in photo.photo]
    assert [m.file_source for m in api.sent_messages(ALICE)] == ["upload", "file_id"]

    album = await ptb.send_media_group(
        ALICE,
        [
            telegram.InputMediaPhoto(photo.photo[-1].file_id, caption="kept"),
            telegram.InputMediaPhoto(OTHER_PHOTO, caption="<b>new</b>", parse_mode="HTML"),
        ],
    )
    record = api.media_group(ALICE, album[0].media_group_id)
    assert [(m.file_source, m.caption) for m in record] == [("file_id", "kept"), ("upload", "new")]
    assert [m.file.sha256 for m in record if m.file] == [sha(PHOTO), sha(OTHER_PHOTO)]

    doc = await ptb.send_document(ALICE, REPORT, filename="case-7.pdf")
    assert doc.document is not None
    resent = await ptb.send_document(ALICE, doc.document.file_id)
    assert resent.document is not None and resent.document.file_id == doc.document.file_id
    stored = api.sent_messages(ALICE)[-2]
    assert stored.file is not None and stored.file.sha256 == sha(REPORT)
    assert stored.file.mime_type == "application/pdf"

    live = await ptb.send_location(ALICE, 31.2304, 121.4737, live_period=600, heading=90)
    assert live.location is not None and live.location.heading == 90
    assert api.sent_messages(ALICE)[-1].location == {
        "latitude": 31.2304,
        "longitude": 121.4737,
        "live_period": 600,
        "heading": 90,
    }
    venue = await ptb.send_venue(ALICE, 31.24, 121.5, "Loading dock", "Gate 3", foursquare_id="4b")
    assert venue.venue is not None and venue.venue.foursquare_id == "4b"
    api.assert_no_errors()


async def test_place_and_file_rules(api: FakeBotAPI, call: Call) -> None:
    api.user(ALICE, started=True)
    here = {"chat_id": ALICE, "latitude": 31.23, "longitude": 121.47}
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("sendLocation", {"chat_id": ALICE, "latitude": 31.23}, "longitude is empty"),
        ("sendLocation", {**here, "latitude": ""}, "latitude is empty"),
        ("sendLocation", {**here, "latitude": "north"}, 'field "latitude" must be of type Float'),
        ("sendLocation", {**here, "longitude": -180.5}, "invalid location specified"),
        ("sendLocation", {**here, "latitude": 95, "live_period": 60}, "invalid live location"),
        ("sendLocation", {**here, "live_period": 86401}, "wrong live location period"),
        ("sendLocation", {**here, "live_period": 60, "heading": 361}, "heading specified"),
        (
            "sendLocation",
            {**here, "live_period": 60, "proximity_alert_radius": 100_001},
            "proximity alert radius specified",
        ),
        ("sendVenue", {**here, "address": "Gate 3"}, "venue title is empty"),
        ("sendVenue", {**here, "title": "Dock", "address": " "}, "venue address is empty"),
        (
            "sendVenue",
            {
                **here,
                "title": "Dock",
                "address": "Gate 3",
                "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": "好" * 22}]]},
            },
            "BUTTON_DATA_INVALID",
        ),
        ("sendPhoto", {"chat_id": ALICE}, "there is no photo in the request"),
        (
            "sendMediaGroup",
            {"chat_id": ALICE, "media": [{"type": "photo", "media": "x"}]},
            "2 to 10",
        ),
    ]
    for method, params, expected in cases:
        status, body = await call(method, **params)
        assert status == 400 and expected in body["description"], (method, params, body)
    status, body = await call("sendLocation", **{**here, "live_period": 0x7FFFFFFF})
    assert status == 200 and body["result"]["location"]["live_period"] == 0x7FFFFFFF
    status, body = await call("sendLocation", **here, horizontal_accuracy=4000)
    assert body["result"]["location"]["horizontal_accuracy"] == 1500
    assert len(api.errors) == len(cases)


async def test_strangers_and_blocked_users_answer_403(api: FakeBotAPI, abot: Bot) -> None:
    bob = api.stranger(BOB, "Bob")
    assert (bob.started, bob.blocked) == (False, False)
    with pytest.raises(TelegramForbiddenError, match="bot can't initiate conversation"):
        await abot.send_location(BOB, 31.2, 121.4)
    with pytest.raises(TelegramForbiddenError, match="bot can't initiate conversation"):
        await abot.send_photo(BOB, BufferedInputFile(PHOTO, "p.png"))
    bob.start()
    assert bob.started
    await abot.send_message(BOB, "welcome")
    bob.block()
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await abot.send_message(BOB, "ping")
    assert api.stranger(BOB) is bob and (bob.started, bob.blocked) == (False, False)
    with pytest.raises(TelegramForbiddenError, match="bot can't initiate conversation"):
        await abot.send_message(BOB, "ping")
    assert [m.text for m in api.sent_messages(BOB)] == ["welcome"]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_ptb_sees_403_for_a_stranger(api: FakeBotAPI, ptb: telegram.Bot) -> None:
    api.stranger(BOB)
    with pytest.raises(Forbidden, match=r"(?i)bot can't initiate conversation"):
        await ptb.send_venue(BOB, 31.2, 121.4, "Lobby", "1 Century Ave")
