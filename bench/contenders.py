"""What bench/step.py (and memory.py, latency.py) run: dutybot's real Telegram path on a canned
Bot API, and bare aiogram bots to measure it against.

``Dutybot`` is the path ``dutybot run`` takes for every update: the raw JSON is stored in the
durable inbox (one short transaction), read by the client library (aiogram's ``Update`` or
python-telegram-bot's), handed to the front end, which runs the engine (one transaction on the
database thread) and renders its answer through the library's Bot API calls. A step is done when
the front end reports the update finished (every call answered).

``Bare`` is aiogram as the best small bots use it: ``Dispatcher.feed_update`` with one handler
that does nothing, or one SQLite WAL insert and commit, or that and one reply.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import tempfile
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.types import CallbackQuery, Message, Update
from sqlalchemy import event

from bench.canned import TOKEN, CannedSession, Guard, Telegram, next_update_id
from bot.clock import SystemClock
from bot.engine.conversation import Engine
from bot.flows.registry import load_registry
from bot.i18n import Catalogs
from bot.sites import service as sites
from bot.staff import service as staff_service
from bot.storage.db import Database
from bot.storage.media import MediaStore
from bot.storage.migrate import upgrade
from bot.transports.front import Front
from bot.transports.intake import Intake
from bot.transports.port import Port


class Failures(logging.Handler):
    """Counts what the front end logs as failed (an apology was sent instead of an answer)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.name}: {record.getMessage()}")


FAILURES = Failures()


def watch_failures() -> None:
    """Count what dutybot logs at WARNING and above (a benchmark's figures are void with any)."""
    if FAILURES not in logging.getLogger("bot").handlers:
        logging.getLogger("bot").addHandler(FAILURES)


# A hotel's or a site's security team; a chain of them shares the database. (Every alert a step
# raises reads the site's whole staff: see bench/README.md.)
GUARDS_PER_SITE = 20


class Dutybot:
    """One dutybot instance on its own database (or PostgreSQL schema), ``guards`` people."""

    def __init__(
        self,
        name: str,
        transport: str,
        url: str,
        *,
        guards: int,
        base_id: int,
        schema: str | None = None,
        latency: float = 0.0,
        several_instances: bool = False,
        seed: bool = True,
        synchronous: str = "FULL",
    ) -> None:
        self.name = name
        self.transport_name = transport
        self.url = url
        self.schema = schema
        self.base_id = base_id
        self.seed = seed
        self.synchronous = synchronous
        self.several_instances = several_instances
        self.telegram = Telegram(latency)
        self.guards = [Guard(self.telegram, base_id + i) for i in range(guards)]
        self._waiting: dict[int, asyncio.Future[None]] = {}
        self.statements = 0
        self.steps = 0
        self._media = tempfile.TemporaryDirectory()

    async def setup(self) -> None:
        self.db = Database(self.url, schema=self.schema, synchronous=self.synchronous)
        if self.seed:
            await upgrade(self.db)
            now = datetime.now(UTC)
            with self.db.transaction() as session:
                site_id = 0
                for n, guard in enumerate(self.guards):
                    if n % GUARDS_PER_SITE == 0:
                        site = sites.create(
                            session, code=f"b{self.base_id}-{n}", name=f"Bench {n}",
                            timezone="Asia/Shanghai", locale="en", now=now,
                        )  # fmt: skip
                        assert site.id is not None
                        site_id = site.id
                    staff_service.add(
                        session, telegram_id=guard.id, name=f"Guard {guard.id}",
                        roles=["guard"], site_id=site_id, locale="en", now=now,
                    )  # fmt: skip

        def count(*_args: Any) -> None:
            self.statements += 1

        event.listen(self.db.engine, "before_cursor_execute", count)
        registry, _ = load_registry(None)
        self.engine = Engine(
            db=self.db,
            registry=registry,
            media=MediaStore(Path(self._media.name)),
            catalogs=Catalogs(),
            clock=SystemClock(),
        )

        def front(port: Port) -> Front:
            return Front(self.engine, port, on_finished=self._finished)

        if self.transport_name == "ptb":
            from telegram.ext import Application

            from bench.canned_ptb import CannedRequest
            from bot.transports.ptb import PtbTransport, Retrying

            application = (
                Application.builder()
                .token(TOKEN)
                .request(CannedRequest(self.telegram))
                .get_updates_request(CannedRequest(self.telegram))
                .concurrent_updates(True)
                .rate_limiter(Retrying())
                .job_queue(None)
                .updater(None)
                .build()
            )
            self.transport: Any = PtbTransport(application, front, 1)
        else:
            from bot.transports.aiogram import AiogramTransport, Retry

            canned = CannedSession(self.telegram)
            canned.middleware(Retry())
            self.transport = AiogramTransport(Bot(TOKEN, session=canned), front, 1)
        await self.transport.start()
        await self.transport.front.setup("en")
        self.intake = Intake(
            self.db,
            self.engine.clock,
            self.transport,
            self.transport.front.handle,
            several_instances=self.several_instances,
            carry=True,
        )
        self.engine.on_committed = self.intake.committed

    def _finished(self, ids: Iterable[int]) -> None:
        for update_id in ids:
            future = self._waiting.pop(update_id, None)
            if future is not None and not future.done():
                future.set_result(None)

    def _expect(self, update: dict[str, Any]) -> asyncio.Future[None]:
        future = asyncio.get_running_loop().create_future()
        self._waiting[int(update["update_id"])] = future
        return future

    async def step(self, index: int) -> float:
        """The guard's next action, as one update (a webhook post); seconds until answered."""
        update = self.guards[index].next_update()
        started = time.perf_counter()
        done = self._expect(update)
        await self.intake.receive([update])
        await done
        self.steps += 1
        return time.perf_counter() - started

    async def burst(self, indexes: Iterable[int]) -> float:
        """One action from each guard, in one getUpdates batch; seconds until all answered."""
        return await self.feed([self.guards[i].next_update() for i in indexes])

    async def feed(self, batch: list[dict[str, Any]]) -> float:
        """Updates in one getUpdates batch; seconds until all answered."""
        started = time.perf_counter()
        done = [self._expect(u) for u in batch]
        await self.intake.receive(batch)
        await asyncio.gather(*done)
        self.steps += len(batch)
        return time.perf_counter() - started

    async def close(self) -> None:
        await self.transport.close(5.0)
        await self.db.dispose()
        self._media.cleanup()


