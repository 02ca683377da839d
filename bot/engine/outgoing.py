"""What the engine answers. Adapters render it; they add no wording of their own."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from bot.engine.incoming import Place


@dataclass(frozen=True)
class Button:
    label: str
    token: str  # opaque and short (well under Telegram's 64 bytes); carries no authority


@dataclass(frozen=True)
class PhotoOut:
    """A stored photo to show: by Telegram's file id when known, else from the media store."""

    sha256: str
    file_id: str | None = None


@dataclass(frozen=True)
class FileOut:
    """A file made for the reader (a PDF report, a CSV, a chart): sent as a document, or as a
    photo when ``image``. ``make`` renders it later, outside the event's transaction (see
    :func:`made`): drawing a chart or a PDF with photos takes a good part of a second."""

    name: str
    data: bytes = b""
    image: bool = False
    caption: str = ""
    make: Callable[[], bytes] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Outgoing:
    text: str
    title: str | None = None  # shown in bold above the text
    buttons: tuple[tuple[Button, ...], ...] = field(default_factory=tuple)
    # The adapter may offer a matching keyboard: "location" or "photo".
    expects: str | None = None
    # Replace the previous question in place (a checklist toggling its marks).
    replace: bool = False
    # A short note for the press that caused this (a toast in Telegram).
    notice: str | None = None
    # With expects == "location": the label of a "share my location" button.
    share_location: str | None = None
    # The person's command menu changed: (command, description) pairs in their language.
    commands: tuple[tuple[str, str], ...] | None = None
    # Photos shown after the text, as albums; a place shown as a map pin.
    photos: tuple[PhotoOut, ...] = ()
    place: Place | None = None
    # Files sent after the text (and the photos): documents, or images shown as photos.
    files: tuple[FileOut, ...] = ()
    # Sent to the person's private chat even when the event came from a group (a case record
    # opened from a ping in a group is not shown to the whole group).
    private: bool = False

    def button_labels(self) -> list[str]:
        return [button.label for row in self.buttons for button in row]


async def made(out: list[Outgoing]) -> list[Outgoing]:
    """``out`` with every file still to be made rendered, on a worker thread (after the event's
    transaction: the database is not held while a PDF is drawn)."""
    if not any(file.make is not None for message in out for file in message.files):
        return out
    done = []
    for message in out:
        files = []
        for file in message.files:
            if file.make is not None:
                file = replace(file, data=await asyncio.to_thread(file.make), make=None)
            files.append(file)
        done.append(replace(message, files=tuple(files)))
    return done
