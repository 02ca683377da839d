"""What the Telegram front end needs from a client library, and what it gets from an update.

Each adapter (aiogram, python-telegram-bot) implements :class:`Port` with its own client and
turns its update objects into :class:`Received`; everything else is shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from bot.engine.incoming import Incoming, UserRef
from bot.transports.render import Rows

if TYPE_CHECKING:
    from bot.transports.front import Front

Menu = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Keyboard:
    rows: Rows = ()  # inline buttons
    share_location: str | None = None  # a reply keyboard with one "share location" button
    remove: bool = False  # take a reply keyboard away


class EditRefused(Exception):
    """Telegram would not edit the message (``not_modified``: it already reads so)."""

    def __init__(self, not_modified: bool) -> None:
        super().__init__("message is not modified" if not_modified else "edit refused")
        self.not_modified = not_modified


class DownloadFailed(Exception):
    """A file download answered with an HTTP error (the URL, which holds the token, is left out)."""

    def __init__(self, status: int) -> None:
        super().__init__(f"file download failed with HTTP {status}")
        self.status = status


@dataclass(frozen=True)
class PhotoFile:
    """A photo to send: Telegram's file id when the bot has one, else its bytes."""

    file_id: str | None = None
    data: bytes | None = None


class Port(Protocol):
    async def send(self, chat_id: int, html: str, keyboard: Keyboard) -> int:
        """Send an HTML message; its message id."""
        ...

    async def edit(self, chat_id: int, message_id: int, html: str, rows: Rows) -> None:
        """Edit a message's text and inline keyboard; :class:`EditRefused` when refused."""
        ...

    async def answer(self, callback_id: str, text: str | None) -> None: ...

    async def send_album(self, chat_id: int, photos: list[PhotoFile]) -> None:
        """One photo, or an album of 2–10."""
        ...

    async def send_place(
        self, chat_id: int, lat: float, lon: float, title: str | None, address: str | None
    ) -> None:
        """A map pin (a venue when it has a title)."""
        ...

    async def send_document(self, chat_id: int, name: str, data: bytes, caption: str) -> None:
        """A file as a document (a PDF, a CSV), with a plain-text caption."""
        ...

    async def send_image(self, chat_id: int, name: str, data: bytes, caption: str) -> None:
        """An image made by the bot (a chart) as a photo, with a plain-text caption."""
        ...

    async def post(self, chat_id: int, html: str, rows: Rows) -> int:
        """The sender's send: one attempt, errors of bot.delivery.port."""
        ...

    async def amend(self, chat_id: int, message_id: int, html: str, rows: Rows) -> None:
        """The sender's edit: one attempt, errors of bot.delivery.port."""
        ...

    async def chat_action(self, chat_id: int, action: str) -> None: ...

    async def download(self, file_id: str) -> bytes:
        """getFile, then the file's bytes (retried on flood control and server errors)."""
        ...

    async def set_commands(
        self, commands: Menu, *, chat_id: int | None = None, language: str | None = None
    ) -> None: ...


@dataclass(frozen=True)
class FileRef:
    file_id: str
    size: int | None
    mime: str | None
    photo: bool  # a compressed photo (else a document)


@dataclass(frozen=True)
class Received:
    """One update, mapped: a ready engine event, or a file still to be downloaded."""

    update_id: int
    chat_id: int
    user: UserRef
    incoming: Incoming | None = None
    file: FileRef | None = None
    album: str | None = None  # media_group_id
    callback_id: str | None = None
    pressed_message: int | None = None  # the message whose button was pressed


class Transport(Protocol):
    """What ``dutybot run`` drives (bot/transports/runner.py): one client library's bot, its
    front end, polling or a webhook. ``AiogramTransport`` and ``PtbTransport`` implement it."""

    front: Front

    async def start(self) -> str:
        """Connect; the bot's username (getMe)."""
        ...

    async def prepare_polling(self) -> None:
        """Before polling: no webhook may be set."""
        ...

    async def fetch(self, offset: int | None, wait: int) -> list[dict[str, Any]]:
        """One getUpdates long poll: the raw updates, not yet confirmed."""
        ...

    def parse(self, data: dict[str, Any]) -> Received | None:
        """A raw update as the front end takes it; None for one that never reaches the engine."""
        ...

    async def set_webhook(self, url: str, secret: str) -> None: ...

    async def close(self, timeout: float) -> None:  # noqa: ASYNC109
        """Let updates being handled finish (at most ``timeout`` seconds), then disconnect."""
        ...
