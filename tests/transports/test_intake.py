"""The inbox, transport side, with a reader that reads text messages and a recording handler:
stored before anything else, handled in update-id order, replayed after a crash, set aside when
unreadable, and in order across two instances sharing one database."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlmodel import select

from bot.clock import FrozenClock
from bot.engine.incoming import Incoming, UserRef
from bot.inbox.models import InboxUpdate
from bot.storage.db import Database
from bot.transports import intake as intake_module
from bot.transports.chats import ChatLocks
from bot.transports.intake import Intake, chat_of
from bot.transports.port import Received
from tests.conftest import START


class TextReader:
    """Reads ``{"update_id", "message": {"chat": {"id"}, "text"}}``; anything else is not for
    the engine."""

    def parse(self, data: dict[str, Any]) -> Received | None:
        message = data.get("message")
        if not isinstance(message, dict) or not isinstance(message.get("text"), str):
            return None
        chat = int(message["chat"]["id"])
        user = UserRef(chat, "x")
        event = Incoming.message(
            user, message["text"], source="telegram", event_id=data["update_id"]
        )
        return Received(int(data["update_id"]), chat, user, incoming=event)


@dataclass
class Recorder:
    """Handles an update by marking it handled, as the engine would, and remembers the order."""

    db: Database
    order: list[int] = field(default_factory=list)
    gate: asyncio.Event | None = None

    async def __call__(self, received: Received) -> None:
        if self.gate is not None:
            await self.gate.wait()
        from bot.inbox import service as inbox

        self.order.append(received.update_id)
        await self.db.run(lambda s: inbox.mark_handled(s, "telegram", [received.update_id], START))


def update(update_id: int, chat: int, text: str = "hi") -> dict[str, Any]:
    return {"update_id": update_id, "message": {"chat": {"id": chat}, "text": text}}


async def settle(*intakes: Intake) -> None:
    for _ in range(200):
        await asyncio.sleep(0.01)
        if not any(i._tasks for i in intakes):
            return


def rows(db: Database) -> dict[int, InboxUpdate]:
    with db.transaction() as session:
        return {r.update_id: r for r in session.exec(select(InboxUpdate)).all()}


async def test_updates_are_stored_then_handled_in_order_and_a_redelivery_is_not(
    db: Database,
) -> None:
    handler = Recorder(db)
    intake = Intake(db, FrozenClock(START), TextReader(), handler)
    await intake.receive([update(12, 5), update(10, 5), update(11, 6)])
    stored = rows(db)
    assert set(stored) == {10, 11, 12} and stored[12].payload == update(12, 5)
    assert (stored[10].chat_id, stored[11].chat_id) == (5, 6)
    await settle(intake)
    assert handler.order == [10, 11, 12]
    await intake.receive([update(12, 5)])  # Telegram sends it again
    await settle(intake)
    assert handler.order == [10, 11, 12]
    assert all(r.handled_at is not None for r in rows(db).values())


async def test_what_was_stored_but_not_handled_is_handled_after_a_restart(db: Database) -> None:
    stuck = Recorder(db, gate=asyncio.Event())  # the process "dies" before handling anything
    first = Intake(db, FrozenClock(START), TextReader(), stuck)
    await first.receive([update(20, 5), update(21, 5), update(22, 7)])
    for task in list(first._tasks):
        task.cancel()
    await asyncio.sleep(0)
    assert all(r.handled_at is None for r in rows(db).values())
    handler = Recorder(db)
    restarted = Intake(db, FrozenClock(START), TextReader(), handler)
    assert await restarted.replay() == 3
    await settle(restarted)
    assert handler.order == [20, 21, 22]
    assert await restarted.replay() == 0
    assert await restarted.last_update_id() == 22


async def test_unreadable_and_foreign_updates_are_set_aside_not_lost(db: Database) -> None:
    handler = Recorder(db)
    intake = Intake(db, FrozenClock(START), TextReader(), handler)
    await intake.receive(
        [update(30, 5), {"update_id": 31, "edited_message": {}}, {"update_id": 2**70}, {}]
    )
    await settle(intake)
    stored = rows(db)
    assert set(stored) == {30, 31}  # an id beyond 64 bits or none at all is not stored
    assert stored[31].handled_at is not None and stored[31].note == "not for the engine"
    assert handler.order == [30]


async def test_two_instances_keep_one_chats_order(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Instance A stored update 40 of chat 5 but is slow to handle it; instance B gets 41 of
    the same chat: B waits for A's 40, whatever order the two handlers run in."""
    monkeypatch.setattr(intake_module, "TAKEOVER_SECONDS", 30.0)
    order: list[int] = []
    slow_a, b_handler = Recorder(db, order, asyncio.Event()), Recorder(db, order)
    a = Intake(db, FrozenClock(START), TextReader(), slow_a, several_instances=True)
    b = Intake(db, FrozenClock(START), TextReader(), b_handler, several_instances=True)
    await a.receive([update(40, 5)])
    await b.receive([update(41, 5), update(42, 9)])
    await asyncio.sleep(0.3)
    assert order == [42]  # another chat goes on; 41 waits for 40
    assert slow_a.gate is not None
    slow_a.gate.set()
    await settle(a, b)
    assert order == [42, 40, 41]


