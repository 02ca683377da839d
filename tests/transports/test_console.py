"""The console's reading of typed lines: a bare number that is also a button's number on a
question that wants typing is asked about; a photo path that is not there is said so."""

from __future__ import annotations

import io
from pathlib import Path

from bot.engine.incoming import Incoming, Kind, UserRef
from bot.engine.outgoing import Button, Outgoing
from bot.i18n import Catalogs
from bot.transports.console import ConsoleChat, LineReader
from tests.support import png

USER = UserRef(telegram_id=7)
EN = Catalogs().translator("en", "UTC")
ZH = Catalogs().translator("zh_Hans", "UTC")


async def nothing(incoming: Incoming) -> list[Outgoing]:
    return []


def chat_on(expects: str | None, *labels: str, tr=EN) -> ConsoleChat:  # type: ignore[no-untyped-def]
    chat = ConsoleChat(nothing, USER, io.StringIO(), tr)
    chat.buttons = [Button(label, f"token-{n}") for n, label in enumerate(labels, 1)]
    chat.expects = expects
    return chat


def test_a_bare_number_on_a_text_question_asks_which_was_meant() -> None:
    chat = chat_on("text", "← Back", "Skip", "✗ Cancel report")
    asked = chat.translate("2")
    assert isinstance(asked, str)
    assert "“2” is also the number of the button “Skip”. Which did you mean?" in asked
    assert "[1] Press “Skip”" in asked and "[2] Answer “2”" in asked
    pressed = chat.translate("1")
    assert isinstance(pressed, Incoming) and pressed.token == "token-2"
    chat.translate("2")
    answered = chat.translate("2")
    assert isinstance(answered, Incoming) and answered.kind is Kind.TEXT
    assert answered.text == "2"


def test_the_question_is_translated_and_the_rest_is_unchanged() -> None:
    chat = chat_on("number", "← 上一步", "跳过", tr=ZH)
    asked = chat.translate("2")
    assert isinstance(asked, str) and "按“跳过”" in asked and "也是按钮" in asked
    # Something else typed instead of 1 or 2 is read as it is.
    typed = chat.translate("5000")
    assert isinstance(typed, Incoming) and typed.text == "5000"
    # "#N" presses at once; a number beyond the buttons is the answer; buttons-only screens
    # take a bare number as the button.
    pressed = chat.translate("#2")
    assert isinstance(pressed, Incoming) and pressed.token == "token-2"
    assert chat.translate("3").text == "3"  # type: ignore[union-attr]
    menu = chat_on(None, "Report", "Mine")
    assert menu.translate("2").token == "token-2"  # type: ignore[union-attr]


def test_a_photo_path_that_is_not_there_is_said_so(tmp_path: Path) -> None:
    chat = chat_on("photo", "✓ Done", "Skip")
    missing = tmp_path / "x.png"
    said = chat.translate(str(missing))
    assert said == f"File not found: {missing}"
    assert (
        chat.translate(str(tmp_path / "no-suffix")) == f"File not found: {tmp_path / 'no-suffix'}"
    )
    (tmp_path / "scene.png").write_bytes(png(1))
    sent = chat.translate(str(tmp_path / "scene.png"))
    assert isinstance(sent, Incoming) and sent.kind is Kind.PHOTO
    # A command is still a command.
    skip = chat.translate("/skip")
    assert isinstance(skip, Incoming) and skip.kind is Kind.COMMAND


async def test_lines_come_from_a_pipe_and_an_in_memory_stream(tmp_path: Path) -> None:
    reader = LineReader(io.StringIO("one\ntwo\n"))
    assert [await reader.read(), await reader.read(), await reader.read()] == [
        "one\n",
        "two\n",
        None,
    ]
    typed = tmp_path / "typed.txt"
    typed.write_text("甲\n乙")
    with typed.open() as stream:  # a regular file: read without waiting
        reader = LineReader(stream)
        assert [await reader.read(), await reader.read(), await reader.read()] == [
            "甲\n",
            "乙",
            None,
        ]
