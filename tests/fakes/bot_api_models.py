"""Plain data types shared by the fake Telegram Bot API modules."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

JsonDict = dict[str, Any]


class ApiError(Exception):
    """Raised by a method handler to answer ``{"ok": false, ...}`` like the real server."""

    def __init__(
        self,
        status: int,
        description: str,
        parameters: JsonDict | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    @classmethod
    def bad_request(cls, detail: str) -> ApiError:
        return cls(400, f"Bad Request: {detail}")

    @classmethod
    def forbidden(cls, detail: str) -> ApiError:
        return cls(403, f"Forbidden: {detail}")

    def payload(self) -> JsonDict:
        body: JsonDict = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


class ApiCall(NamedTuple):
    """One request the bot made: unpacks as ``method, params``."""

    method: str
    params: JsonDict


@dataclass(frozen=True)
class ErrorRecord:
    """A non-2xx answer of the fake server."""

    method: str
    params: JsonDict
    status: int
    description: str


@dataclass(frozen=True)
class ResponseRecord:
    """Every answer the server produced, in order (``api.responses``)."""

    method: str
    params: JsonDict
    status: int
    body: Any
    injected: bool = False


@dataclass
class InjectedFailure:
    method: str
    status: int
    description: str
    retry_after: int | None = None
    raw_body: str | None = None
    times: int = 1

    def payload(self) -> JsonDict:
        body: JsonDict = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str  # "photos", "documents", ...
    data: bytes
    file_size: int
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the stored bytes (compare with ``hashlib.sha256(sent).hexdigest()``)."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class StoredMessage:
    """Current state of a message in a chat (after edits)."""

    message_id: int
    chat_id: int
    from_bot: bool
    data: JsonDict
    raw_text: str | None = None
    parse_mode: str | None = None
    deleted: bool = False
    edits: int = 0
    sent_markup: JsonDict | None = None
    """Markup as sent, including reply keyboards (the API echoes inline ones only)."""
    file: StoredFile | None = None
    """The file a bot's photo (its largest size) or document message carries."""
    file_source: str | None = None
    """How the bot gave that file: ``"upload"``, ``"file_id"`` (re-used) or ``"url"``."""

    @property
    def text(self) -> str | None:
        """Plain text (or caption) as the real API returns it: tags stripped."""
        value = self.data.get("text", self.data.get("caption"))
        return value if isinstance(value, str) else None

    @property
    def caption(self) -> str | None:
        """Caption as the API returns it (tags stripped); None for text or no caption."""
        value = self.data.get("caption")
        return value if isinstance(value, str) else None

    @property
    def media_group_id(self) -> str | None:
        value = self.data.get("media_group_id")
        return value if isinstance(value, str) else None

    @property
    def photo_file_ids(self) -> list[str]:
        """File ids of the photo's sizes, smallest first (empty if it is no photo)."""
        return [size["file_id"] for size in self.data.get("photo", [])]

    @property
    def location(self) -> JsonDict | None:
        """``{"latitude": ..., "longitude": ...}`` of a location or venue message."""
        value = self.data.get("location")
        return value if isinstance(value, dict) else None

    @property
    def venue(self) -> JsonDict | None:
        value = self.data.get("venue")
        return value if isinstance(value, dict) else None

    @property
    def reply_markup(self) -> JsonDict | None:
        markup = self.data.get("reply_markup")
        return markup if isinstance(markup, dict) else None

    def inline_buttons(self) -> Iterator[JsonDict]:
        markup = self.reply_markup or {}
        for row in markup.get("inline_keyboard", []):
            yield from row

    def button_texts(self) -> list[list[str]]:
        markup = self.reply_markup or {}
        return [[b["text"] for b in row] for row in markup.get("inline_keyboard", [])]

    def find_button(self, text: str) -> JsonDict | None:
        """Inline button whose text equals ``text`` (or contains it, as a fallback)."""
        buttons = list(self.inline_buttons())
        for button in buttons:
            if button.get("text") == text:
                return button
        matches = [b for b in buttons if text in str(b.get("text", ""))]
        return matches[0] if len(matches) == 1 else None

    def public(self) -> JsonDict:
        """The Message object as the API serialises it."""
        return dict(self.data)


@dataclass
class Sent:
    """Result of a simulated user action; awaiting it waits for webhook delivery."""

    updates: list[JsonDict]
    _done: list[asyncio.Future[None]] = field(default_factory=list, repr=False)

    @property
    def update(self) -> JsonDict:
        return self.updates[0]

    @property
    def update_id(self) -> int:
        return int(self.updates[0]["update_id"])

    @property
    def message_id(self) -> int | None:
        body = next(v for k, v in self.update.items() if k != "update_id")
        if "message_id" in body:
            return int(body["message_id"])
        message = body.get("message")
        return int(message["message_id"]) if isinstance(message, dict) else None

    @property
    def callback_query_id(self) -> str | None:
        query = self.update.get("callback_query")
        return str(query["id"]) if query else None

    async def wait(self) -> Sent:
        if self._done:
            await asyncio.gather(*self._done)
        return self

    def __await__(self) -> Generator[Any, None, Sent]:
        return self.wait().__await__()
