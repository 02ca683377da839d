"""The python-telegram-bot 22 adapter: a Port over ``telegram.Bot``, updates from an Application."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, BaseRateLimiter

from bot.delivery.port import Flood, Rejected, Transient, Unreachable
from bot.transports import updates
from bot.transports.front import Front
from bot.transports.port import EditRefused, Keyboard, Menu, PhotoFile, Received
from bot.transports.render import Rows
from bot.transports.retry import backoff, retrying
from bot.transports.updates import brief, update_id_of

log = logging.getLogger(__name__)


def _seconds(exc: RetryAfter) -> float:
    value = getattr(exc, "_retry_after", None)  # a timedelta; the property warns in v22
    if value is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def retry_delay(exc: BaseException, attempt: int) -> float | None:
    if isinstance(exc, RetryAfter):
        return _seconds(exc)
    if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
        return backoff(attempt)  # 5xx, an unreadable answer, a lost connection
    return None


ONE_ATTEMPT = {"one_attempt": True}


class Retrying(BaseRateLimiter[Any]):
    """PTB's hook around every Bot API call (bar getUpdates), used here only to retry."""

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if isinstance(rate_limit_args, dict) and rate_limit_args.get("one_attempt"):
            return await callback(*args, **kwargs)  # the sender: it retries by itself, later
        return await retrying(lambda: callback(*args, **kwargs), retry_delay, endpoint)


def make_application(token: str, api_base_url: str) -> Application:
    """The application holds the bot and its HTTP clients; dutybot fetches and dispatches
    updates itself (bot/transports/intake.py), so neither PTB's updater nor its update queue
    runs."""
    base = api_base_url.rstrip("/")
    builder = (
        Application.builder()
        .token(token)
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .concurrent_updates(True)  # ordering per chat is the front end's job
        .rate_limiter(Retrying())
        .job_queue(None)  # deadlines are rows in the database, not PTB jobs
    )
    return builder.updater(None).build()


def _markup(keyboard: Keyboard) -> Any:
    if keyboard.share_location:
        button = KeyboardButton(keyboard.share_location, request_location=True)
        return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)
    if keyboard.remove:
        return ReplyKeyboardRemove()
    return _inline(keyboard.rows)


def _inline(rows: Rows) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def _sender_error(exc: TelegramError) -> Exception:
    """python-telegram-bot's error as the sender's."""
    if isinstance(exc, RetryAfter):
        return Flood(_seconds(exc))
    if isinstance(exc, Forbidden):
        return Unreachable(exc.message)
    if isinstance(exc, BadRequest):
        if "chat not found" in exc.message.lower():
            return Unreachable(exc.message)
        return Rejected(exc.message)
    return Transient(str(exc))  # NetworkError, TimedOut, a server error, a 401…


