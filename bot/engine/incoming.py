"""What a person sent, in terms every adapter can produce."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    PRESS = "press"  # a button
    PHOTO = "photo"  # one photo, or several (an album)
    LOCATION = "location"
    COMMAND = "command"  # /start, /cancel, /back, /skip, /menu, /help
    UNSUPPORTED = "unsupported"  # a voice note, sticker, video, contact...: nothing we can use


@dataclass(frozen=True)
class UserRef:
    telegram_id: int
    display_name: str = ""
    language_code: str | None = None
    username: str | None = None


@dataclass(frozen=True)
class PhotoIn:
    data: bytes
    telegram_file_id: str | None = None
    declared_mime: str | None = None
    # The size the transport reported; a file too large to fetch arrives with no data.
    declared_size: int | None = None
    # The transport event that carried this photo (each photo of an album has its own).
    event_id: int | None = None

    @property
    def size(self) -> int:
        return max(len(self.data), self.declared_size or 0)


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    title: str | None = None  # a venue's name
    address: str | None = None


@dataclass(frozen=True)
class Incoming:
    user: UserRef
    kind: Kind
    text: str = ""
    token: str = ""
    photos: tuple[PhotoIn, ...] = field(default_factory=tuple)
    place: Place | None = None
    command: str = ""
    args: str = ""
    # For redelivery detection: the transport's event id (Telegram's update_id).
    source: str = "console"
    event_id: int | None = None
    # Where it came from: a private chat with the person (the usual), or a group the bot is in
    # (only presses on pings sent to the group are taken from there).
    private: bool = True
    chat_id: int | None = None  # the group's chat id when not private

    @classmethod
    def message(cls, user: UserRef, text: str, **kw: object) -> Incoming:
        """Text typed by the person; ``/name args`` becomes a command."""
        stripped = text.strip()
        if stripped.startswith("/") and len(stripped) > 1:
            head, _, args = stripped[1:].partition(" ")
            name = head.split("@", 1)[0].lower()
            return cls(user=user, kind=Kind.COMMAND, command=name, args=args.strip(), **kw)  # type: ignore[arg-type]
        return cls(user=user, kind=Kind.TEXT, text=text, **kw)  # type: ignore[arg-type]

    @classmethod
    def press(cls, user: UserRef, token: str, **kw: object) -> Incoming:
        return cls(user=user, kind=Kind.PRESS, token=token, **kw)  # type: ignore[arg-type]

    @classmethod
    def photo(cls, user: UserRef, *photos: PhotoIn, **kw: object) -> Incoming:
        return cls(user=user, kind=Kind.PHOTO, photos=tuple(photos), **kw)  # type: ignore[arg-type]

    @classmethod
    def unsupported(cls, user: UserRef, **kw: object) -> Incoming:
        return cls(user=user, kind=Kind.UNSUPPORTED, **kw)  # type: ignore[arg-type]

    @classmethod
    def location(cls, user: UserRef, place: Place, **kw: object) -> Incoming:
        return cls(user=user, kind=Kind.LOCATION, place=place, **kw)  # type: ignore[arg-type]