async def test_an_earlier_update_left_by_a_dead_instance_is_taken_over(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake_module, "TAKEOVER_SECONDS", 0.2)
    dead = Recorder(db, gate=asyncio.Event())  # stored 50, never handles it
    a = Intake(db, FrozenClock(START), TextReader(), dead, several_instances=True)
    await a.receive([update(50, 5)])
    handler = Recorder(db)
    b = Intake(db, FrozenClock(START), TextReader(), handler, several_instances=True)
    await b.receive([update(51, 5)])
    await settle(b)
    assert handler.order == [50, 51]
    for task in list(a._tasks):
        task.cancel()


def test_the_chat_of_an_update_is_read_from_the_json() -> None:
    assert chat_of(update(1, 42)) == 42
    press = {"update_id": 2, "callback_query": {"message": {"chat": {"id": -100}}}}
    assert chat_of(press) == -100
    assert chat_of({"update_id": 3}) is None
    assert chat_of({"update_id": 4, "message": {"chat": {"id": 2**70}}}) is None


@dataclass
class Carrier:
    """Handles an update as the engine does when the intake carries it: its mark in the one
    transaction of its effects; then tells the intake it committed. ``fail`` ids raise instead
    (the engine's transaction rolled back)."""

    db: Database
    order: list[int] = field(default_factory=list)
    fail: set[int] = field(default_factory=set)
    intake: Intake | None = None

    async def __call__(self, received: Received) -> None:
        from bot.inbox import service as inbox

        incoming = received.incoming
        assert incoming is not None and self.intake is not None
        if received.update_id in self.fail:
            raise RuntimeError("the engine failed")
        fresh = await self.db.run(
            lambda s: inbox.mark_handled(s, "telegram", [received.update_id], START)
        )
        if fresh:  # the engine applies what it had not seen, and ignores a redelivery
            self.order.append(received.update_id)
        self.intake.committed(incoming)


def carrying(db: Database, handler: Carrier) -> Intake:
    intake = Intake(db, FrozenClock(START), TextReader(), handler, carry=True)
    handler.intake = intake
    return intake


async def test_a_carried_update_is_recorded_with_its_effects_in_one_transaction(
    db: Database,
) -> None:
    handler = Carrier(db)
    intake = carrying(db, handler)
    units = 0
    run = db.run

    async def counted(work: Any) -> Any:
        nonlocal units
        units += 1
        return await run(work)

    db.run = counted  # type: ignore[method-assign]
    await intake.receive([update(60, 5), update(61, 6)])
    # Durable when receive returns (Telegram is told then), without a storing transaction.
    stored = rows(db)
    assert set(stored) == {60, 61} and units == 2
    assert all(r.handled_at is not None for r in stored.values())  # nothing left to replay
    await intake.receive([update(60, 5)])  # Telegram sends it again: applied once
    await settle(intake)
    assert sorted(handler.order) == [60, 61]  # two chats: side by side on PostgreSQL


async def test_a_carried_update_the_engine_failed_on_is_stored_and_replayed(
    db: Database,
) -> None:
    handler = Carrier(db, fail={70})
    intake = carrying(db, handler)
    await intake.receive([update(70, 5)])
    stored = rows(db)
    assert stored[70].payload == update(70, 5) and stored[70].handled_at is None
    await settle(intake)
    handler.fail.clear()
    restarted = carrying(db, handler)
    assert await restarted.replay() == 1
    await settle(restarted)
    assert handler.order == [70] and rows(db)[70].handled_at is not None


async def test_a_busy_chats_update_is_stored_first_and_waits_its_turn(db: Database) -> None:
    """Chat 5 still has update 80 under way: 81 of the same chat is stored on arrival (and
    handled after 80), while 82 of an idle chat is carried."""
    gate = asyncio.Event()
    order: list[int] = []
    handler = Carrier(db, order)

    locks = ChatLocks()  # the front end's: one chat's updates one at a time, in turn

    async def slow_first(received: Received) -> None:
        async with locks.hold(received.chat_id):
            if received.update_id == 80:
                await gate.wait()
            await handler(received)

    intake = Intake(db, FrozenClock(START), TextReader(), slow_first, carry=True)
    handler.intake = intake
    receiving = asyncio.create_task(intake.receive([update(80, 5)]))
    await asyncio.sleep(0.05)
    assert not receiving.done()  # not durable yet: Telegram is not told
    await intake.receive([update(81, 5), update(82, 9)])
    assert set(rows(db)) == {81, 82}
    assert rows(db)[81].handled_at is None  # stored, waiting for 80
    gate.set()
    await receiving
    await settle(intake)
    assert order.index(80) < order.index(81)
    assert all(r.handled_at is not None for r in rows(db).values())


async def test_each_update_is_read_once_whichever_path_it_takes(db: Database) -> None:
    """The reader logs what it cannot use: an update read to see whether it can be carried is
    not read again on the stored path."""
    reads: list[int] = []

    class Counting(TextReader):
        def parse(self, data: dict[str, Any]) -> Received | None:
            reads.append(int(data["update_id"]))
            return super().parse(data)

    handler = Carrier(db)
    intake = Intake(db, FrozenClock(START), Counting(), handler, carry=True)
    handler.intake = intake
    foreign = {"update_id": 91, "message": {"chat": {"id": 6}}}  # no text: not for it
    await intake.receive([update(90, 5), foreign])
    await settle(intake)
    assert sorted(reads) == [90, 91]
    assert rows(db)[91].note == "not for the engine" and handler.order == [90]
