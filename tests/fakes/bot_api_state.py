"""In-memory world of the fake Bot API: chats, messages, files, callback queries."""

from __future__ import annotations

import base64
import copy
import hashlib
import itertools
import mimetypes
import time
from dataclasses import dataclass, field
from typing import Any

from .bot_api_models import ApiError, JsonDict, StoredFile, StoredMessage

MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024
PHOTO_SIZES = ((90, 67), (320, 240), (1280, 960))


@dataclass
class WebhookConfig:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    ip_address: str | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class ChatInfo:
    chat: JsonDict
    started: bool = False
    blocked: bool = False
    messages: list[StoredMessage] = field(default_factory=list)
    next_message_id: int = 1


class BotState:
    def __init__(self, token: str, *, bot_name: str, bot_username: str) -> None:
        bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
        self.bot_user: JsonDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
        }
        self.me: JsonDict = {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.users: dict[int, JsonDict] = {}
        self.chats: dict[int, ChatInfo] = {}
        self.files: dict[str, StoredFile] = {}
        self.photo_sets: dict[str, list[JsonDict]] = {}  # any size's file_id -> all sizes
        self.callback_queries: dict[str, bool] = {}  # id -> answered
        self.callback_answers: list[JsonDict] = []
        self.chat_actions: list[tuple[int, str]] = []
        self.commands: dict[tuple[str, str], list[JsonDict]] = {}
        self.webhook: WebhookConfig | None = None
        self._file_counter = itertools.count(10)
        self._query_counter = itertools.count(1)
        self._media_group_counter = itertools.count(1)

    # --- chats -------------------------------------------------------------------------

    def add_user(self, user: JsonDict) -> ChatInfo:
        self.users[user["id"]] = user
        chat: JsonDict = {
            k: user[k] for k in ("id", "first_name", "last_name", "username") if k in user
        }
        chat["type"] = "private"
        info = self.chats.get(user["id"])
        if info is None:
            info = self.chats[user["id"]] = ChatInfo(chat)
        return info

    def add_group(self, chat_id: int, title: str, kind: str = "group") -> ChatInfo:
        info = self.chats.get(chat_id)
        if info is None:
            info = self.chats[chat_id] = ChatInfo({"id": chat_id, "title": title, "type": kind})
        info.started = True  # the bot is a member of the group
        return info

    def chat_for_send(self, chat_id: int) -> ChatInfo:
        info = self.chats.get(chat_id)
        if info is None:
            raise ApiError.bad_request("chat not found")
        if info.blocked:
            raise ApiError.forbidden("bot was blocked by the user")
        if not info.started:
            raise ApiError.forbidden("bot can't initiate conversation with a user")
        return info

    def chat_instance(self, chat_id: int) -> str:
        digest = hashlib.sha256(f"{self.bot_user['id']}:{chat_id}".encode()).digest()
        return str(int.from_bytes(digest[:8], "big") >> 1)

    # --- messages ----------------------------------------------------------------------

    def new_message(
        self,
        chat_id: int,
        content: JsonDict,
        *,
        sender: JsonDict | None = None,
        raw_text: str | None = None,
        parse_mode: str | None = None,
        sent_markup: JsonDict | None = None,
    ) -> StoredMessage:
        """Store a message; ``sender=None`` means the bot sent it."""
        info = self.chats[chat_id]
        message_id = info.next_message_id
        info.next_message_id += 1
        data: JsonDict = {
            "message_id": message_id,
            "from": sender or self.bot_user,
            "chat": info.chat,
            "date": int(time.time()),
            **content,
        }
        stored = StoredMessage(
            message_id=message_id,
            chat_id=chat_id,
            from_bot=sender is None,
            data=data,
            raw_text=raw_text,
            parse_mode=parse_mode,
            sent_markup=sent_markup,
        )
        info.messages.append(stored)
        return stored

    def find_message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        info = self.chats.get(chat_id)
        if info is None:
            return None
        for message in info.messages:
            if message.message_id == message_id and not message.deleted:
                return message
        return None

    def messages(self, chat_id: int, *, from_bot: bool | None = True) -> list[StoredMessage]:
        info = self.chats.get(chat_id)
        if info is None:
            return []
        return [
            m
            for m in info.messages
            if not m.deleted and (from_bot is None or m.from_bot == from_bot)
        ]

    def next_media_group_id(self) -> str:
        return str(13_000_000_000_000_000 + next(self._media_group_counter))

    def new_callback_query_id(self) -> str:
        query_id = str(4_200_000_000_000_000_000 + next(self._query_counter))
        self.callback_queries[query_id] = False
        return query_id

    # --- files -------------------------------------------------------------------------

    def register_file(
        self,
        data: bytes,
        kind: str = "documents",
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        file_size: int | None = None,
    ) -> StoredFile:
        number = next(self._file_counter)
        token = base64.urlsafe_b64encode(hashlib.sha256(b"%d" % number).digest()).decode()
        prefix = {"photos": "AgACAgIAAxkBAAI", "documents": "BQACAgIAAxkBAAI"}.get(kind, "CAACAgI")
        if kind == "photos":
            ext = ".jpg"
        else:
            guessed = mimetypes.guess_extension(mime_type or "") if mime_type else None
            ext = guessed or (
                "." + file_name.rsplit(".", 1)[-1] if file_name and "." in file_name else ""
            )
        stored = StoredFile(
            file_id=f"{prefix}{number:05d}{token[:40]}",
            file_unique_id=f"AQAD{number:04d}{token[40:48]}",
            kind=kind,
            data=data,
            file_size=len(data) if file_size is None else file_size,
            file_path=f"{kind}/file_{number}{ext}",
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_by_path(self, path: str) -> StoredFile | None:
        return next((f for f in self.files.values() if f.file_path == path), None)

    def photo_sizes(self, data: bytes) -> list[JsonDict]:
        """Three PhotoSize objects, smallest first; only the largest downloads ``data``."""
        sizes: list[JsonDict] = []
        for index, (width, height) in enumerate(PHOTO_SIZES):
            is_largest = index == len(PHOTO_SIZES) - 1
            content = data if is_largest else b"thumbnail-%dx%d:" % (width, height) + data[:32]
            stored = self.register_file(content, "photos")
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "file_size": stored.file_size,
                    "width": width,
                    "height": height,
                }
            )
        for size in sizes:
            self.photo_sets[size["file_id"]] = sizes
        return copy.deepcopy(sizes)

    def photo_set(self, file_id: str) -> list[JsonDict] | None:
        """The sizes of the photo one of whose file ids is ``file_id`` (re-sending a photo
        by file_id gives the same sizes, file ids and file_unique_ids, like Telegram)."""
        sizes = self.photo_sets.get(file_id)
        return copy.deepcopy(sizes) if sizes is not None else None

    def document(self, stored: StoredFile) -> JsonDict:
        doc: JsonDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
        }
        if stored.file_name:
            doc["file_name"] = stored.file_name
        if stored.mime_type:
            doc["mime_type"] = stored.mime_type
        return doc

    def file_object(self, file_id: Any) -> JsonDict:
        stored = self.files.get(str(file_id)) if file_id else None
        if stored is None:
            raise ApiError.bad_request("invalid file_id")
        if stored.file_size > MAX_DOWNLOAD_SIZE:
            raise ApiError.bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    # --- commands ----------------------------------------------------------------------

    @staticmethod
    def commands_key(scope: Any, language_code: Any) -> tuple[str, str]:
        scope_key = "default"
        if isinstance(scope, dict) and scope.get("type"):
            parts = [str(scope["type"])] + [
                str(scope[k]) for k in ("chat_id", "user_id") if k in scope
            ]
            scope_key = ":".join(parts)
        return scope_key, str(language_code or "")
