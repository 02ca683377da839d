"""Per-chat state of one process: an ordering lock, albums being gathered, the question shown.

None of it is the source of truth (the database is); losing it on a restart costs at most an
edit that becomes a new message.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot.transports.port import Menu, Received
from bot.transports.render import Piece


class ChatLocks:
    """One lock per chat, in arrival order, dropped when nobody waits."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, chat_id: int) -> AsyncIterator[None]:
        lock, waiting = self._locks.get(chat_id, (asyncio.Lock(), 0))
        self._locks[chat_id] = (lock, waiting + 1)
        try:
            async with lock:
                yield
        finally:
            lock, waiting = self._locks[chat_id]
            if waiting <= 1:
                del self._locks[chat_id]
            else:
                self._locks[chat_id] = (lock, waiting - 1)


class Albums:
    """Photos of one media group arrive as separate updates; gather them into one event."""

    def __init__(self, quiet: float) -> None:
        self.quiet = quiet  # seconds without a new member before the album counts as complete
        self._groups: dict[tuple[int, str], list[Received]] = {}

    def join(self, received: Received) -> bool:
        """Add to an album already being gathered (True), or start a new one (False)."""
        assert received.album is not None
        key = (received.chat_id, received.album)
        if key in self._groups:
            self._groups[key].append(received)
            return True
        self._groups[key] = [received]
        return False

    async def gather(self, received: Received) -> list[Received]:
        """Wait until the album is quiet; all its members, in update order."""
        assert received.album is not None
        key = (received.chat_id, received.album)
        while True:
            seen = len(self._groups[key])
            await asyncio.sleep(self.quiet)
            if len(self._groups[key]) == seen:
                break
        return sorted(self._groups.pop(key), key=lambda r: r.update_id)


@dataclass
class ChatView:
    question: int | None = None  # the message holding the current question
    shown: dict[int, Piece] = field(default_factory=dict)  # message id -> what it shows
    reply_keyboard: bool = False  # a "share location" keyboard is up
    commands: Menu | None = None  # the command menu last set for this chat


class Views:
    """What each chat currently shows, for the most recent chats."""

    def __init__(self, size: int = 5000) -> None:
        self.size = size
        self._views: OrderedDict[int, ChatView] = OrderedDict()

    def __getitem__(self, chat_id: int) -> ChatView:
        view = self._views.pop(chat_id, None) or ChatView()
        self._views[chat_id] = view
        while len(self._views) > self.size:
            self._views.popitem(last=False)
        return view

    def shown(self, chat_id: int, message_id: int, piece: Piece) -> None:
        view = self[chat_id]
        view.question = message_id
        view.shown = {message_id: piece}
