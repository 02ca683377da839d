"""Inspection and waiting helpers of :class:`FakeBotAPI` (what tests assert on)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from .bot_api_limits import RateLimiter, RateLimitHit
from .bot_api_models import (
    ApiCall,
    ErrorRecord,
    JsonDict,
    ResponseRecord,
    StoredFile,
    StoredMessage,
)
from .bot_api_state import BotState
from .bot_api_updates import UpdateQueue


class InspectionMixin:
    state: BotState
    updates: UpdateQueue
    calls: list[ApiCall]
    responses: list[ResponseRecord]
    errors: list[ErrorRecord]
    limiter: RateLimiter
    _changed: asyncio.Event

    # --- recorded traffic --------------------------------------------------------------------

    def calls_to(self, method: str) -> list[JsonDict]:
        """Params of every call of ``method``, in order."""
        return [params for name, params in self.calls if name == method]

    def requests_with_status(self, status: int | str) -> list[ResponseRecord]:
        """Answers with that status; ``"4xx"``/``"5xx"`` select a class (injected excluded)."""
        if isinstance(status, str):
            low = int(status[0]) * 100
            return [r for r in self.responses if low <= r.status < low + 100 and not r.injected]
        return [r for r in self.responses if r.status == status and not r.injected]

    def assert_no_errors(self) -> None:
        """Fail if the server answered any (non-injected) 4xx/5xx."""
        if self.errors:
            lines = "\n".join(
                f"  {e.status} {e.method}: {e.description} params={e.params}" for e in self.errors
            )
            raise AssertionError(f"the bot got {len(self.errors)} API error(s):\n{lines}")

    def sent_messages(self, chat_id: int) -> list[StoredMessage]:
        """Current (edited, not deleted) messages the bot sent to ``chat_id``, in order."""
        return self.state.messages(chat_id, from_bot=True)

    def all_messages(self, chat_id: int) -> list[StoredMessage]:
        """Bot and user messages in ``chat_id`` (not deleted), in order."""
        return self.state.messages(chat_id, from_bot=None)

    def last_message(self, chat_id: int) -> StoredMessage | None:
        messages = self.sent_messages(chat_id)
        return messages[-1] if messages else None

    def media_group(self, chat_id: int, media_group_id: str | None = None) -> list[StoredMessage]:
        """The bot's messages of one album (default: the latest album in ``chat_id``)."""
        sent = [m for m in self.sent_messages(chat_id) if m.media_group_id]
        if media_group_id is None and sent:
            media_group_id = sent[-1].media_group_id
        return [m for m in sent if m.media_group_id == media_group_id]

    def message(self, chat_id: int, message_id: int) -> StoredMessage:
        found = self.state.find_message(chat_id, message_id)
        if found is None:
            raise LookupError(f"no message {message_id} in chat {chat_id}")
        return found

    def keyboard_message(self, chat_id: int, message_id: int | None = None) -> StoredMessage:
        """``message_id`` or the latest bot message carrying an inline keyboard."""
        if message_id is not None:
            return self.message(chat_id, message_id)
        with_keyboard = [m for m in self.sent_messages(chat_id) if m.reply_markup]
        if not with_keyboard:
            raise LookupError(f"no bot message with an inline keyboard in chat {chat_id}")
        return with_keyboard[-1]

    def buttons(self, chat_id: int, message_id: int | None = None) -> list[list[str]]:
        return self.keyboard_message(chat_id, message_id).button_texts()

    def find_button(self, chat_id: int, text: str, message_id: int | None = None) -> JsonDict:
        message = self.keyboard_message(chat_id, message_id)
        button = message.find_button(text)
        if button is None:
            raise LookupError(f"no button {text!r}; buttons: {message.button_texts()}")
        return button

    @property
    def callback_answers(self) -> list[JsonDict]:
        return self.state.callback_answers

    @property
    def chat_actions(self) -> list[tuple[int, str]]:
        return self.state.chat_actions

    def my_commands(self, scope: JsonDict | None = None, language_code: str = "") -> list[JsonDict]:
        return self.state.commands.get(self.state.commands_key(scope, language_code), [])

    @property
    def webhook_url(self) -> str | None:
        return self.state.webhook.url if self.state.webhook else None

    @property
    def pending_updates(self) -> list[JsonDict]:
        return [entry.update for entry in self.updates.pending]

    def register_file(
        self,
        data: bytes,
        kind: str = "documents",
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        file_size: int | None = None,
    ) -> StoredFile:
        """Make a file known to the server (``file_size`` may pretend it is huge)."""
        return self.state.register_file(
            data, kind, file_name=file_name, mime_type=mime_type, file_size=file_size
        )

    # --- rate limits (see bot_api_limits.py) ------------------------------------------

    @property
    def rate_limit_hits(self) -> list[RateLimitHit]:
        """Every call refused with 429 by the limits (not ``fail_next``), in order."""
        return self.limiter.hits

    @property
    def rate_limit_counts(self) -> dict[str, int]:
        """Number of 429 answers by scope: ``{"global": n, "chat": n, "group": n}``."""
        return self.limiter.hit_counts()

    def send_times(self, chat_id: int | None = None) -> list[float]:
        """``time.monotonic()`` of every accepted send (to ``chat_id``, or all), oldest first;
        a media group appears once per item. Recorded with or without ``limits``."""
        return self.limiter.send_times(chat_id)

    # --- waiting -----------------------------------------------------------------------

    def checkpoint(self) -> int:
        """Index into ``responses``; pass as ``wait_for_call(..., start=...)`` to only
        consider calls made after this point."""
        return len(self.responses)

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> None:
        """Wait until ``predicate()`` is true, re-checking after every API answer."""
        try:
            async with asyncio.timeout(timeout):
                while not predicate():
                    await self._changed.wait()
        except TimeoutError:
            calls = [f"{r.method}:{r.status}" for r in self.responses]
            raise AssertionError(f"condition not met within {timeout}s; calls: {calls}") from None

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[JsonDict], bool] | None = None,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
        start: int = 0,
    ) -> ResponseRecord:
        """First answered call of ``method`` (from ``responses[start:]``) matching
        ``predicate(params)``; the call's effects are visible when this returns."""
        found: list[ResponseRecord] = []

        def match() -> bool:
            for record in self.responses[start:]:
                if record.method == method and (predicate is None or predicate(record.params)):
                    found.append(record)
                    return True
            return False

        await self.wait_for(match, timeout)
        return found[0]

    async def wait_until_consumed(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until all pending updates were confirmed (getUpdates offset) or delivered."""
        try:
            await self.updates.wait_empty(timeout)
        except TimeoutError:
            pending = [u["update_id"] for u in self.pending_updates]
            raise AssertionError(f"updates still pending after {timeout}s: {pending}") from None
