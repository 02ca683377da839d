"""The aiogram 3 adapter (the default): a Port over ``aiogram.Bot``, updates from its Dispatcher."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import AsyncIterator
from contextvars import ContextVar
from typing import Any

import aiohttp
from aiogram import Bot, methods
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from aiogram.types.base import TelegramObject

from bot.delivery.port import Flood, Rejected, Transient, Unreachable
from bot.transports import updates
from bot.transports.front import Front
from bot.transports.port import DownloadFailed, EditRefused, Keyboard, Menu, PhotoFile, Received
from bot.transports.render import Rows
from bot.transports.retry import backoff, retrying
from bot.transports.updates import brief, update_id_of

log = logging.getLogger(__name__)


def retry_delay(exc: BaseException, attempt: int) -> float | None:
    if isinstance(exc, TelegramRetryAfter):
        return float(exc.retry_after)
    if isinstance(exc, TelegramServerError | TelegramNetworkError | ClientDecodeError):
        return backoff(attempt)
    return None


def download_delay(exc: BaseException, attempt: int) -> float | None:
    if isinstance(exc, DownloadFailed):
        return backoff(attempt) if exc.status >= 500 or exc.status == 429 else None
    if isinstance(exc, aiohttp.ClientError | TimeoutError):
        return backoff(attempt)
    return retry_delay(exc, attempt)


class Sent(TelegramObject):
    """What dutybot reads of a message it sent or edited: its id. Telegram echoes the whole
    message back, keyboard and all, and aiogram's ``Message`` would validate every button of
    it into an object on each send; the rest is kept unvalidated (aiogram's objects allow
    extra fields)."""

    message_id: int


class SendQuestion(methods.SendMessage):
    """``sendMessage``, answered with a :class:`Sent`."""

    __returning__ = Sent  # type: ignore[assignment]


class EditQuestion(methods.EditMessageText):
    """``editMessageText``, answered with a :class:`Sent` (or True for an inline message)."""

    __returning__ = Sent | bool  # type: ignore[assignment]


# aiogram builds Response[T] for every answer; pydantic keeps parametrised classes only weakly,
# so once the collector frees one the next answer rebuilds it (milliseconds each). Holding the
# classes of the methods dutybot calls keeps them built.
_RESPONSE_CLASSES = [
    Response[method.__returning__]  # type: ignore[name-defined]
    for method in (
        SendQuestion,
        EditQuestion,
        methods.SendMessage,
        methods.EditMessageText,
        methods.AnswerCallbackQuery,
        methods.SendChatAction,
        methods.SendPhoto,
        methods.SendMediaGroup,
        methods.SendLocation,
        methods.SendVenue,
        methods.GetFile,
        methods.GetUpdates,
        methods.GetMe,
        methods.SetMyCommands,
        methods.SetWebhook,
        methods.DeleteWebhook,
    )
]

# Set while the sender makes a call: it retries by itself, later, and must not wait here.
ONE_ATTEMPT: ContextVar[bool] = ContextVar("one_attempt", default=False)


class Retry(BaseRequestMiddleware):
    """Every Bot API call but the long poll (aiogram backs that off itself) and the sender's
    is retried."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if isinstance(method, GetUpdates) or ONE_ATTEMPT.get():
            return await make_request(bot, method)  # type: ignore[arg-type]
        name = type(method).__name__
        return await retrying(lambda: make_request(bot, method), retry_delay, name)


def make_bot(token: str, api_base_url: str) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base_url.rstrip("/")))
    session.middleware(Retry())
    return Bot(token, session=session)


def _markup(keyboard: Keyboard) -> Any:
    if keyboard.share_location:
        button = KeyboardButton(text=keyboard.share_location, request_location=True)
        return ReplyKeyboardMarkup(
            keyboard=[[button]], resize_keyboard=True, one_time_keyboard=True
        )
    if keyboard.remove:
        return ReplyKeyboardRemove()
    return _inline(keyboard.rows)


def _inline(rows: Rows) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=label, callback_data=data) for label, data in row]
            for row in rows
        ]
    )


@contextlib.asynccontextmanager
async def _one_attempt() -> AsyncIterator[None]:
    """Make one call without retrying and turn aiogram's errors into the sender's."""
    token = ONE_ATTEMPT.set(True)
    try:
        yield
    except TelegramRetryAfter as exc:
        raise Flood(float(exc.retry_after)) from exc
    except TelegramForbiddenError as exc:
        raise Unreachable(exc.message) from exc
    except TelegramBadRequest as exc:
        if "chat not found" in exc.message.lower():
            raise Unreachable(exc.message) from exc
        raise Rejected(exc.message) from exc
    except (TelegramServerError, TelegramNetworkError, ClientDecodeError) as exc:
        raise Transient(str(exc)) from exc
    except TelegramAPIError as exc:  # 401, 404, 409…: not this message's fault; try later
        raise Transient(str(exc)) from exc
    finally:
        ONE_ATTEMPT.reset(token)


def _send(chat_id: int, html: str, markup: Any) -> SendQuestion:
    fields: dict[str, Any] = {"reply_markup": markup}  # aiogram's stubs list every field
    return SendQuestion(chat_id=chat_id, text=html, parse_mode="HTML", **fields)


def _edit(chat_id: int, message_id: int, html: str, rows: Rows) -> EditQuestion:
    fields: dict[str, Any] = {"reply_markup": _inline(rows)}
    return EditQuestion(
        text=html, chat_id=chat_id, message_id=message_id, parse_mode="HTML", **fields
    )


