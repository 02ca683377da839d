"""Pending-update queue with real ``getUpdates`` long-polling semantics."""

from __future__ import annotations

import asyncio
import copy
import itertools
from dataclasses import dataclass

from .bot_api_models import ApiError, JsonDict

# Update types Telegram leaves out unless explicitly listed in allowed_updates.
OPT_IN_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


def update_type(update: JsonDict) -> str:
    return next((key for key in update if key != "update_id"), "unknown")


@dataclass
class PendingUpdate:
    update: JsonDict
    forced: bool = False  # a re-delivery that ignores the confirmed offset once
    submitted: bool = False  # handed to the webhook deliverer


class UpdateQueue:
    def __init__(self, first_update_id: int = 700_000_001) -> None:
        self._ids = itertools.count(first_update_id)
        self.pending: list[PendingUpdate] = []
        self.history: dict[int, JsonDict] = {}
        self.allowed_updates: list[str] | None = None
        self.delivered: list[int] = []  # update ids returned by getUpdates, in order
        self.stopping = False
        self._changed = asyncio.Event()
        self._generation = 0

    def new_id(self) -> int:
        return next(self._ids)

    def notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def push(self, update: JsonDict, *, forced: bool = False) -> PendingUpdate:
        if "update_id" not in update:
            update = {"update_id": self.new_id(), **update}
        self.history.setdefault(int(update["update_id"]), update)
        entry = PendingUpdate(copy.deepcopy(update), forced=forced)
        self.pending.append(entry)
        self.notify()
        return entry

    def remove(self, entry: PendingUpdate) -> None:
        if entry in self.pending:
            self.pending.remove(entry)
            self.notify()

    def clear(self) -> None:
        self.pending.clear()
        self.notify()

    def stop(self) -> None:
        self.stopping = True
        self.notify()

    def confirm(self, offset: int) -> None:
        """Apply ``offset``: forget updates below it (negative: keep the last -offset)."""
        if offset < 0:
            self.pending = self.pending[offset:]
        else:
            self.pending = [
                e for e in self.pending if e.forced or int(e.update["update_id"]) >= offset
            ]
        self.notify()

    def _allowed(self, update: JsonDict) -> bool:
        kind = update_type(update)
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in OPT_IN_TYPES

    def _take(self, limit: int) -> list[JsonDict]:
        kept = [e for e in self.pending if self._allowed(e.update)]
        if len(kept) != len(self.pending):
            self.pending = kept  # the real server drops updates of disallowed types
        batch = kept[:limit]
        for entry in batch:
            entry.forced = False
            self.delivered.append(int(entry.update["update_id"]))
        return [copy.deepcopy(e.update) for e in batch]

    async def get_updates(
        self,
        *,
        offset: int | None,
        limit: int | None,
        poll_timeout: int | None,
        allowed_updates: list[str] | None,
    ) -> list[JsonDict]:
        if allowed_updates is not None:
            self.allowed_updates = list(allowed_updates) or None
        self._generation += 1
        generation = self._generation
        self.notify()  # wakes (and thereby terminates) an older long poll
        if offset is not None:
            self.confirm(offset)
        limit = min(max(limit or 100, 1), 100)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(poll_timeout or 0, 0)
        while True:
            if generation != self._generation:
                raise ApiError(409, CONFLICT)
            batch = self._take(limit)
            remaining = deadline - loop.time()
            if batch or self.stopping or remaining <= 0:
                return batch
            changed = self._changed
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                pass

    async def wait_empty(self, timeout: float) -> None:  # noqa: ASYNC109
        """Wait until every pending update was confirmed (or delivered by webhook)."""
        async with asyncio.timeout(timeout):
            while self.pending:
                await self._changed.wait()
