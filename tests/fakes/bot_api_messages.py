"""Message-related Bot API methods (send/edit/delete, media, chat actions)."""

from __future__ import annotations

import mimetypes
import time
from typing import Any

from .bot_api_html import ParsedText
from .bot_api_models import ApiError, JsonDict, StoredFile, StoredMessage, UploadedFile
from .bot_api_params import Params
from .bot_api_state import BotState, ChatInfo
from .bot_api_validate import (
    check_caption,
    check_chat_action,
    check_reply_markup,
    check_text,
    parse_text,
)

MAX_UPLOAD_SIZE = 50 * 1024 * 1024
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_MEDIA_KINDS = {"photo": "photos", "document": "documents", "video": "videos", "audio": "music"}


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
    ) -> StoredMessage:
        content = {**content, **self._reply_to(p, info.chat["id"])}
        if markup is not None and "inline_keyboard" in markup:
            content["reply_markup"] = markup  # the API only echoes inline keyboards
        return self.state.new_message(
            info.chat["id"],
            content,
            raw_text=raw_text,
            parse_mode=p.opt_str("parse_mode"),
            sent_markup=markup,
        )

    def _target(self, p: Params, action: str) -> StoredMessage:
        if p.has("inline_message_id"):
            raise ApiError.bad_request("MESSAGE_ID_INVALID")
        chat_id = p.chat_id()
        message_id = p.req_int("message_id", "message identifier is not specified")
        message = self.state.find_message(chat_id, message_id)
        if message is None:
            raise ApiError.bad_request(f"message to {action} not found")
        return message

    def _input_file(self, p: Params, value: Any, field: str, kind: str) -> StoredFile | bytes:
        """Resolve an InputFile: multipart upload, attach://name, file_id or URL."""
        if isinstance(value, str) and value.startswith("attach://"):
            value = p.raw(value.removeprefix("attach://"))
            if value is None:
                raise ApiError.bad_request(f"file {field} not found in the request")
        if isinstance(value, UploadedFile):
            if not value.data:
                raise ApiError.bad_request("file must be non-empty")
            if len(value.data) > MAX_UPLOAD_SIZE:
                raise ApiError(413, "Request Entity Too Large")
            return value.data
        if not isinstance(value, str) or not value:
            raise ApiError.bad_request(f"there is no {field} in the request")
        if value.startswith(("http://", "https://")):
            return b"downloaded from " + value.encode()
        stored = self.state.files.get(value)
        if stored is None:
            raise ApiError.bad_request("wrong file identifier/HTTP URL specified")
        if kind == "photos" and stored.kind != "photos":
            raise ApiError.bad_request(
                f"can't use file of type {stored.kind[:-1].title()} as Photo"
            )
        return stored

    def _media(self, p: Params, value: Any, field: str, upload_name: str | None) -> JsonDict:
        kind = _MEDIA_KINDS[field]
        resolved = self._input_file(p, value, field, kind)
        if kind == "photos":
            data = resolved.data if isinstance(resolved, StoredFile) else resolved
            return {"photo": self.state.photo_sizes(data)}
        if isinstance(resolved, StoredFile):
            return {field: self.state.document(resolved)}
        name = upload_name or f"file.{field}"
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            name = value.rsplit("/", 1)[-1] or name
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        stored = self.state.register_file(resolved, kind, file_name=name, mime_type=mime)
        return {field: self.state.document(stored)}

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

    async def send_photo(self, p: Params) -> JsonDict:
        chat_id = p.chat_id()
        caption = self._caption(p)
        markup = check_reply_markup(p.raw("reply_markup"))
        info = self.state.chat_for_send(chat_id)
        content = {**self._media(p, p.raw("photo"), "photo", None), **caption}
        return self._store(p, info, content, markup, p.opt_str("caption")).public()

    async def send_document(self, p: Params) -> JsonDict:
        chat_id = p.chat_id()
        caption = self._caption(p)
        markup = check_reply_markup(p.raw("reply_markup"))
        info = self.state.chat_for_send(chat_id)
        value = p.raw("document")
        upload = value if isinstance(value, UploadedFile) else None
        if isinstance(value, str) and value.startswith("attach://"):
            attached = p.raw(value.removeprefix("attach://"))
            upload = attached if isinstance(attached, UploadedFile) else None
        name = upload.filename if upload else None
        content = {**self._media(p, value, "document", name), **caption}
        return self._store(p, info, content, markup, p.opt_str("caption")).public()

    async def send_media_group(self, p: Params) -> list[JsonDict]:
        chat_id = p.chat_id()
        media = p.raw("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise ApiError.bad_request("media must contain from 2 to 10 elements")
        kinds = {item.get("type") if isinstance(item, dict) else None for item in media}
        if not kinds <= set(_MEDIA_KINDS):
            raise ApiError.bad_request("unsupported media type in the media group")
        if len(kinds) > 1 and kinds & {"document", "audio"}:
            raise ApiError.bad_request(
                "documents and audio files can be only grouped with the same type"
            )
        captions = [self._caption(p, item) for item in media]
        info = self.state.chat_for_send(chat_id)
        group_id = self.state.next_media_group_id()
        contents = []
        for item, caption in zip(media, captions, strict=True):
            value = item.get("media")
            attached = p.raw(value.removeprefix("attach://")) if isinstance(value, str) else None
            name = attached.filename if isinstance(attached, UploadedFile) else None
            contents.append({**self._media(p, value, item["type"], name), **caption})
        return [
            self._store(p, info, {**content, "media_group_id": group_id}, None).public()
            for content in contents
        ]

    async def send_chat_action(self, p: Params) -> bool:
        chat_id = p.chat_id()
        action = p.opt_str("action")
        check_chat_action(action)
        self.state.chat_for_send(chat_id)
        self.state.chat_actions.append((chat_id, str(action)))
        return True


def _now() -> int:
    return int(time.time())
