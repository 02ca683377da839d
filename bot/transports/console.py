"""Chat with dutybot in a terminal: numbered buttons, photos as file paths, places as lat,lon.

Works without a token or network, over the same engine and database as Telegram.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO

from bot.engine.incoming import Incoming, PhotoIn, Place, UserRef
from bot.engine.outgoing import Button, Outgoing
from bot.i18n import Translator

_COORDS = re.compile(r"^\s*([-+]?\d{1,3}(?:\.\d+)?)\s*,\s*([-+]?\d{1,3}(?:\.\d+)?)\s*$")
_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif"}
PROMPT = "> "

Handler = Callable[[Incoming], Awaitable[list[Outgoing]]]


def render(message: Outgoing, out: TextIO) -> None:
    out.write("\n")
    if message.title:
        out.write(f"== {message.title} ==\n")
    out.write(message.text + "\n")
    number = 0
    for row in message.buttons:
        cells = []
        for button in row:
            number += 1
            cells.append(f"[{number}] {button.label}")
        out.write("  " + "   ".join(cells) + "\n")


class ConsoleChat:
    """Turns typed lines into engine events and prints what comes back."""

    def __init__(self, handle: Handler, user: UserRef, out: TextIO) -> None:
        self.handle = handle
        self.user = user
        self.out = out
        self.buttons: list[Button] = []
        self.expects: str | None = None

    async def send(self, incoming: Incoming) -> None:
        for message in await self.handle(incoming):
            if message.notice and message.replace:
                self.out.write(f"({message.notice})\n")
            render(message, self.out)
            if message.buttons or message.expects or message.title:
                self.buttons = [b for row in message.buttons for b in row]
                self.expects = message.expects
        self.out.flush()

    def translate(self, line: str) -> Incoming | None:
        text = line.strip()
        if not text:
            return None
        # "#3" always presses button 3; a bare "3" does so unless the question wants typing.
        typed = self.expects in ("text", "number")
        number = text[1:] if text.startswith("#") else "" if typed else text
        if number.isdigit() and 1 <= int(number) <= len(self.buttons):
            return Incoming.press(self.user, self.buttons[int(number) - 1].token)
        for button in self.buttons:
            if text.casefold() == button.label.casefold():
                return Incoming.press(self.user, button.token)
        path = Path(text).expanduser()
        if path.suffix.lower() in _IMAGE_SUFFIXES or self.expects == "photo":
            if path.is_file():
                return Incoming.photo(self.user, PhotoIn(data=path.read_bytes()))
        match = _COORDS.match(text)
        if match and self.expects == "location":
            return Incoming.location(self.user, Place(float(match.group(1)), float(match.group(2))))
        return Incoming.message(self.user, text)


async def read_line(stream: TextIO) -> str | None:
    line = await asyncio.to_thread(stream.readline)
    return line if line else None


async def chat_loop(chat: ConsoleChat, tr: Translator, stdin: TextIO = sys.stdin) -> None:
    out = chat.out
    out.write(
        tr._(
            "Type a button's number (#N while a question wants typing) or its label, "
            "a photo's file path, or lat,lon for a place. /help lists the commands; "
            "/quit leaves."
        )
        + "\n"
    )
    await chat.send(Incoming.message(chat.user, "/start"))
    while True:
        out.write(PROMPT)
        out.flush()
        line = await read_line(stdin)
        if line is None or line.strip() in ("/quit", "/exit"):
            out.write("\n")
            return
        incoming = chat.translate(line)
        if incoming is not None:
            await chat.send(incoming)
