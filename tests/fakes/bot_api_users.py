"""Simulated Telegram users that produce updates for the bot under test."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from .bot_api_html import utf16_len
from .bot_api_models import JsonDict, Sent, StoredMessage

if TYPE_CHECKING:
    from .bot_api import FakeBotAPI


class FakeUser:
    """A user talking to the bot.  Every action enqueues update(s) immediately and returns
    a :class:`Sent`; ``await`` it to also wait for webhook delivery (when webhooks are on).
    """

    def __init__(self, api: FakeBotAPI, user: JsonDict) -> None:
        self.api = api
        self.data = user

    @property
    def id(self) -> int:
        return int(self.data["id"])

    @property
    def chat_id(self) -> int:
        return self.id

    @property
    def first_name(self) -> str:
        return str(self.data["first_name"])

    # --- inspection shortcuts ----------------------------------------------------------

    def messages(self) -> list[StoredMessage]:
        """Bot messages currently visible in the private chat (after edits/deletes)."""
        return self.api.sent_messages(self.id)

    def last_message(self) -> StoredMessage | None:
        return self.api.last_message(self.id)

    def buttons(self, message_id: int | None = None) -> list[list[str]]:
        return self.api.buttons(self.id, message_id)

    @property
    def started(self) -> bool:
        """Whether the user ever wrote to the bot (or was created with ``started=True``)."""
        return self.api.state.chats[self.id].started

    @property
    def blocked(self) -> bool:
        return self.api.state.chats[self.id].blocked

    def block(self) -> None:
        """Stop and block the bot: sends answer 403 "bot was blocked by the user"."""
        self.api.state.chats[self.id].blocked = True

    def unblock(self) -> None:
        self.api.state.chats[self.id].blocked = False

    # --- messages ----------------------------------------------------------------------

    def _message(
        self, content: JsonDict, chat_id: int | None = None, reply_to: int | None = None
    ) -> JsonDict:
        chat = self.id if chat_id is None else chat_id
        info = self.api.state.chats.get(chat)
        if info is None:
            raise LookupError(f"unknown chat {chat}: register it with api.group(chat_id) first")
        if chat == self.id:
            info.started = True  # a user can only write after opening the chat
        if reply_to is not None:
            target = self.api.state.find_message(chat, reply_to)
            if target is None:
                raise LookupError(f"no message {reply_to} in chat {chat}")
            content = {**content, "reply_to_message": target.public()}
        stored = self.api.state.new_message(chat, content, sender=self.data)
        return stored.public()

    def send_text(
        self, text: str, *, chat_id: int | None = None, reply_to: int | None = None
    ) -> Sent:
        """A text message; a leading ``/command`` carries a ``bot_command`` entity."""
        content: JsonDict = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [
                {"offset": 0, "length": utf16_len(command), "type": "bot_command"}
            ]
        return self.api.push_update({"message": self._message(content, chat_id, reply_to)})

    def start(self, payload: str | None = None) -> Sent:
        """``/start`` (optionally a deep-link payload)."""
        return self.send_text("/start" if not payload else f"/start {payload}")

    def edit_text(self, message_id: int, text: str) -> Sent:
        message = self.api.state.find_message(self.id, message_id)
        if message is None or message.from_bot:
            raise LookupError(f"user message {message_id} not found")
        message.data["text"] = text
        message.data["edit_date"] = int(time.time())
        message.edits += 1
        return self.api.push_update({"edited_message": message.public()})

    def send_photo(
        self, data: bytes, caption: str | None = None, *, chat_id: int | None = None
    ) -> Sent:
        """Photo with 3 sizes (smallest first); only the largest downloads ``data``."""
        content: JsonDict = {"photo": self.api.state.photo_sizes(data)}
        if caption:
            content["caption"] = caption
        return self.api.push_update({"message": self._message(content, chat_id)})

    def send_photo_album(
        self, photos: list[bytes], caption: str | None = None, *, chat_id: int | None = None
    ) -> Sent:
        """Several photo messages sharing one ``media_group_id`` (caption on the first)."""
        group_id = self.api.state.next_media_group_id()
        sent: list[Sent] = []
        for index, data in enumerate(photos):
            content: JsonDict = {
                "media_group_id": group_id,
                "photo": self.api.state.photo_sizes(data),
            }
            if caption and index == 0:
                content["caption"] = caption
            sent.append(self.api.push_update({"message": self._message(content, chat_id)}))
        return Sent([s.update for s in sent], [fut for s in sent for fut in s._done])

    def send_document(
        self,
        data: bytes,
        file_name: str = "document.pdf",
        mime_type: str = "application/pdf",
        *,
        caption: str | None = None,
        file_size: int | None = None,
        chat_id: int | None = None,
    ) -> Sent:
        """``file_size`` overrides the reported size (e.g. > 20 MB without the bytes)."""
        stored = self.api.state.register_file(
            data, "documents", file_name=file_name, mime_type=mime_type, file_size=file_size
        )
        content: JsonDict = {"document": self.api.state.document(stored)}
        if caption:
            content["caption"] = caption
        return self.api.push_update({"message": self._message(content, chat_id)})

    def send_location(
        self, latitude: float, longitude: float, *, chat_id: int | None = None
    ) -> Sent:
        content = {"location": {"latitude": latitude, "longitude": longitude}}
        return self.api.push_update({"message": self._message(content, chat_id)})

    def send_venue(
        self,
        latitude: float,
        longitude: float,
        title: str,
        address: str,
        *,
        chat_id: int | None = None,
    ) -> Sent:
        location = {"latitude": latitude, "longitude": longitude}
        content = {
            "location": location,
            "venue": {"location": location, "title": title, "address": address},
        }
        return self.api.push_update({"message": self._message(content, chat_id)})

    def send_contact(self, phone_number: str, *, chat_id: int | None = None) -> Sent:
        contact = {
            "phone_number": phone_number,
            "first_name": self.first_name,
            "user_id": self.id,
        }
        return self.api.push_update({"message": self._message({"contact": contact}, chat_id)})

    # --- callback queries --------------------------------------------------------------

    def press(
        self,
        button_text: str | None = None,
        *,
        message_id: int | None = None,
        data: str | None = None,
        chat_id: int | None = None,
    ) -> Sent:
        """Press an inline button by text (on ``message_id`` or the latest bot message with
        an inline keyboard), or send arbitrary callback ``data`` for ``message_id``."""
        chat = self.id if chat_id is None else chat_id
        message = self._keyboard_message(chat, message_id, need_keyboard=data is None)
        if data is None:
            if button_text is None:
                raise ValueError("press() needs button_text or data")
            button = message.find_button(button_text)
            if button is None:
                raise LookupError(
                    f"no button {button_text!r} on message {message.message_id}; "
                    f"buttons: {message.button_texts()}"
                )
            if button.get("callback_data") is None:
                raise ValueError(f"button {button_text!r} has no callback_data: {button}")
            data = str(button["callback_data"])
        query: JsonDict = {
            "id": self.api.state.new_callback_query_id(),
            "from": self.data,
            "message": message.public(),
            "chat_instance": self.api.state.chat_instance(chat),
            "data": data,
        }
        return self.api.push_update({"callback_query": query})

    def press_data(self, message_id: int, data: str, *, chat_id: int | None = None) -> Sent:
        return self.press(message_id=message_id, data=data, chat_id=chat_id)

    def _keyboard_message(
        self, chat: int, message_id: int | None, *, need_keyboard: bool
    ) -> StoredMessage:
        if message_id is not None:
            message = self.api.state.find_message(chat, message_id)
            if message is None or not message.from_bot:
                raise LookupError(f"no bot message {message_id} in chat {chat}")
            return message
        candidates: list[Any] = [
            m for m in self.api.sent_messages(chat) if m.reply_markup or not need_keyboard
        ]
        if not candidates:
            raise LookupError(f"no bot message with an inline keyboard in chat {chat}")
        return candidates[-1]
