"""Chat with dutybot in a terminal: numbered buttons, photos as file paths, places as lat,lon.

Works without a token or network, over the same engine and database as Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import tempfile
import threading
from collections.abc import Awaitable, Callable
from enum import StrEnum
from pathlib import Path
from typing import TextIO

from bot.engine.incoming import Incoming, PhotoIn, Place, UserRef
from bot.engine.outgoing import Button, FileOut, Outgoing
from bot.i18n import Translator

_COORDS = re.compile(r"^\s*([-+]?\d{1,3}(?:\.\d+)?)\s*,\s*([-+]?\d{1,3}(?:\.\d+)?)\s*$")
_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif"}
# The questions that want typing: a bare number there may be the answer or a button.
_TYPED = ("text", "number")
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
    for file in message.files:
        out.write(f"📎 {file.caption or file.name}: {_saved(file)}\n")


def files_dir() -> Path:
    """Where the console puts the files the bot sends (a PDF, a CSV, a chart)."""
    return Path(os.environ.get("DUTYBOT_CONSOLE_FILES") or tempfile.gettempdir()) / "dutybot"


def _saved(file: FileOut) -> Path:
    folder = files_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(file.name).name
    path.write_bytes(file.data)
    return path


class ConsoleChat:
    """Turns typed lines into engine events and prints what comes back."""

    def __init__(self, handle: Handler, user: UserRef, out: TextIO, tr: Translator) -> None:
        self.handle = handle
        self.user = user
        self.out = out
        self.tr = tr
        self.buttons: list[Button] = []
        self.expects: str | None = None
        # A bare number on a question that wants typing: (the button, the typed answer), until
        # the person says which they meant.
        self.pending: tuple[Incoming, Incoming] | None = None

    async def send(self, incoming: Incoming) -> None:
        for message in await self.handle(incoming):
            if message.notice and message.replace:
                self.out.write(f"({message.notice})\n")
            render(message, self.out)
            if message.buttons or message.expects or message.title:
                self.buttons = [b for row in message.buttons for b in row]
                self.expects = message.expects
        self.out.flush()

    def translate(self, line: str) -> Incoming | str | None:
        """The event a typed line stands for; a text to show instead when the line needs an
        answer first (which of two things it meant, a file that is not there); None for
        nothing."""
        text = line.strip()
        if not text:
            return None
        if self.pending is not None:
            pending, self.pending = self.pending, None
            picked = text.removeprefix("#")
            if picked in ("1", "2"):
                return pending[int(picked) - 1]
        # "#3" always presses button 3. A bare "3" does so too, unless the question wants
        # typing: then it may be the answer, and the console asks which was meant.
        number = text.removeprefix("#")
        if number.isdigit() and 1 <= int(number) <= len(self.buttons):
            press = Incoming.press(self.user, self.buttons[int(number) - 1].token)
            if text.startswith("#") or self.expects not in _TYPED:
                return press
            self.pending = (press, Incoming.message(self.user, text))
            return self._which(text, self.buttons[int(number) - 1].label)
        for button in self.buttons:
            if text.casefold() == button.label.casefold():
                return Incoming.press(self.user, button.token)
        if self._is_path(text):
            path = Path(text).expanduser()
            if not path.is_file():
                return self.tr._("File not found: {path}", path=text)
            return Incoming.photo(self.user, PhotoIn(data=path.read_bytes()))
        match = _COORDS.match(text)
        if match and self.expects == "location":
            return Incoming.location(self.user, Place(float(match.group(1)), float(match.group(2))))
        return Incoming.message(self.user, text)

    def _is_path(self, text: str) -> bool:
        """A photo's file path: an image's name, or a path while a photo is asked for (a
        command such as /skip has no second slash)."""
        if Path(text).suffix.lower() in _IMAGE_SUFFIXES:
            return True
        return self.expects == "photo" and (
            text.startswith(("~", "./", "../")) or "/" in text[1:] or "\\" in text
        )

    def _which(self, text: str, label: str) -> str:
        tr = self.tr
        return "\n".join(
            [
                tr._(
                    "“{text}” is also the number of the button “{label}”. Which did you mean?",
                    text=text,
                    label=label,
                ),
                "  [1] " + tr._("Press “{label}”", label=label),
                "  [2] " + tr._("Answer “{text}”", text=text),
            ]
        )


class Interrupted(Exception):
    """Ctrl-C while the console waited for a line."""


class LineReader:
    """Lines typed on a stream, read without a thread that could keep the process alive:
    Ctrl-C (:meth:`interrupt`) ends a wait at once, Enter or not."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.interrupted = asyncio.Event()
        self._buffer = b""
        self._ended = False

    def interrupt(self) -> None:
        self.interrupted.set()

    async def read(self) -> str | None:
        """The next line, None at the end of the input; :class:`Interrupted` after Ctrl-C."""
        if self.interrupted.is_set():
            raise Interrupted
        fd = self._fd()
        if fd is None:  # an in-memory stream: reading never blocks
            typed = self.stream.readline()
            return typed or None
        while b"\n" not in self._buffer and not self._ended:
            chunk = await self._chunk(fd)
            self._buffer += chunk
            self._ended = not chunk
        if not self._buffer:
            return None
        line, newline, self._buffer = self._buffer.partition(b"\n")
        return (line + newline).decode("utf-8", errors="replace")

    def _fd(self) -> int | None:
        try:
            return self.stream.fileno()
        except (AttributeError, OSError, ValueError):
            return None

    async def _chunk(self, fd: int) -> bytes:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[bytes | None] = loop.create_future()

        def done(data: bytes | None) -> None:
            if not ready.done():
                ready.set_result(data)

        try:
            loop.add_reader(fd, done, None)
            watching = True
        except PermissionError:  # a regular file: reading it never blocks
            return os.read(fd, 65536)
        except NotImplementedError:  # pragma: no cover (Windows): a daemon thread reads
            watching = False
            threading.Thread(target=_read_into, args=(fd, loop, done), daemon=True).start()
        interrupted = asyncio.ensure_future(self._until_interrupted())
        try:
            await asyncio.wait({ready, interrupted}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            interrupted.cancel()
            if watching:
                loop.remove_reader(fd)
        if self.interrupted.is_set():
            raise Interrupted
        data = ready.result()
        return os.read(fd, 65536) if data is None else data

    async def _until_interrupted(self) -> bytes | None:
        await self.interrupted.wait()
        return None


def _read_into(
    fd: int, loop: asyncio.AbstractEventLoop, done: Callable[[bytes | None], None]
) -> None:  # pragma: no cover (Windows)
    """Read once in a daemon thread (``os.read``, so no buffer lock is held at exit)."""
    try:
        data = os.read(fd, 65536)
    except OSError:
        data = b""
    with contextlib.suppress(RuntimeError):  # the loop is gone: the console has ended
        loop.call_soon_threadsafe(done, data)


class Ending(StrEnum):
    QUIT = "quit"  # /quit, /exit
    END = "end"  # the end of the input
    INTERRUPT = "interrupt"  # Ctrl-C


async def chat_loop(chat: ConsoleChat, tr: Translator, reader: LineReader) -> Ending:
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
        try:
            line = await reader.read()
        except Interrupted:
            return Ending.INTERRUPT
        if line is None:
            return Ending.END
        if line.strip() in ("/quit", "/exit"):
            return Ending.QUIT
        translated = chat.translate(line)
        if isinstance(translated, str):
            out.write("\n" + translated + "\n")
        elif translated is not None:
            await chat.send(translated)
