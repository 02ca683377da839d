"""Telegram updates → :class:`Received`.

aiogram and python-telegram-bot both name every field as the Bot API does (``message.photo``,
``callback_query.data``, ``from_user``...), so one mapping serves both adapters.
"""

from __future__ import annotations

from typing import Any

from bot.engine.incoming import Incoming, Place, UserRef
from bot.transports.port import FileRef, Received

SOURCE = "telegram"
ALLOWED_UPDATES = ["message", "callback_query"]


def _user(sender: Any) -> UserRef:
    return UserRef(
        telegram_id=int(sender.id),
        display_name=str(sender.full_name or ""),
        language_code=sender.language_code,
        username=sender.username,
    )


def _private(chat: Any) -> bool:
    # Reports never go to groups: a group would show every member the case.
    return getattr(chat, "type", None) == "private"


def from_message(update_id: int, message: Any) -> Received | None:
    if message is None or message.from_user is None or not _private(message.chat):
        return None
    user = _user(message.from_user)
    chat_id = int(message.chat.id)
    event: dict[str, Any] = {"source": SOURCE, "event_id": update_id}

    def received(**kw: Any) -> Received:
        return Received(update_id, chat_id, user, **kw)

    if message.photo:
        largest = message.photo[-1]  # sizes come smallest first
        ref = FileRef(largest.file_id, largest.file_size, "image/jpeg", photo=True)
        return received(file=ref, album=message.media_group_id)
    if message.document is not None:
        doc = message.document
        ref = FileRef(doc.file_id, doc.file_size, doc.mime_type, photo=False)
        return received(file=ref, album=message.media_group_id)
    if message.venue is not None:
        venue = message.venue
        place = Place(venue.location.latitude, venue.location.longitude, venue.title, venue.address)
        return received(incoming=Incoming.location(user, place, **event))
    if message.location is not None:
        place = Place(message.location.latitude, message.location.longitude)
        return received(incoming=Incoming.location(user, place, **event))
    if message.text is not None:
        return received(incoming=Incoming.message(user, message.text, **event))
    return received(incoming=Incoming.unsupported(user, **event))


def from_callback(update_id: int, query: Any) -> Received | None:
    """A button press; from a group too (a ping sent to a site's group is acknowledged there),
    marked so that the engine takes nothing else from a group."""
    message = query.message
    if message is None or query.from_user is None:
        return None
    user = _user(query.from_user)
    chat_id = int(message.chat.id)
    private = _private(message.chat)
    press = Incoming.press(
        user,
        query.data or "",
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
        pressed_message=int(message.message_id),
    )
