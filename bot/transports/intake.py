"""The durable inbox, transport side: every update is durable before Telegram is told it was
received, and handled in update-id order per chat.

Polling asks ``getUpdates`` for what comes after the newest stored update and makes each batch
durable before the next call moves the offset past it; the webhook does so before answering
200. Most updates (a press, a typed answer, from a chat with nothing else under way) are
carried straight to the engine, whose transaction records them as handled with their effects:
one commit per update, and nothing to replay. The others (a photo to fetch first, a chat
still busy, several instances sharing the database) are stored in one short transaction
first and handled from there. A process killed at any moment therefore loses nothing
Telegram considered delivered: at start, what was stored but not handled is handled first. An
update is marked handled in the same transaction as its effects (``bot/inbox/service.py``), so
a redelivery, a replay or a second instance never applies it twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from bot.clock import Clock
from bot.engine.incoming import Incoming
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
    """``carry``: an update that can go straight to the engine (no file to fetch first, its
    chat idle here, one instance) is not stored on arrival: the engine records it as handled
    in the one transaction that applies it, and ``receive`` returns once that has committed
    (if the engine does not commit it, it is stored as received then). The owner wires the engine's
    ``on_committed`` to :meth:`committed`. Either way an update is durable before ``receive``
    returns, which is when Telegram is told it was received."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        reader: Reader,
        handle: Callable[[Received], Any],
        *,
        several_instances: bool = False,
        carry: bool = False,
    ) -> None:
        self.db = db
        self.clock = clock
        self.reader = reader
        self.handle = handle
        # With a webhook, another instance may hold an earlier update of the same chat.
        self.several_instances = several_instances
        self.carry = carry and not several_instances
        self._inflight: set[int] = set()
        self._busy_chats: dict[int, int] = {}
        self._carried: dict[int, tuple[dict[str, Any], asyncio.Future[None]]] = {}
        self._gates: dict[int, asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()

    async def receive(self, batch: Sequence[dict[str, Any]]) -> None:
        """Make updates durable (returns once committed) and start handling the new ones."""
        valid = [u for u in batch if fits(u.get("update_id"))]
        if not valid:
            return
        ordered = sorted(valid, key=lambda u: int(u["update_id"]))
        carried: list[tuple[dict[str, Any], Received]] = []
        read: dict[int, Received | None] = {}  # read here already: not read (and logged) twice
        if self.carry:
            chats: set[int | None] = set()
            for data in ordered:
                received = self._direct(data, chats, read)
                if received is not None:
                    carried.append((data, received))
        taken = {r.update_id for _, r in carried}
        rest = [u for u in ordered if int(u["update_id"]) not in taken]
        fresh: set[int] = set()
        if rest:
            items = [(int(u["update_id"]), chat_of(u), u) for u in rest]
            now = self.clock.now()
            fresh = set(await self.db.run(lambda s: inbox.store(s, SOURCE, items, now)))
        durable = [self._carry(data, received) for data, received in carried]
        await self.dispatch([u for u in rest if u["update_id"] in fresh], read=read)
        if durable:
            await asyncio.gather(*durable)

    def _direct(
        self, data: dict[str, Any], chats: set[int | None], read: dict[int, Received | None]
    ) -> Received | None:
        """The update, read, when it can be carried to the engine unstored (see the class);
        ``chats`` are those seen earlier in the batch, whose later updates wait their turn;
        what was read goes into ``read``."""
        update_id = int(data["update_id"])
        chat = chat_of(data)
        if chat is None or chat in chats or update_id in self._inflight:
            return None
        chats.add(chat)
        if self._busy_chats.get(chat):
            return None  # behind an update of its chat: stored, and handled in its turn
        try:
            received = self.reader.parse(data)
        except Exception:
            return None  # read again (and logged) on the stored path
        read[update_id] = received
        if received is None or received.incoming is None or received.file is not None:
            return None
        if received.chat_id != chat:
            return None
        return received

    def _carry(self, data: dict[str, Any], received: Received) -> asyncio.Future[None]:
        durable = asyncio.get_running_loop().create_future()
        self._carried[received.update_id] = (data, durable)
        self._inflight.add(received.update_id)
        self._start(received)
        return durable

    def committed(self, incoming: Incoming) -> None:
        """The engine committed an event's transaction: a carried update is durable now."""
        if incoming.event_id is None or incoming.source != SOURCE:
            return
        carried = self._carried.pop(incoming.event_id, None)
        if carried is not None and not carried[1].done():
            carried[1].set_result(None)

    async def _store_uncommitted(self, update_id: int) -> None:
        """A carried update the engine did not commit (it failed, or took no transaction):
        stored now as received, not handled, like any other."""
        carried = self._carried.pop(update_id, None)
        if carried is None:
            return
        data, durable = carried
        try:
            item = [(update_id, chat_of(data), data)]
            now = self.clock.now()
            await self.db.run(lambda s: inbox.store(s, SOURCE, item, now))
        finally:
            if not durable.done():
                durable.set_result(None)

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

    async def dispatch(
        self,
        updates: Sequence[dict[str, Any]],
        *,
        gated: bool = True,
        read: dict[int, Received | None] | None = None,
    ) -> None:
        """Hand stored updates to the front end in update-id order (its per-chat lock keeps
        that order); those that never reach the engine are set aside as handled. ``read``:
        updates read already, as the reader read them."""
        aside: list[int] = []
        for data in sorted(updates, key=lambda u: int(u["update_id"])):
            update_id = int(data["update_id"])
            if update_id in self._inflight:
                continue  # replayed while this process still handles it
            if read is not None and update_id in read:
                received = read[update_id]
            else:
                received = self._read(data, update_id)
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

    def _read(self, data: dict[str, Any], update_id: int) -> Received | None:
        try:
            return self.reader.parse(data)
        except Exception as exc:  # a reader logs and returns None; this is a last resort
            log.warning("update %s could not be read: %s", update_id, type(exc).__name__)
            return None

    def _start(self, received: Received) -> None:
        chat = received.chat_id
        self._busy_chats[chat] = self._busy_chats.get(chat, 0) + 1
        task = asyncio.create_task(self._run(received))
        self._tasks.add(task)

        def done(task: asyncio.Task[Any]) -> None:
            self._tasks.discard(task)
            left = self._busy_chats.get(chat, 1) - 1
            if left > 0:
                self._busy_chats[chat] = left
            else:
                self._busy_chats.pop(chat, None)

        task.add_done_callback(done)

    async def _run(self, received: Received) -> None:
        try:
            await self.handle(received)
        except Exception:  # the front end catches what it can; this is a last resort
            log.exception("update %s failed", received.update_id)
        finally:
            try:
                if received.update_id in self._carried:
                    await self._store_uncommitted(received.update_id)
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
