"""Media Bot API methods: sendPhoto, sendDocument, sendMediaGroup.

Every file parameter accepts what Telegram accepts: a multipart upload (directly or as
``attach://<part>``), the ``file_id`` of a file the server knows, or an HTTP URL.  The stored
message keeps the file (``StoredMessage.file``: bytes, ``sha256``, name, MIME type) and how it
was given (``StoredMessage.file_source``: ``"upload"``, ``"file_id"`` or ``"url"``).  A photo
re-sent by the file_id of any of its sizes carries the same sizes, as on Telegram.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from typing import Any

from .bot_api_messages import MessageMethods
from .bot_api_models import ApiError, JsonDict, StoredFile, UploadedFile
from .bot_api_params import Params
from .bot_api_validate import check_reply_markup

MAX_UPLOAD_SIZE = 50 * 1024 * 1024
MEDIA_KINDS = {"photo": "photos", "document": "documents", "video": "videos", "audio": "music"}
MEDIA_GROUP_SIZE = (2, 10)
_GENERIC_MIME = ("", "application/octet-stream")


@dataclass(frozen=True)
class Attachment:
    """A resolved file parameter: the message content it makes and the file behind it."""

    content: JsonDict
    file: StoredFile
    source: str  # "upload", "file_id" or "url"


@dataclass(frozen=True)
class _Resolved:
    data: StoredFile | bytes
    source: str
    name: str | None  # upload file name or the last part of a URL


class MediaMethods(MessageMethods):
    # --- helpers -----------------------------------------------------------------------

    def _resolve(self, p: Params, value: Any, field: str, kind: str) -> _Resolved:
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
            return _Resolved(value.data, "upload", value.filename or None)
        if not isinstance(value, str) or not value:
            raise ApiError.bad_request(f"there is no {field} in the request")
        if value.startswith(("http://", "https://")):
            name = value.rsplit("/", 1)[-1] or None
            return _Resolved(b"downloaded from " + value.encode(), "url", name)
        stored = self.state.files.get(value)
        if stored is None:
            raise ApiError.bad_request("wrong file identifier/HTTP URL specified")
        if kind == "photos" and stored.kind != "photos":
            raise ApiError.bad_request(
                f"can't use file of type {stored.kind[:-1].title()} as Photo"
            )
        return _Resolved(stored, "file_id", stored.file_name)

    def _attachment(self, p: Params, value: Any, field: str) -> Attachment:
        kind = MEDIA_KINDS[field]
        resolved = self._resolve(p, value, field, kind)
        if kind == "photos":
            sizes = None
            if isinstance(resolved.data, StoredFile):
                sizes = self.state.photo_set(resolved.data.file_id)
                data = resolved.data.data
            else:
                data = resolved.data
            if sizes is None:
                sizes = self.state.photo_sizes(data)
            largest = self.state.files[sizes[-1]["file_id"]]
            return Attachment({"photo": sizes}, largest, resolved.source)
        if isinstance(resolved.data, StoredFile):
            stored = resolved.data
        else:
            name = resolved.name or f"file.{field}"
            stored = self.state.register_file(
                resolved.data, kind, file_name=name, mime_type=self._mime(p, value, name)
            )
        return Attachment({field: self.state.document(stored)}, stored, resolved.source)

    @staticmethod
    def _mime(p: Params, value: Any, name: str) -> str:
        """Telegram goes by the file name; the upload's own type is the fallback."""
        guessed = mimetypes.guess_type(name)[0]
        if guessed:
            return guessed
        if isinstance(value, str) and value.startswith("attach://"):
            value = p.raw(value.removeprefix("attach://"))
        declared = value.content_type if isinstance(value, UploadedFile) else ""
        return "application/octet-stream" if declared in _GENERIC_MIME else declared

    def _send_file(self, p: Params, field: str) -> JsonDict:
        chat_id = p.chat_id()
        caption = self._caption(p)
        markup = check_reply_markup(p.raw("reply_markup"))
        info = self.state.chat_for_send(chat_id)
        attachment = self._attachment(p, p.raw(field), field)
        content = {**attachment.content, **caption}
        stored = self._store(
            p,
            info,
            content,
            markup,
            p.opt_str("caption"),
            file=attachment.file,
            file_source=attachment.source,
        )
        return stored.public()

    # --- methods -----------------------------------------------------------------------

    async def send_photo(self, p: Params) -> JsonDict:
        return self._send_file(p, "photo")

    async def send_document(self, p: Params) -> JsonDict:
        return self._send_file(p, "document")

    async def send_media_group(self, p: Params) -> list[JsonDict]:
        chat_id = p.chat_id()
        media = p.raw("media")
        low, high = MEDIA_GROUP_SIZE
        if not isinstance(media, list) or not low <= len(media) <= high:
            raise ApiError.bad_request(f"media must contain from {low} to {high} elements")
        kinds = {item.get("type") if isinstance(item, dict) else None for item in media}
        if not kinds <= set(MEDIA_KINDS):
            raise ApiError.bad_request("unsupported media type in the media group")
        if len(kinds) > 1 and kinds & {"document", "audio"}:
            raise ApiError.bad_request(
                "documents and audio files can be only grouped with the same type"
            )
        captions = [self._caption(p, item) for item in media]
        info = self.state.chat_for_send(chat_id)
        attachments = [self._attachment(p, item.get("media"), item["type"]) for item in media]
        group_id = self.state.next_media_group_id()
        sent = []
        for item, caption, attachment in zip(media, captions, attachments, strict=True):
            content = {**attachment.content, **caption, "media_group_id": group_id}
            stored = self._store(
                p,
                info,
                content,
                None,
                _optional_str(item.get("caption")),
                file=attachment.file,
                file_source=attachment.source,
            )
            stored.parse_mode = _optional_str(item.get("parse_mode"))
            sent.append(stored.public())
        return sent


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)
