"""Request validation mirroring the real Bot API's 400 answers."""

from __future__ import annotations

import math
import re
from typing import Any

from .bot_api_html import ParsedText, parse_html
from .bot_api_markdown import parse_markdown, parse_markdown_v2
from .bot_api_models import ApiError, JsonDict

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER = 200
MAX_INLINE_BUTTONS = 100
MAX_BUTTONS_PER_ROW = 8
MAX_HORIZONTAL_ACCURACY = 1500  # meters
LIVE_PERIOD_RANGE = (60, 86400)  # seconds; 0x7FFFFFFF means "until stopped"
LIVE_FOREVER = 0x7FFFFFFF
MAX_PROXIMITY_ALERT_RADIUS = 100_000  # meters
VENUE_PLACE_FIELDS = ("foursquare_id", "foursquare_type", "google_place_id", "google_place_type")

INLINE_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def parse_text(
    text: str,
    parse_mode: str | None,
    entities: list[JsonDict] | None,
    *,
    strict_ampersand: bool = True,
) -> ParsedText:
    """Apply ``parse_mode`` (ignored when explicit ``entities`` are given)."""
    if entities is not None:
        return ParsedText(text, list(entities))
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(text, strict_ampersand=strict_ampersand)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return parse_markdown(text)
    if mode:
        raise ApiError.bad_request(f"unsupported parse_mode {parse_mode!r}")
    return ParsedText(text)


def check_text(parsed: ParsedText) -> None:
    if not parsed.text.strip():
        raise ApiError.bad_request("message text is empty")
    if len(parsed.text) > MAX_TEXT:
        raise ApiError.bad_request("message is too long")


def check_caption(parsed: ParsedText) -> None:
    if len(parsed.text) > MAX_CAPTION:
        raise ApiError.bad_request("message caption is too long")


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise ApiError.bad_request("can't parse inline keyboard button: Object expected")
    text = button.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ApiError.bad_request("can't parse inline keyboard button: Text buttons are unallowed")
    actions = [name for name in INLINE_ACTIONS if button.get(name) is not None]
    if not actions:
        raise ApiError.bad_request("text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise ApiError.bad_request(
            "can't parse inline keyboard button: exactly one of the optional fields "
            f"must be used, got {', '.join(actions)}"
        )
    data = button.get("callback_data")
    if data is not None:
        size = len(str(data).encode("utf-8"))
        if not isinstance(data, str) or size == 0 or size > MAX_CALLBACK_DATA_BYTES:
            raise ApiError.bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and not re.match(r"^(https?|tg)://\S+$", str(url)):
        raise ApiError.bad_request(f"inline keyboard button URL '{url}' is invalid")


def _check_rows(markup: JsonDict, key: str) -> list[list[Any]]:
    rows = markup.get(key)
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError.bad_request(f'field "{key}" of the reply markup must be an Array of Arrays')
    return rows


def check_reply_markup(markup: Any, *, inline_only: bool = False) -> JsonDict | None:
    """Validate ``reply_markup``; returns it unchanged (or None)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError.bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = _check_rows(markup, "inline_keyboard")
        total = 0
        for row in rows:
            if len(row) > MAX_BUTTONS_PER_ROW:
                raise ApiError.bad_request("too many buttons in a row of the inline keyboard")
            for button in row:
                _check_inline_button(button)
                total += 1
        if total > MAX_INLINE_BUTTONS:
            raise ApiError.bad_request("reply markup is too long")
        return markup
    if inline_only:
        raise ApiError.bad_request("inline keyboard expected")
    if "keyboard" in markup:
        for row in _check_rows(markup, "keyboard"):
            for button in row:
                text = button if isinstance(button, str) else (button or {}).get("text")
                if not isinstance(text, str) or not text:
                    raise ApiError.bad_request(
                        "can't parse keyboard button: Text must be non-empty"
                    )
        return markup
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise ApiError.bad_request('can\'t find field "inline_keyboard"')


def check_commands(commands: Any) -> list[JsonDict]:
    if not isinstance(commands, list):
        raise ApiError.bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise ApiError.bad_request("too many commands specified")
    for command in commands:
        if not isinstance(command, dict):
            raise ApiError.bad_request("can't parse BotCommand: Object expected")
        name = command.get("command")
        if not isinstance(name, str) or not _COMMAND_RE.match(name):
            raise ApiError.bad_request("BOT_COMMAND_INVALID")
        description = command.get("description")
        if not isinstance(description, str) or not description.strip():
            raise ApiError.bad_request("command description must be non-empty")
        if len(description) > 256:
            raise ApiError.bad_request("command description is too long")
    return [{"command": c["command"], "description": c["description"]} for c in commands]


def check_secret_token(secret: str | None) -> None:
    if secret is not None and not _SECRET_RE.match(secret):
        raise ApiError.bad_request("secret token contains unallowed characters")


def check_chat_action(action: str | None) -> None:
    if action not in CHAT_ACTIONS:
        raise ApiError.bad_request("wrong parameter action in request")


def check_location(
    latitude: float | None,
    longitude: float | None,
    *,
    horizontal_accuracy: float | None = None,
    live_period: int | None = None,
    heading: int | None = None,
    proximity_alert_radius: int | None = None,
) -> JsonDict:
    """The Location object of ``sendLocation``/``sendVenue``, refused with TDLib's texts.

    A ``live_period`` other than 0 makes a live location (60 s to a day, or 0x7FFFFFFF);
    ``horizontal_accuracy`` is rounded up to whole meters and held to 0-1500, as TDLib does.
    """
    if latitude is None:
        raise ApiError.bad_request("latitude is empty")
    if longitude is None:
        raise ApiError.bad_request("longitude is empty")
    live = bool(live_period)
    if not (math.isfinite(latitude) and math.isfinite(longitude)) or (
        abs(latitude) > 90 or abs(longitude) > 180
    ):
        raise ApiError.bad_request(f"invalid {'live ' if live else ''}location specified")
    location: JsonDict = {"latitude": latitude, "longitude": longitude}
    if live:
        assert live_period is not None
        low, high = LIVE_PERIOD_RANGE
        if live_period != LIVE_FOREVER and not low <= live_period <= high:
            raise ApiError.bad_request("wrong live location period specified")
        if heading and not 1 <= heading <= 360:
            raise ApiError.bad_request("wrong live location heading specified")
        radius = proximity_alert_radius or 0
        if not 0 <= radius <= MAX_PROXIMITY_ALERT_RADIUS:
            raise ApiError.bad_request("wrong live location proximity alert radius specified")
        location["live_period"] = live_period
        if heading:
            location["heading"] = heading
        if radius:
            location["proximity_alert_radius"] = radius
    accuracy = min(max(math.ceil(horizontal_accuracy or 0), 0), MAX_HORIZONTAL_ACCURACY)
    if accuracy:
        location["horizontal_accuracy"] = float(accuracy)
    return location


def check_venue(location: JsonDict, title: str | None, address: str | None) -> JsonDict:
    """The Venue object (without the optional place ids, which the caller copies).

    Unverified wording: Telegram's answer to an empty title or address; refused here."""
    if not title or not title.strip():
        raise ApiError.bad_request("venue title is empty")
    if not address or not address.strip():
        raise ApiError.bad_request("venue address is empty")
    return {"location": location, "title": title, "address": address}