def _media(photo: PhotoFile, index: int) -> Any:
    if photo.file_id:
        return photo.file_id
    assert photo.data is not None
    return BufferedInputFile(photo.data, filename=f"photo-{index + 1}.jpg")


class AiogramPort:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def post(self, chat_id: int, html: str, rows: Rows) -> int:
        async with _one_attempt():
            sent = await self.bot(_send(chat_id, html, _inline(rows)))
        return sent.message_id

    async def amend(self, chat_id: int, message_id: int, html: str, rows: Rows) -> None:
        try:
            async with _one_attempt():
                await self.bot(_edit(chat_id, message_id, html, rows))
        except Rejected as exc:
            if "not modified" not in str(exc).lower():
                raise

    async def send_album(self, chat_id: int, photos: list[PhotoFile]) -> None:
        if len(photos) == 1:
            await self.bot.send_photo(chat_id, _media(photos[0], 0))
            return
        media = [InputMediaPhoto(media=_media(p, i)) for i, p in enumerate(photos)]
        await self.bot.send_media_group(chat_id, media=media)  # type: ignore[arg-type]

    async def send_place(
        self, chat_id: int, lat: float, lon: float, title: str | None, address: str | None
    ) -> None:
        if title:
            await self.bot.send_venue(chat_id, lat, lon, title, address or "")
        else:
            await self.bot.send_location(chat_id, lat, lon)

    async def send_document(self, chat_id: int, name: str, data: bytes, caption: str) -> None:
        document = BufferedInputFile(data, filename=name)
        await self.bot.send_document(chat_id, document, caption=caption or None, parse_mode=None)

    async def send_image(self, chat_id: int, name: str, data: bytes, caption: str) -> None:
        photo = BufferedInputFile(data, filename=name)
        await self.bot.send_photo(chat_id, photo, caption=caption or None, parse_mode=None)

    async def send(self, chat_id: int, html: str, keyboard: Keyboard) -> int:
        sent = await self.bot(_send(chat_id, html, _markup(keyboard)))
        return sent.message_id

    async def edit(self, chat_id: int, message_id: int, html: str, rows: Rows) -> None:
        try:
            await self.bot(_edit(chat_id, message_id, html, rows))
        except TelegramBadRequest as exc:
            raise EditRefused("not modified" in exc.message.lower()) from exc

    async def answer(self, callback_id: str, text: str | None) -> None:
        await self.bot.answer_callback_query(callback_id, text=text)

    async def chat_action(self, chat_id: int, action: str) -> None:
        await self.bot.send_chat_action(chat_id, action)  # type: ignore[arg-type]

    async def download(self, file_id: str) -> bytes:
        file = await self.bot.get_file(file_id)
        assert file.file_path is not None

        async def fetch() -> bytes:
            buffer = io.BytesIO()
            try:
                await self.bot.download_file(file.file_path, buffer)  # type: ignore[arg-type]
            except aiohttp.ClientResponseError as exc:
                raise DownloadFailed(exc.status) from None
            return buffer.getvalue()

        return await retrying(fetch, download_delay, "download")

    async def set_commands(
        self, commands: Menu, *, chat_id: int | None = None, language: str | None = None
    ) -> None:
        scope = BotCommandScopeChat(chat_id=chat_id) if chat_id else BotCommandScopeDefault()
        await self.bot.set_my_commands(
            [BotCommand(command=name, description=text) for name, text in commands],
            scope=scope,
            language_code=language,
        )


class RawGetUpdates(GetUpdates):
    """getUpdates answering the updates as JSON: the inbox stores them as they came, and one
    update aiogram cannot read does not cost the others of its batch."""

    __returning__ = list[dict[str, Any]]


_RESPONSE_CLASSES.append(Response[list[dict[str, Any]]])


class AiogramTransport:
    """Updates fetched with getUpdates (polling) or posted to the webhook, read by aiogram."""

    def __init__(self, bot: Bot, front_factory: Any, polling_timeout: int) -> None:
        self.bot = bot
        self.front: Front = front_factory(AiogramPort(bot))
        self.polling_timeout = polling_timeout

    async def start(self) -> str:
        """getMe; the bot's username."""
        me = await self.bot.get_me()
        return me.username or ""

    async def prepare_polling(self) -> None:
        await self.bot.delete_webhook(drop_pending_updates=False)

    async def fetch(self, offset: int | None, wait: int) -> list[dict[str, Any]]:
        """One long poll of up to ``wait`` seconds: the updates after ``offset`` (confirming
        those before it)."""
        method = RawGetUpdates(offset=offset, timeout=wait, allowed_updates=updates.ALLOWED_UPDATES)
        result: list[Any] = await self.bot(method, request_timeout=wait + 10)
        return [u for u in result if isinstance(u, dict)]

    async def set_webhook(self, url: str, secret: str) -> None:
        await self.bot.set_webhook(
            url, secret_token=secret, allowed_updates=updates.ALLOWED_UPDATES
        )

    def parse(self, data: dict[str, Any]) -> Received | None:
        """The update as the front end takes it; None (logged) when aiogram cannot read it or
        it is not for the engine."""
        try:
            update = Update.model_validate(data, context={"bot": self.bot})
        except Exception as exc:  # pydantic's ValidationError, or a RecursionError
            log.warning(
                "update %s dropped: not a valid update (%s)", update_id_of(data), brief(exc)
            )
            return None
        if update.callback_query is not None:
            return updates.from_callback(update.update_id, update.callback_query)
        return updates.from_message(update.update_id, update.message)

    async def close(self, timeout: float) -> None:  # noqa: ASYNC109
        await self.front.drain(timeout)
        await self.bot.session.close()
