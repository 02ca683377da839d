"""SIGKILL `dutybot run` at random moments while guards report, over both transports, by polling
and by webhook, then start it again: every update the guards sent is stored and handled, none is
applied twice, and no report crosses into another's answers.

Each kill is like a power cut (no clean-up at all). A guard who sent something waits until the
bot has handled it (its inbox row is marked) and then goes on from what the bot shows; an answer
the bot had no time to send before the kill is recovered the way a person would, with /start and
"Continue".
"""

from __future__ import annotations

import asyncio
import os
import random
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot.cases.models import Answer, Case
from bot.inbox.models import InboxUpdate
from tests.e2e.harness import TRANSPORTS, Bot, Person, launched
from tests.fakes import Sent
from tests.support import TEST_PLAYBOOKS

KILLS = int(os.environ.get("DUTYBOT_CRASH_KILLS", "8"))  # per transport and mode
GUARDS = (4301, 4302)


@dataclass
class Guard:
    bot: Bot
    person: Person
    number: int
    typed: int = 0
    confirmed: int = 0
    trace: list[str] | None = None

    async def handled(self, sent: Sent) -> None:
        """Until the bot has handled what was sent (it may be down meanwhile)."""
        ids = [int(u["update_id"]) for u in sent.updates]
        for _ in range(1200):
            with self.bot.app.db.transaction() as session:
                rows = session.exec(
                    select(InboxUpdate).where(col(InboxUpdate.update_id).in_(ids))
                ).all()
            if len(rows) == len(ids) and all(r.handled_at is not None for r in rows):
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"updates {ids} of guard {self.number} were never handled")

    def newest(self) -> int:
        return max((m.message_id or 0 for m in self.person.messages()), default=0)

    def asked_after(self, seen: int) -> bool:
        """A new question (a message with buttons) came after message ``seen``; edits of
        older messages (a pressed question redrawn with its choice) do not count."""
        try:
            return (self.person.question().message_id or 0) > seen
        except LookupError:
            return False

    async def step(self) -> None:
        user, api = self.person.user, self.bot.api
        try:
            question = self.person.question().text or ""
        except LookupError:
            question = ""
        seen = self.newest()
        if "Press “Confirm”" in question:
            sent, self.confirmed = user.press("Confirm"), self.confirmed + 1
        elif "is in progress" in question:
            sent = user.press("Continue")
        elif "What happened?" in question:
            sent = user.press("Theft")
        elif "Where is it?" in question:
            self.typed += 1
            sent = user.send_text(f"Lobby {self.number}-{self.typed}")
        elif "Anything else?" in question:
            self.typed += 1
            sent = user.send_text(f"note {self.number}-{self.typed}")
        elif "Choose the procedure" in question:
            labels = [label for row in self.person.question().button_texts() for label in row]
            sent = user.press("Test alarm" if any("Test alarm" in b for b in labels) else "Other")
        elif "What do you need?" in question:
            sent = user.send_text("test alarm")
        else:
            sent = user.send_text("/start")
        if self.trace is not None:
            self.trace.append(f"{self.number} saw {question[:40]!r} sent {sent.update_id}")
        await self.handled(sent)
        while True:  # the next question, unless the bot died between handling and sending it
            try:
                await api.wait_for(partial(self.asked_after, seen), timeout=3)
                return
            except AssertionError:
                # As a person would: /start shows where the report is, with "Continue".
                seen = self.newest()
                await self.handled(user.send_text("/start"))


async def chaos(bot: Bot, kills: int, done: asyncio.Event) -> None:
    assert bot.run is not None
    for _ in range(kills):
        await asyncio.sleep(random.uniform(0.3, 1.5))
        await bot.run.kill()
        await asyncio.sleep(random.uniform(0.0, 0.5))  # guards keep sending meanwhile
        await bot.run.start()
    done.set()


@pytest.mark.parametrize("mode", ["polling", "webhook"])
@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_sigkills_during_reports_lose_nothing_and_apply_nothing_twice(
    tmp_path: Path, transport: str, mode: str
) -> None:
    async with launched(
        tmp_path, transport, webhook=mode == "webhook", DUTYBOT_FLOWS__EXTRA_DIR=str(TEST_PLAYBOOKS)
    ) as bot:
        guards: list[Guard] = []
        trace: list[str] = []
        for number in GUARDS:
            await bot.add_staff(number, f"Guard {number}", "guard")
            guards.append(Guard(bot, bot.person(number, f"Guard {number}"), number, trace=trace))
        done = asyncio.Event()
        killing = asyncio.create_task(chaos(bot, KILLS, done))

        async def report(guard: Guard) -> None:
            while not done.is_set() or guard.confirmed < 2:
                await guard.step()

        try:
            await asyncio.wait_for(
                asyncio.gather(killing, *(report(g) for g in guards)), 60 + 20 * KILLS
            )
        finally:
            (tmp_path / "trace.txt").write_text("\n".join([*trace, "---", *bot.log]))
        await bot.api.wait_until_consumed(timeout=30)

        with bot.app.db.transaction() as session:
            inbox = session.exec(select(InboxUpdate)).all()
            cases = session.exec(select(Case)).all()
            answers = session.exec(select(Answer).where(col(Answer.superseded_at).is_(None))).all()
        sent = {int(u["update_id"]) for u in bot.api.updates.history.values()}
        stored = {row.update_id: row for row in inbox}
        assert sent <= set(stored), "an update the bot was sent is missing from the inbox"
        assert all(stored[i].handled_at is not None for i in sent), "an update was not handled"
        # None applied twice: a location typed once, applied twice, would also be the note.
        by_case: dict[int, dict[str, object]] = {}
        for answer in answers:
            by_case.setdefault(answer.case_id, {})[answer.step_id] = answer.value
        for values in by_case.values():
            note = values.get("note")
            assert not (isinstance(note, str) and note.startswith("Lobby")), values
            where = values.get("where")
            if isinstance(where, dict):
                assert str(where.get("text", "")).startswith("Lobby"), values
        assert sum(c.status == "reported" for c in cases) >= 2 * len(GUARDS)
        assert sum(1 for line in bot.log if line == "--- killed ---") == KILLS