class Bare:
    """aiogram with one handler for messages and button presses: ``trivial`` does nothing,
    ``wal`` inserts a row into SQLite (WAL, synchronous=FULL like dutybot) and commits, ``reply``
    does that and sends one message."""

    def __init__(self, name: str, mode: str, folder: str, *, guards: int, base_id: int) -> None:
        self.name = name
        self.mode = mode
        self.telegram = Telegram()
        self.bot = Bot(TOKEN, session=CannedSession(self.telegram))
        self.guards = [base_id + i for i in range(guards)]
        self.counts = [0] * guards
        self.dispatcher = Dispatcher()
        self.steps = 0
        self.statements = 0
        router = Router()
        if mode != "trivial":
            self.sql = sqlite3.connect(f"{folder}/bare-{mode}.db")
            self.sql.execute("PRAGMA journal_mode=WAL")
            self.sql.execute("PRAGMA synchronous=FULL")
            self.sql.execute(
                "CREATE TABLE IF NOT EXISTS events "
                "(id INTEGER PRIMARY KEY, update_id INTEGER, chat_id INTEGER, body TEXT)"
            )
            self.sql.commit()

        async def on_message(message: Message) -> None:
            await self._work(message.message_id, message.chat.id, message.text or "")

        async def on_press(query: CallbackQuery) -> None:
            assert query.message is not None
            await self._work(query.message.message_id, query.message.chat.id, query.data or "")

        router.message()(on_message)
        router.callback_query()(on_press)
        self.dispatcher.include_router(router)

    async def setup(self) -> None:
        return None

    async def _work(self, update_id: int, chat_id: int, body: str) -> None:
        if self.mode == "trivial":
            return
        self.sql.execute(
            "INSERT INTO events (update_id, chat_id, body) VALUES (?, ?, ?)",
            (update_id, chat_id, body),
        )
        self.sql.commit()
        self.statements += 2
        if self.mode == "reply":
            await self.bot.send_message(chat_id, f"Recorded: {body[:20]}")

    def _update(self, index: int) -> dict[str, Any]:
        chat = self.guards[index]
        self.counts[index] += 1
        n = self.counts[index]
        user = {"id": chat, "is_bot": False, "first_name": "Guard", "language_code": "en"}
        message = {
            "message_id": n,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private", "first_name": "Guard"},
            "from": user,
            "text": f"answer {n}",
        }
        # Unique ids, as Telegram's are (aiogram caches an update's type by its id).
        if n % 2:
            return {"update_id": next_update_id(), "message": message}
        return {
            "update_id": next_update_id(),
            "callback_query": {
                "id": f"q{chat}-{n}",
                "from": user,
                "chat_instance": "ci",
                "data": f"s:{n}",
                "message": message,
            },
        }

    async def _feed(self, data: dict[str, Any]) -> None:
        update = Update.model_validate(data, context={"bot": self.bot})
        await self.dispatcher.feed_update(self.bot, update)

    async def step(self, index: int) -> float:
        data = self._update(index)
        started = time.perf_counter()
        await self._feed(data)
        self.steps += 1
        return time.perf_counter() - started

    async def burst(self, indexes: Iterable[int]) -> float:
        batch = [self._update(i) for i in indexes]
        started = time.perf_counter()
        await asyncio.gather(*(self._feed(u) for u in batch))
        self.steps += len(batch)
        return time.perf_counter() - started

    async def close(self) -> None:
        await self.bot.session.close()
        if self.mode != "trivial":
            self.sql.close()
