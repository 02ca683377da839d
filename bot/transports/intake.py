"""The durable inbox, transport side: every update is stored before Telegram is told it was
received, then handled from there, in update-id order per chat.

Polling asks ``getUpdates`` for what comes after the newest stored update and stores each batch
in one short transaction before the next call moves the offset past it; the webhook stores the
posted update before answering 200. A process killed at any moment therefore loses nothing
Telegram considered delivered: at start, what was stored but not handled is handled first. An
update is marked handled in the same transaction as its effects (``bot/inbox/service.py``), so a
redelivery, a replay or a second instance never applies it twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from bot.clock import Clock
from bot.inbox import service as inbox
from bot.storage.db import Database
from bot.transports.port import Received
from bot.transports.updates import SOURCE, fits

log = logging.getLogger(__name__)
# Webhook, several instances: how long an update waits for an earlier one of its chat that
# another instance stored; then this instance handles that one itself (it may have died).
TAKEOVER_SECONDS = 5.0
WAIT_STEP = 0.05


class Reader(Protocol):
    def parse(self, data: dict[str, Any]) -> Received | None:
        """The update as the front end takes it; None for one that never reaches the engine
        (a group's message, an unreadable one: each logged)."""
        ...


def chat_of(data: dict[str, Any]) -> int | None:
    """The chat an update came from, read from the raw update (None when it names none)."""
    message = data.get("message")
    query = data.get("callback_query")
    if isinstance(query, dict):
        message = query.get("message")
    chat = message.get("chat") if isinstance(message, dict) else None
    chat_id = chat.get("id") if isinstance(chat, dict) else None
    return chat_id if fits(chat_id) else None


class Intake:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        reader: Reader,
        handle: Callable[[Received], Any],
        *,
        several_instances: bool = False,
    ) -> None:
        self.db = db
        self.clock = clock
        self.reader = reader
        self.handle = handle
        # With a webhook, another instance may hold an earlier update of the same chat.
        self.several_instances = several_instances
        self._inflight: set[int] = set()
        self._gates: dict[int, asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()

    async def receive(self, batch: Sequence[dict[str, Any]]) -> None:
        """Store updates durably (returns once committed), then start handling the new ones."""
        valid = [u for u in batch if fits(u.get("update_id"))]
        items = [(int(u["update_id"]), chat_of(u), u) for u in valid]
        if not items:
            return
        now = self.clock.now()
        fresh = set(await self.db.run(lambda s: inbox.store(s, SOURCE, items, now)))
        await self.dispatch([u for u in valid if u["update_id"] in fresh])

    async def replay(self) -> int:
        """At start: what was stored but not handled (the process died first), in order."""
        rows = await self.db.run(lambda s: inbox.pending(s, SOURCE))
        stored = [row.payload for row in rows if isinstance(row.payload, dict)]
        if stored:
            log.warning("handling %d update(s) received before a restart", len(stored))
        await self.dispatch(stored)
        return len(stored)

    async def last_update_id(self) -> int | None:
        return await self.db.run(lambda s: inbox.last_update_id(s, SOURCE))

    async def dispatch(self, updates: Sequence[dict[str, Any]], *, gated: bool = True) -> None:
        """Hand updates to the front end in update-id order (its per-chat lock keeps that
        order); those that never reach the engine are set aside as handled."""
        aside: list[int] = []
        for data in sorted(updates, key=lambda u: int(u["update_id"])):
            update_id = int(data["update_id"])
            if update_id in self._inflight:
                continue  # replayed while this process still handles it
            try:
                received = self.reader.parse(data)
            except Exception as exc:  # a reader logs and returns None; this is a last resort
                log.warning("update %s could not be read: %s", update_id, type(exc).__name__)
                received = None
            if received is None:
                aside.append(update_id)
                continue
            self._inflight.add(update_id)
            if self.several_instances and gated:
                self._gate(received)
            else:
                self._start(received)
        if aside:
            now = self.clock.now()
            await self.db.run(
                lambda s: inbox.set_aside(s, SOURCE, aside, now, "not for the engine")
            )

    def _start(self, received: Received) -> None:
        task = asyncio.create_task(self._run(received))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, received: Received) -> None:
        try:
            await self.handle(received)
        except Exception:  # the front end catches what it can; this is a last resort
            log.exception("update %s failed", received.update_id)
        finally:
            self._inflight.discard(received.update_id)

    def _gate(self, received: Received) -> None:
        """Several instances: start the update once earlier updates of its chat, stored by any
        instance, are handled; each chat's updates pass the gate in order."""
        chat = received.chat_id
        before = self._gates.get(chat)

        async def wait_then_start() -> None:
            if before is not None:
                await before
            await self._wait_turn(received)
            self._start(received)

        gate = asyncio.create_task(wait_then_start())
        self._gates[chat] = gate
        self._tasks.add(gate)

        def done(task: asyncio.Task[None]) -> None:
            self._tasks.discard(task)
            if self._gates.get(chat) is task:
                del self._gates[chat]

        gate.add_done_callback(done)

    async def _wait_turn(self, received: Received) -> None:
        chat, update_id = received.chat_id, received.update_id
        waited = 0.0
        while True:
            earlier = await self.db.run(lambda s: inbox.pending_before(s, SOURCE, chat, update_id))
            others = [row for row in earlier if row.update_id not in self._inflight]
            if not others:
                return
            if waited >= TAKEOVER_SECONDS:
                log.warning(
                    "chat %s: %d earlier update(s) left by another instance are handled here",
                    chat,
                    len(others),
                )
                taken = [row.payload for row in others if isinstance(row.payload, dict)]
                await self.dispatch(taken, gated=False)  # started now, ahead of this one
                return
            await asyncio.sleep(WAIT_STEP)
            waited += WAIT_STEP

    async def drain(self, timeout: float) -> None:  # noqa: ASYNC109
        """Wait (up to ``timeout`` seconds) for the updates under way."""
        if not self._tasks:
            return
        _done, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
        if pending:
            log.warning("%d update(s) still being handled at shutdown", len(pending))
