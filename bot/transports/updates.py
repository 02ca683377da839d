"""Telegram updates → :class:`Received`.

aiogram and python-telegram-bot both name every field as the Bot API does (``message.photo``,
``callback_query.data``, ``from_user``...), so one mapping serves both adapters.

Telegram's ids are 64-bit integers; the tables store them as such. An update that does not fit
(an id beyond 64 bits, a field of the wrong type) is logged and dropped here, so that it never
reaches the engine, whose storage would fail on it and answer with the apology.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.engine.incoming import Incoming, Place, UserRef
from bot.transports.port import FileRef, Received

log = logging.getLogger(__name__)
SOURCE = "telegram"
ALLOWED_UPDATES = ["message", "callback_query"]
_INT64 = range(-(2**63), 2**63)


class Malformed(ValueError):
    """An update no Telegram server sends; the message says what is wrong, not the content."""


def fits(value: Any) -> bool:
    """Whether ``value`` is an integer that fits a signed 64-bit column."""
    return isinstance(value, int) and not isinstance(value, bool) and value in _INT64


def _id(value: Any, what: str) -> int:
    if not fits(value):
        raise Malformed(f"{what} is not a 64-bit integer")
    return int(value)


def _text(value: Any, what: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise Malformed(f"{what} is not text")
    return value


def _size(value: Any) -> int | None:
    if value is None:
        return None
    if not fits(value) or value < 0:
        raise Malformed("file_size is not a 64-bit integer")
    return int(value)


def _user(sender: Any) -> UserRef:
    return UserRef(
        telegram_id=_id(sender.id, "from.id"),
        display_name=_text(sender.full_name, "the name") or "",
        language_code=_text(sender.language_code, "from.language_code"),
        username=_text(sender.username, "from.username"),
    )


def _private(chat: Any) -> bool:
    # Reports never go to groups: a group would show every member the case.
    return getattr(chat, "type", None) == "private"


def update_id_of(data: Any) -> str:
    """An update's id for a log line (never the huge number a forged one may carry)."""
    value = data.get("update_id") if isinstance(data, dict) else None
    return str(value) if fits(value) else "(no valid update_id)"


def brief(problem: BaseException) -> str:
    """The first line of an error, cut short: enough for a log line, never a whole update."""
    text = str(problem).strip().splitlines()
    return (text[0][:200] if text else "") or type(problem).__name__


def _dropped(update_id: Any, problem: Exception) -> None:
    shown = update_id if fits(update_id) else "(no valid update_id)"
    log.warning("update %s dropped: %s", shown, brief(problem))


def from_message(update_id: int, message: Any) -> Received | None:
    """The message as the front end takes it; None for a group's, or a malformed one (logged)."""
    try:
        return _from_message(update_id, message)
    except (Malformed, TypeError, ValueError, AttributeError, IndexError) as exc:
        _dropped(update_id, exc)
        return None


def from_callback(update_id: int, query: Any) -> Received | None:
    """The button press as the front end takes it; None for a group's, or a malformed one."""
    try:
        return _from_callback(update_id, query)
    except (Malformed, TypeError, ValueError, AttributeError, IndexError) as exc:
        _dropped(update_id, exc)
        return None


def _location(location: Any) -> tuple[float, float]:
    return float(location.latitude), float(location.longitude)


def _from_message(update_id: int, message: Any) -> Received | None:
    if message is None or message.from_user is None:
        return None
    if not _private(message.chat):
        return _from_group(update_id, message)
    update_id = _id(update_id, "update_id")
    user = _user(message.from_user)
    chat_id = _id(message.chat.id, "chat.id")
    album = _text(message.media_group_id, "media_group_id")
    event: dict[str, Any] = {"source": SOURCE, "event_id": update_id}

    def received(**kw: Any) -> Received:
        return Received(update_id, chat_id, user, **kw)

    if message.photo:
        largest = message.photo[-1]  # sizes come smallest first
        file_id = _text(largest.file_id, "file_id") or ""
        ref = FileRef(file_id, _size(largest.file_size), "image/jpeg", photo=True)
        return received(file=ref, album=album)
    if message.document is not None:
        doc = message.document
        file_id = _text(doc.file_id, "file_id") or ""
        mime = _text(doc.mime_type, "mime_type")
        ref = FileRef(file_id, _size(doc.file_size), mime, photo=False)
        return received(file=ref, album=album)
    if message.venue is not None:
        venue = message.venue
        lat, lon = _location(venue.location)
        title = _text(venue.title, "venue.title")
        place = Place(lat, lon, title, _text(venue.address, "venue.address"))
        return received(incoming=Incoming.location(user, place, **event))
    if message.location is not None:
        place = Place(*_location(message.location))
        return received(incoming=Incoming.location(user, place, **event))
    if message.text is not None:
        text = _text(message.text, "text") or ""
        return received(incoming=Incoming.message(user, text, **event))
    return received(incoming=Incoming.unsupported(user, **event))


def _from_group(update_id: int, message: Any) -> Received | None:
    """In a group, what privacy mode lets a bot hear: a command, or a reply to the bot's own
    message; the engine answers only managers' asks (anything else is not taken at all)."""
    text = _text(message.text, "text")
    replied = getattr(message, "reply_to_message", None)
    to_bot = replied is not None and bool(getattr(replied.from_user, "is_bot", False))
    if not text or not (text.lstrip().startswith("/") or to_bot):
        return None
    update_id = _id(update_id, "update_id")
    user = _user(message.from_user)
    chat_id = _id(message.chat.id, "chat.id")
    event: dict[str, Any] = {"source": SOURCE, "event_id": update_id}
    incoming = Incoming.message(user, text, private=False, chat_id=chat_id, **event)
    return Received(update_id, chat_id, user, incoming=incoming)


def _from_callback(update_id: int, query: Any) -> Received | None:
    """A button press; from a group too (a ping sent to a site's group is acknowledged there),
    marked so that the engine takes nothing else from a group."""
    message = query.message
    if message is None or query.from_user is None:
        return None
    update_id = _id(update_id, "update_id")
    user = _user(query.from_user)
    data = _text(query.data, "callback_query.data") or ""
    chat_id = _id(message.chat.id, "chat.id")
    private = _private(message.chat)
    press = Incoming.press(
        user,
        data,
        source=SOURCE,
        event_id=update_id,
        private=private,
        chat_id=None if private else chat_id,
    )
    return Received(
        update_id=update_id,
        chat_id=chat_id,
        user=user,
        incoming=press,
        callback_id=str(query.id),
        pressed_message=_id(message.message_id, "message_id"),
    )
