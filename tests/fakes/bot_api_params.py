"""Decoding of Bot API request parameters from any encoding the clients use.

aiogram posts ``aiohttp.FormData`` (urlencoded, or multipart when files are attached;
non-string values JSON-encoded, ``False``/``None`` dropped).  python-telegram-bot posts
httpx ``data=`` (urlencoded) or ``files=`` (multipart) with every value JSON-encoded except
plain strings.  Other callers may use a query string or a JSON body.  The real server
treats every field as a string and parses it per field, which is what we do here.
"""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import web

from .bot_api_models import ApiError, JsonDict, UploadedFile

JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "media",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
    }
)
INT_FIELDS = frozenset(
    {
        "message_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "reply_to_message_id",
        "message_thread_id",
        "max_connections",
        "from_chat_id",
        "live_period",
        "heading",
        "proximity_alert_radius",
    }
)
FLOAT_FIELDS = frozenset({"latitude", "longitude", "horizontal_accuracy"})
BOOL_FIELDS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "disable_web_page_preview",
        "has_spoiler",
        "show_caption_above_media",
        "disable_content_type_detection",
    }
)
_INT_RE = re.compile(r"^-?\d+$")
_FLOAT_RE = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def _to_int(key: str, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ApiError.bad_request(f'field "{key}" must be of type Integer')
    if isinstance(value, str):
        if not _INT_RE.match(value.strip()):
            raise ApiError.bad_request(f'field "{key}" must be of type Integer')
        return int(value)
    return value


def _to_float(key: str, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ApiError.bad_request(f'field "{key}" must be of type Float')
    if isinstance(value, str):
        if not value.strip():
            return None  # the server treats an empty field as a missing one
        if not _FLOAT_RE.match(value.strip()):
            raise ApiError.bad_request(f'field "{key}" must be of type Float')
    return float(value)


def _normalize(key: str, value: Any) -> Any:
    if isinstance(value, UploadedFile):
        return value
    if key in JSON_FIELDS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            what = "reply keyboard markup" if key == "reply_markup" else key
            raise ApiError.bad_request(f"can't parse {what} JSON object") from None
    if key in INT_FIELDS:
        return _to_int(key, value)
    if key in FLOAT_FIELDS:
        return _to_float(key, value)
    if key == "chat_id" and isinstance(value, str) and _INT_RE.match(value.strip()):
        return int(value)
    if key in BOOL_FIELDS and isinstance(value, str):
        return value.strip().lower() in ("true", "1")
    return value


async def read_params(request: web.Request) -> JsonDict:
    """Merge query string and body (JSON, urlencoded or multipart) into typed params."""
    raw: JsonDict = dict(request.query)
    if request.method == "POST" and request.body_exists:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise ApiError.bad_request("can't parse JSON encoded request body") from None
            if not isinstance(body, dict):
                raise ApiError.bad_request("JSON object expected as request body")
            raw.update(body)
        else:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    raw[key] = UploadedFile(
                        filename=value.filename,
                        content_type=value.content_type,
                        data=value.file.read(),
                    )
                elif isinstance(value, bytes):
                    raw[key] = value.decode("utf-8")
                else:
                    raw[key] = value
    return normalize_params(raw)


def normalize_params(raw: JsonDict) -> JsonDict:
    """Parse JSON-encoded fields and numeric/boolean strings, per field like the server."""
    return {key: _normalize(key, value) for key, value in raw.items()}


class Params:
    """Typed, Telegram-worded accessors over the decoded parameters."""

    def __init__(self, data: JsonDict) -> None:
        self.data = data

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def chat_id(self) -> int:
        value = self.data.get("chat_id")
        if value is None or value == "":
            raise ApiError.bad_request("chat_id is empty")
        if isinstance(value, str):
            raise ApiError.bad_request("chat not found")  # @usernames are unknown here
        return int(value)

    def req_int(self, key: str, missing: str | None = None, default: int | None = None) -> int:
        value = self.data.get(key)
        if value is None:
            if default is not None:
                return default
            raise ApiError.bad_request(missing or f"{key} is empty")
        return int(value)

    def opt_int(self, key: str) -> int | None:
        value = self.data.get(key)
        return None if value is None else int(value)

    def opt_float(self, key: str) -> float | None:
        value = self.data.get(key)
        return None if value is None else float(value)

    def req_str(self, key: str, missing: str | None = None) -> str:
        value = self.data.get(key)
        if value is None:
            raise ApiError.bad_request(missing or f"{key} is empty")
        return value if isinstance(value, str) else json.dumps(value)

    def opt_str(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def flag(self, key: str) -> bool:
        return bool(self.data.get(key) or False)

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def entities(self, key: str) -> list[JsonDict] | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, list):
            raise ApiError.bad_request(f"can't parse {key} JSON object")
        return value
