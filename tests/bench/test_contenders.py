"""The benchmarks' contenders stay honest: dutybot walks the whole A1 report through each
client library on the canned Bot API, and the bare aiogram bots do what their names say."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from bench.canned import A1, OPENING, Guard, NoButton, Telegram
from bench.contenders import Bare, Dutybot


@pytest.mark.parametrize("transport", ["aiogram", "ptb"])
async def test_dutybot_walks_the_whole_report_twice(
    tmp_path: Path, transport: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot")
    bot = Dutybot("d", transport, f"sqlite:///{tmp_path}/d.db", guards=2, base_id=900)
    await bot.setup()
    try:
        for _ in range(2 * len(A1)):
            assert await bot.step(0) > 0
        guard = bot.guards[0]
        assert guard.reports == 2 and guard.position == 0
        shown = [m.text for m in bot.telegram.chat(guard.id).messages.values()]
        assert any("is recorded" in text for text in shown), shown
        # Every press was answered once, and every step showed something new.
        presses = sum(1 for kind, _ in A1 if kind == "press")
        assert bot.telegram.by_method["answerCallbackQuery"] == 2 * presses
        edits = bot.telegram.by_method["editMessageText"]
        assert bot.telegram.sends + edits >= 2 * len(A1)
        assert bot.statements > 0
    finally:
        await bot.close()
    assert not [r for r in caplog.records if r.name.startswith("bot")]


async def test_a_burst_is_answered_for_every_guard(tmp_path: Path) -> None:
    bot = Dutybot("d", "aiogram", f"sqlite:///{tmp_path}/d.db", guards=30, base_id=900)
    await bot.setup()
    try:
        for _ in range(OPENING):
            assert await bot.burst(range(30)) > 0
        for guard in bot.guards:  # each opened the report: its first question is on screen
            chat = bot.telegram.chat(guard.id)
            assert chat.question is not None
            assert "Step 1 of" in chat.messages[chat.question].text
    finally:
        await bot.close()


def test_a_guard_presses_only_buttons_the_bot_sent() -> None:
    telegram = Telegram()
    guard = Guard(telegram, 7)
    telegram.execute(
        "sendMessage",
        {"chat_id": 7, "text": "Q", "reply_markup": '{"inline_keyboard": [[{"text": "☐ Camera",'
         ' "callback_data": "s:1"}, {"text": "Done", "callback_data": "s:2"}]]}'},
    )  # fmt: skip
    assert guard.press("Done")["callback_query"]["data"] == "s:2"
    assert guard.press("Camera")["callback_query"]["data"] == "s:1"
    with pytest.raises(NoButton):
        guard.press("Skip")


@pytest.mark.parametrize(("mode", "rows", "sends"), [("trivial", None, 0), ("wal", 4, 0),
                                                     ("reply", 4, 4)])  # fmt: skip
async def test_bare_bots_do_what_they_say(
    tmp_path: Path, mode: str, rows: int | None, sends: int
) -> None:
    bare = Bare(mode, mode, str(tmp_path), guards=2, base_id=500)
    await bare.step(0)
    await bare.step(1)  # a press
    await bare.burst([0, 1])
    await bare.close()
    assert bare.telegram.sends == sends
    database = tmp_path / f"bare-{mode}.db"
    if rows is None:
        assert not database.exists()
    else:
        with sqlite3.connect(database) as connection:
            assert connection.execute("SELECT count(*) FROM events").fetchone() == (rows,)
