"""Two events for one conversation at the same moment end consistent, on both back ends."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlmodel import select

from bot.cases.models import Answer
from bot.conversations.models import Conversation
from bot.engine.incoming import Incoming
from bot.storage.db import Database
from tests.support import World


async def test_two_presses_at_once_record_one_answer(any_world: World) -> None:
    chat = any_world.chat()
    await chat.say("/start")
    await chat.press("Report an incident")
    await chat.press("Other")
    await chat.press("All step kinds")
    await chat.press("Done")
    red, blue = chat.token("Red"), chat.token("Blue")
    results = await asyncio.gather(
        any_world.engine.handle(Incoming.press(chat.user, red)),
        any_world.engine.handle(Incoming.press(chat.user, blue)),
    )
    stale = [r for r in results if r and r[-1].notice == "That button is no longer active."]
    assert len(stale) == 1, "exactly one press wins; the other finds its button stale"
    with any_world.db.transaction() as session:
        rows = (session.exec(select(Answer).where(Answer.step_id == "colour"))).all()
        conversation = (session.exec(select(Conversation))).one()
    assert len(rows) == 1
    winner = rows[0].value
    assert conversation.step_id == ("blue_detail" if winner == "blue" else "items")
    assert conversation.path == ["ack", "colour", conversation.step_id]


async def test_first_contact_from_two_events_creates_one_conversation(any_world: World) -> None:
    chat = any_world.chat()
    await asyncio.gather(chat.say("/start"), any_world.chat().say("/start"))
    with any_world.db.transaction() as session:
        rows = (session.exec(select(Conversation))).all()
    assert len(rows) == 1


async def test_sqlite_commits_are_durable_by_default(sqlite_db: Database) -> None:
    """FULL: the write-ahead log is synced at every commit (a power cut keeps what was told)."""
    level = await sqlite_db.run(lambda s: s.exec(text("PRAGMA synchronous")).scalar())  # type: ignore[call-overload]
    assert level == 2  # FULL
