"""What the sender needs from a Telegram client: one attempt at a time, with errors it can act on.

The front end's own calls retry in place (a person is waiting for that answer); the sender's do
not: it records what happened and comes back to the row later, so one slow chat or a flood wait
never holds up everyone else's pings.
"""

from __future__ import annotations

from typing import Protocol

from bot.transports.render import Rows


class Flood(Exception):
    """429: Telegram asks to wait ``retry_after`` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"flood control: retry after {retry_after:g} s")
        self.retry_after = retry_after


class Unreachable(Exception):
    """403 (blocked the bot, never pressed Start) or no such chat: do not try again."""


class Transient(Exception):
    """5xx, a timeout, a lost connection: try again later."""


class Rejected(Exception):
    """Any other 4xx: this message will never be accepted as it is."""


class OutboxPort(Protocol):
    async def post(self, chat_id: int, html: str, rows: Rows) -> int:
        """Send an HTML message once; its message id."""
        ...

    async def amend(self, chat_id: int, message_id: int, html: str, rows: Rows) -> None:
        """Edit a sent message once ("not modified" counts as done)."""
        ...
