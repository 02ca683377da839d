"""Text message Bot API methods (send/edit/delete, chat actions) and the helpers every
sending method shares (media: bot_api_media.py; locations and venues: bot_api_places.py)."""

from __future__ import annotations

import time

from .bot_api_html import ParsedText
from .bot_api_models import ApiError, JsonDict, StoredFile, StoredMessage
from .bot_api_params import Params
from .bot_api_state import BotState, ChatInfo
from .bot_api_validate import (
    check_caption,
    check_chat_action,
    check_reply_markup,
    check_text,
    parse_text,
)

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


def _text_content(parsed: ParsedText, key: str = "text") -> JsonDict:
    content: JsonDict = {key: parsed.text}
    if parsed.entities:
        content["entities" if key == "text" else "caption_entities"] = parsed.entities
    return content


class MessageMethods:
    state: BotState
    strict_html_entities: bool

    # --- helpers -----------------------------------------------------------------------

    def _parse(self, p: Params, key: str, entities_key: str) -> ParsedText:
        value = p.raw(key)
        text = "" if value is None else str(value)
        return parse_text(
            text,
            p.opt_str("parse_mode"),
            p.entities(entities_key),
            strict_ampersand=self.strict_html_entities,
        )

    def _caption(self, p: Params, item: JsonDict | None = None) -> JsonDict:
        source = Params(item) if item is not None else p
        if not source.has("caption"):
            return {}
        parsed = self._parse(source, "caption", "caption_entities")
        check_caption(parsed)
        return _text_content(parsed, "caption") if parsed.text else {}

    def _reply_to(self, p: Params, chat_id: int) -> JsonDict:
        params = p.raw("reply_parameters")
        reply_id = p.opt_int("reply_to_message_id")
        allow = p.flag("allow_sending_without_reply")
        if isinstance(params, dict) and params.get("message_id") is not None:
            reply_id = int(params["message_id"])
            allow = allow or bool(params.get("allow_sending_without_reply"))
        if reply_id is None:
            return {}
        target = self.state.find_message(chat_id, reply_id)
        if target is None:
            if allow:
                return {}
            raise ApiError.bad_request("message to be replied not found")
        replied = target.public()
        replied.pop("reply_to_message", None)
        return {"reply_to_message": replied}

    def _store(
        self,
        p: Params,
        info: ChatInfo,
        content: JsonDict,
        markup: JsonDict | None,
        raw_text: str | None = None,
        *,
        file: StoredFile | None = None,
        file_source: str | None = None,
    ) -> StoredMessage:
        content = {**content, **self._reply_to(p, info.chat["id"])}
        if markup is not None and "inline_keyboard" in markup:
            content["reply_markup"] = markup  # the API only echoes inline keyboards
        stored = self.state.new_message(
            info.chat["id"],
            content,
            raw_text=raw_text,
            parse_mode=p.opt_str("parse_mode"),
            sent_markup=markup,
        )
        stored.file, stored.file_source = file, file_source
        return stored

    def _target(self, p: Params, action: str) -> StoredMessage:
        if p.has("inline_message_id"):
            raise ApiError.bad_request("MESSAGE_ID_INVALID")
        chat_id = p.chat_id()
        message_id = p.req_int("message_id", "message identifier is not specified")
        message = self.state.find_message(chat_id, message_id)
        if message is None:
            raise ApiError.bad_request(f"message to {action} not found")
        return message

    # --- methods -----------------------------------------------------------------------

    async def send_message(self, p: Params) -> JsonDict:
        chat_id = p.chat_id()
        parsed = self._parse(p, "text", "entities")
        check_text(parsed)
        markup = check_reply_markup(p.raw("reply_markup"))
        info = self.state.chat_for_send(chat_id)
        raw = p.opt_str("text")
        return self._store(p, info, _text_content(parsed), markup, raw).public()

    async def edit_message_text(self, p: Params) -> JsonDict:
        message = self._target(p, "edit")
        if not message.from_bot:
            raise ApiError.bad_request("message can't be edited")
        if "text" not in message.data:
            raise ApiError.bad_request("there is no text in the message to edit")
        parsed = self._parse(p, "text", "entities")
        check_text(parsed)
        markup = check_reply_markup(p.raw("reply_markup"), inline_only=True)
        current = message.data
        if (
            parsed.text == current.get("text")
            and parsed.entities == current.get("entities", [])
            and markup == current.get("reply_markup")
        ):
            raise ApiError.bad_request(NOT_MODIFIED)
        current.pop("entities", None)
        current.update(_text_content(parsed))
        message.raw_text = p.opt_str("text")
        message.parse_mode = p.opt_str("parse_mode")
        return self._apply_edit(message, markup)

    async def edit_message_caption(self, p: Params) -> JsonDict:
        message = self._target(p, "edit")
        if not message.from_bot:
            raise ApiError.bad_request("message can't be edited")
        if "text" in message.data:
            raise ApiError.bad_request("there is no caption in the message to edit")
        caption = self._caption(p)
        markup = check_reply_markup(p.raw("reply_markup"), inline_only=True)
        current = message.data
        if (
            caption.get("caption") == current.get("caption")
            and caption.get("caption_entities") == current.get("caption_entities")
            and markup == current.get("reply_markup")
        ):
            raise ApiError.bad_request(NOT_MODIFIED)
        current.pop("caption", None)
        current.pop("caption_entities", None)
        current.update(caption)
        return self._apply_edit(message, markup)

    async def edit_message_reply_markup(self, p: Params) -> JsonDict:
        message = self._target(p, "edit")
        if not message.from_bot:
            raise ApiError.bad_request("message can't be edited")
        markup = check_reply_markup(p.raw("reply_markup"), inline_only=True)
        if markup == message.data.get("reply_markup"):
            raise ApiError.bad_request(NOT_MODIFIED)
        return self._apply_edit(message, markup)

    def _apply_edit(self, message: StoredMessage, markup: JsonDict | None) -> JsonDict:
        # An edit without reply_markup removes the inline keyboard, like the real API.
        if markup is None:
            message.data.pop("reply_markup", None)
        else:
            message.data["reply_markup"] = markup
        message.sent_markup = markup
        message.data["edit_date"] = max(int(message.data["date"]), _now())
        message.edits += 1
        return message.public()

    async def delete_message(self, p: Params) -> bool:
        message = self._target(p, "delete")
        message.deleted = True
        return True

    async def send_chat_action(self, p: Params) -> bool:
        chat_id = p.chat_id()
        action = p.opt_str("action")
        check_chat_action(action)
        self.state.chat_for_send(chat_id)
        self.state.chat_actions.append((chat_id, str(action)))
        return True


def _now() -> int:
    return int(time.time())
