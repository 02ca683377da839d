"""A Bot API without a network, for benchmarks: the client libraries serialise every call and
validate every answer exactly as they do against Telegram, and a canned Telegram answers.

* :class:`Telegram` keeps what each chat shows (messages, their inline buttons) and answers a
  method call with the JSON Telegram would send (a Message, True, a File...). With ``latency``
  it behaves like a real network: a call lands ``latency / 2`` after it was made and is
  answered ``latency / 2`` after that; ``landed`` records when each call reached the chat.
* :class:`CannedSession` is an aiogram ``BaseSession`` over it (bench/canned_ptb.py has
  python-telegram-bot's ``BaseRequest``, imported only when PTB runs).
* :class:`Guard` is a person walking the A1 lost/stolen property report through raw updates
  (the JSON Telegram would post), pressing the buttons the bot really sent.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import struct
import time
import zlib
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile

BOT_ID = 123456
TOKEN = f"{BOT_ID}:BENCH-canned-token"
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Duty", "username": "duty_bench_bot"}
MESSAGE_METHODS = {"sendMessage", "editMessageText", "sendPhoto", "sendLocation", "sendVenue"}


def tiny_png(seed: int) -> bytes:
    raw = b"\x00" + bytes([seed % 256, (seed // 256) % 256, 7])

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@dataclass
class Shown:
    text: str
    buttons: list[tuple[str, str]]  # (label, callback data), row by row flattened


@dataclass
class Chat:
    messages: dict[int, Shown] = field(default_factory=dict)
    question: int | None = None  # the newest message with buttons
    last_text: str = ""


class Telegram:
    """The chats as Telegram would keep them, and canned answers to every method dutybot uses."""

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.chats: dict[int, Chat] = {}
        self.calls = 0
        self.sends = 0  # messages that reach a chat (sendMessage and the like)
        self.by_method: dict[str, int] = {}
        self.landed: list[tuple[float, str, int | None, bool]] = []  # time, method, chat, keyboard
        self.record_landings = False
        self._ids = itertools.count(1)
        self.files: dict[str, bytes] = {}

    def chat(self, chat_id: int) -> Chat:
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = self.chats[chat_id] = Chat()
        return chat

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        if self.latency:
            await asyncio.sleep(self.latency / 2)
        result = self.execute(method, params)
        if self.latency:
            await asyncio.sleep(self.latency / 2)
        return result

    def execute(self, method: str, params: dict[str, Any]) -> Any:
        self.calls += 1
        self.by_method[method] = self.by_method.get(method, 0) + 1
        chat_id = _int(params.get("chat_id"))
        markup = _json(params.get("reply_markup"))
        buttons = [
            (b["text"], b.get("callback_data", ""))
            for row in (markup or {}).get("inline_keyboard", [])
            for b in row
        ]
        if self.record_landings:
            self.landed.append((time.perf_counter(), method, chat_id, bool(buttons)))
        if method in MESSAGE_METHODS and chat_id is not None:
            chat = self.chat(chat_id)
            text = str(params.get("text") or params.get("caption") or params.get("title") or "")
            if method == "editMessageText":
                message_id = _int(params.get("message_id")) or 0
            else:
                message_id = next(self._ids)
                self.sends += 1
            chat.messages[message_id] = Shown(text, buttons)
            if len(chat.messages) > 8:  # a guard looks at the last few only
                del chat.messages[min(chat.messages)]
            if buttons:
                chat.question = message_id
            elif chat.question == message_id:
                chat.question = None
            chat.last_text = text
            message: dict[str, Any] = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "Guard"},
                "from": BOT_USER,
            }
            if method == "sendPhoto":
                message["photo"] = [_size(f"out{message_id}", 1)]
            elif method in ("sendLocation", "sendVenue"):
                lat, lon = float(params.get("latitude", 0)), float(params.get("longitude", 0))
                message["location"] = {"latitude": lat, "longitude": lon}
            else:
                message["text"] = text
            if markup:
                message["reply_markup"] = markup if buttons else None
                if not buttons:
                    del message["reply_markup"]
            return message
        if method == "sendMediaGroup" and chat_id is not None:
            media = _json(params.get("media")) or []
            self.sends += 1
            return [
                {
                    "message_id": next(self._ids),
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private", "first_name": "Guard"},
                    "photo": [_size(f"album{i}", 1)],
                }
                for i, _ in enumerate(media)
            ]
        if method == "getMe":
            return {**BOT_USER, "can_join_groups": False, "can_read_all_group_messages": False,
                    "supports_inline_queries": False}  # fmt: skip
        if method == "getFile":
            file_id = str(params.get("file_id"))
            data = self.files.get(file_id, b"")
            return {"file_id": file_id, "file_unique_id": file_id[-16:], "file_size": len(data),
                    "file_path": f"photos/{file_id}.png"}  # fmt: skip
        if method == "getUpdates":
            return []
        return True  # answerCallbackQuery, sendChatAction, setMyCommands, deleteWebhook...

    def download(self, path: str) -> bytes:
        name = path.rsplit("/", 1)[-1].removesuffix(".png")
        return self.files.get(name, b"")


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _json(value: Any) -> Any:
    if isinstance(value, str | bytes):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _size(file_id: str, size: int) -> dict[str, Any]:
    return {"file_id": file_id, "file_unique_id": file_id[-16:], "width": 1, "height": 1,
            "file_size": size}  # fmt: skip


class CannedSession(BaseSession):
    """aiogram's session without a network: the method is serialised as aiogram's aiohttp
    session serialises it (form fields, JSON-encoded objects, files read), the canned answer
    is checked by aiogram's ``check_response`` (pydantic validation of ``Response[T]``)."""

    def __init__(self, telegram: Telegram) -> None:
        super().__init__()
        self.telegram = telegram

    async def close(self) -> None:
        return None

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 (aiogram's signature)
    ) -> TelegramType:
        files: dict[str, InputFile] = {}
        params: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files)
            if prepared:
                params[key] = prepared
        for file in files.values():
            async for _chunk in file.read(bot):  # as aiohttp would stream it
                pass
        result = await self.telegram.call(method.__api_method__, params)
        content = json.dumps({"ok": True, "result": result})
        response = self.check_response(bot=bot, method=method, status_code=200, content=content)
        return response.result  # type: ignore[return-value]

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109 (aiogram's signature)
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        if self.telegram.latency:
            await asyncio.sleep(self.telegram.latency)
        yield self.telegram.download(url)


# --- a guard walking the A1 report through raw updates --------------------------------------

# The guard's part of the lost/stolen property report, each step as a guard answers it (the
# e2e script, without the album whose quiet period is a wait, not work).
A1: list[tuple[str, str]] = [
    ("say", "/start"),
    ("press", "Report an incident"),
    ("press", "Security"),
    ("press", "Lost or stolen property"),
    ("press", "Stolen"),
    ("press", "Now"),
    ("say", "Zhang San"),
    ("say", "Resident, room 1203"),
    ("say", "13800000000"),
    ("location", ""),
    ("press", "Now"),
    ("press", "Yes"),  # CCTV needed: the chief reviews it in the follow-up
    ("press", "Camera"),
    ("press", "Gloves"),
    ("press", "Done"),
    ("say", "Wallet left on the sofa and gone within 10 min"),
    ("say", "Black leather wallet, ID card and about 3000 yuan"),
    ("say", "3000"),
    ("photo", ""),
    ("press", "Done"),
    ("press", "Done"),
    ("press", "Nobody involved is present"),
    ("press", "Yes"),
    ("press", "No"),
    ("press", "Done"),
    ("press", "Now"),
    ("press", "Nobody enters or leaves"),
    ("press", "Nothing is moved"),
    ("press", "Done"),
    ("press", "Public area"),
    ("press", "Safety tape is up"),
    ("press", "People are posted"),
    ("press", "Done"),
    ("photo", ""),
    ("press", "Done"),
    ("press", "Done"),
    ("press", "No"),  # no suspect caught; the investigation and findings are the chief's part
    ("press", "Confirm"),
]
OPENING = 4  # /start, Report an incident, Security, Lost or stolen property: a case is open

_update_ids = itertools.count(1_000)


def next_update_id() -> int:
    return next(_update_ids)


def first_update_id(first: int) -> None:
    """Where this process's update ids start (instances sharing a database need their own)."""
    global _update_ids
    _update_ids = itertools.count(first)


class NoButton(Exception):
    pass


class Guard:
    """One person in a private chat; ``next_update()`` is the JSON of their next action."""

    def __init__(self, telegram: Telegram, telegram_id: int, script: list[tuple[str, str]] = A1):
        self.telegram = telegram
        self.id = telegram_id
        self.script = script
        self.position = 0
        self.reports = 0
        self.user = {"id": telegram_id, "is_bot": False, "first_name": f"Guard {telegram_id}",
                     "language_code": "en"}  # fmt: skip

    def _message(self, content: dict[str, Any]) -> dict[str, Any]:
        return {
            "update_id": next_update_id(),
            "message": {
                "message_id": next(self.telegram._ids),
                "date": int(time.time()),
                "chat": {"id": self.id, "type": "private", "first_name": self.user["first_name"]},
                "from": self.user,
                **content,
            },
        }

    def next_update(self) -> dict[str, Any]:
        kind, value = self.script[self.position]
        self.position += 1
        if self.position == len(self.script):
            self.position = 0
            self.reports += 1
        if kind == "say":
            content: dict[str, Any] = {"text": value}
            if value.startswith("/"):
                content["entities"] = [{"type": "bot_command", "offset": 0,
                                        "length": len(value.split()[0])}]  # fmt: skip
            return self._message(content)
        if kind == "location":
            return self._message({"location": {"latitude": 31.2304, "longitude": 121.4737}})
        if kind == "photo":
            file_id = f"in{self.id}x{self.position}x{self.reports}"
            data = tiny_png(self.id * 131 + self.position)
            self.telegram.files[file_id] = data
            return self._message({"photo": [_size(file_id, len(data))]})
        return self.press(value)

    def press(self, label: str) -> dict[str, Any]:
        chat = self.telegram.chat(self.id)
        for exact in (True, False):
            for message_id in sorted(chat.messages, reverse=True):
                shown = chat.messages[message_id]
                for text, data in shown.buttons:
                    if not matches(text, label, exact):
                        continue
                    return {
                        "update_id": next_update_id(),
                        "callback_query": {
                            "id": f"q{next_update_id()}",
                            "from": self.user,
                            "chat_instance": f"ci{self.id}",
                            "data": data,
                            "message": {
                                "message_id": message_id,
                                "date": int(time.time()),
                                "chat": {
                                    "id": self.id,
                                    "type": "private",
                                    "first_name": self.user["first_name"],
                                },
                                "from": BOT_USER,
                                "text": shown.text,
                            },
                        },
                    }
        raise NoButton(f"guard {self.id}: no button {label!r} on {chat.last_text[:300]!r}")


def matches(text: str, label: str, exact: bool) -> bool:
    """A button's label as the guard reads it: itself, or after a tick box or a number."""
    if exact:
        return text == label or text.endswith(" " + label)
    return label in text