class PtbPort:
    def __init__(self, application: Application) -> None:
        self.bot = application.bot

    async def post(self, chat_id: int, html: str, rows: Rows) -> int:
        try:
            sent = await self.bot.send_message(
                chat_id,
                html,
                parse_mode="HTML",
                reply_markup=_inline(rows),
                rate_limit_args=ONE_ATTEMPT,
            )
        except TelegramError as exc:
            raise _sender_error(exc) from exc
        return sent.message_id

    async def amend(self, chat_id: int, message_id: int, html: str, rows: Rows) -> None:
        try:
            await self.bot.edit_message_text(
                html,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode="HTML",
                reply_markup=_inline(rows),
                rate_limit_args=ONE_ATTEMPT,
            )
        except TelegramError as exc:
            if isinstance(exc, BadRequest) and "not modified" in exc.message.lower():
                return
            raise _sender_error(exc) from exc

    async def send_album(self, chat_id: int, photos: list[PhotoFile]) -> None:
        files: list[str | bytes] = [p.file_id or p.data or b"" for p in photos]
        if len(files) == 1:
            await self.bot.send_photo(chat_id, files[0])
            return
        await self.bot.send_media_group(chat_id, [InputMediaPhoto(f) for f in files])

    async def send_place(
        self, chat_id: int, lat: float, lon: float, title: str | None, address: str | None
    ) -> None:
        if title:
            await self.bot.send_venue(chat_id, lat, lon, title, address or "")
        else:
            await self.bot.send_location(chat_id, lat, lon)

    async def send_document(self, chat_id: int, name: str, data: bytes, caption: str) -> None:
        await self.bot.send_document(chat_id, data, filename=name, caption=caption or None)

    async def send_image(self, chat_id: int, name: str, data: bytes, caption: str) -> None:
        await self.bot.send_photo(chat_id, data, filename=name, caption=caption or None)

    async def send(self, chat_id: int, html: str, keyboard: Keyboard) -> int:
        sent = await self.bot.send_message(
            chat_id, html, parse_mode="HTML", reply_markup=_markup(keyboard)
        )
        return sent.message_id

    async def edit(self, chat_id: int, message_id: int, html: str, rows: Rows) -> None:
        try:
            await self.bot.edit_message_text(
                html,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode="HTML",
                reply_markup=_inline(rows),
            )
        except BadRequest as exc:
            raise EditRefused("not modified" in exc.message.lower()) from exc

    async def answer(self, callback_id: str, text: str | None) -> None:
        await self.bot.answer_callback_query(callback_id, text=text)

    async def chat_action(self, chat_id: int, action: str) -> None:
        await self.bot.send_chat_action(chat_id, action)

    async def download(self, file_id: str) -> bytes:
        file = await self.bot.get_file(file_id)

        async def fetch() -> bytes:
            return bytes(await file.download_as_bytearray())

        return await retrying(fetch, retry_delay, "download")

    async def set_commands(
        self, commands: Menu, *, chat_id: int | None = None, language: str | None = None
    ) -> None:
        scope = BotCommandScopeChat(chat_id) if chat_id else BotCommandScopeDefault()
        await self.bot.set_my_commands(
            [BotCommand(name, text) for name, text in commands],
            scope=scope,
            language_code=language,
        )


class PtbTransport:
    """Updates fetched with getUpdates (polling) or posted to the webhook, read by PTB."""

    def __init__(self, application: Application, front_factory: Any, polling_timeout: int) -> None:
        self.application = application
        self.front: Front = front_factory(PtbPort(application))
        self.polling_timeout = polling_timeout

    async def start(self) -> str:
        """initialize() (which calls getMe); the bot's username."""
        await self.application.initialize()
        return self.application.bot.username or ""

    async def prepare_polling(self) -> None:
        await self.application.bot.delete_webhook(drop_pending_updates=False)

    async def fetch(self, offset: int | None, wait: int) -> list[dict[str, Any]]:
        """One long poll of up to ``wait`` seconds, as JSON: the updates after ``offset``
        (confirming those before it)."""
        kwargs: dict[str, Any] = {"timeout": wait, "allowed_updates": updates.ALLOWED_UPDATES}
        if offset is not None:
            kwargs["offset"] = offset
        with warnings.catch_warnings():
            # PTB suggests Bot.get_updates, which parses the whole batch and loses all of it
            # to one update it cannot read; the inbox wants the JSON as Telegram sent it.
            warnings.filterwarnings("ignore", message=".*get_?[uU]pdates.*")
            result = await self.application.bot.do_api_request(
                "getUpdates", api_kwargs=kwargs, read_timeout=wait + 10
            )
        return [u for u in result if isinstance(u, dict)] if isinstance(result, list) else []

    async def set_webhook(self, url: str, secret: str) -> None:
        await self.application.bot.set_webhook(
            url, secret_token=secret, allowed_updates=updates.ALLOWED_UPDATES
        )

    def parse(self, data: dict[str, Any]) -> Received | None:
        """The update as the front end takes it; None (logged) when PTB cannot read it or it
        is not for the engine."""
        try:
            update = Update.de_json(data, self.application.bot)
        except Exception as exc:  # de_json trusts its input: AttributeError, TypeError...
            log.warning(
                "update %s dropped: not a valid update (%s)", update_id_of(data), brief(exc)
            )
            return None
        if update.callback_query is not None:
            return updates.from_callback(update.update_id, update.callback_query)
        return updates.from_message(update.update_id, update.message)

    async def close(self, timeout: float) -> None:  # noqa: ASYNC109
        await self.front.drain(timeout)
        await self.application.shutdown()
