"""A fake Telegram Bot API server for end-to-end tests.

Real aiogram / python-telegram-bot clients talk to it over HTTP::

    async with FakeBotAPI(token="123:ABC") as api:
        bot = Bot("123:ABC", session=AiohttpSession(api=TelegramAPIServer.from_base(api.url)))
        alice = api.user(42, first_name="Alice")
        alice.start()
        ...
        await api.wait_for_call("sendMessage")
        assert api.last_message(42).text == "Welcome"
        api.assert_no_errors()

Opt-in realism: ``FakeBotAPI(limits=RateLimits(), latency=0.08)`` answers over Telegram's
flood limits with 429 (see bot_api_limits.py for the exact windows) and adds a network round
trip to every call (bot_api_latency.py); both can also be set on a running server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, Self

from aiohttp import web

from .bot_api_inspect import InspectionMixin
from .bot_api_latency import DOWNLOAD, WEBHOOK, Latency
from .bot_api_limits import RateLimiter, RateLimits
from .bot_api_media import MediaMethods
from .bot_api_models import (
    ApiCall,
    ApiError,
    ErrorRecord,
    InjectedFailure,
    JsonDict,
    ResponseRecord,
    Sent,
)
from .bot_api_params import Params, normalize_params, read_params
from .bot_api_places import PlaceMethods
from .bot_api_service import ServiceMethods
from .bot_api_state import BotState
from .bot_api_updates import PendingUpdate, UpdateQueue
from .bot_api_users import FakeUser
from .bot_api_webhook import WebhookDeliverer, WebhookDelivery

METHODS: dict[str, str] = {
    "getMe": "get_me",
    "getUpdates": "get_updates",
    "setWebhook": "set_webhook",
    "deleteWebhook": "delete_webhook",
    "getWebhookInfo": "get_webhook_info",
    "sendMessage": "send_message",
    "editMessageText": "edit_message_text",
    "editMessageCaption": "edit_message_caption",
    "editMessageReplyMarkup": "edit_message_reply_markup",
    "deleteMessage": "delete_message",
    "answerCallbackQuery": "answer_callback_query",
    "getFile": "get_file",
    "sendPhoto": "send_photo",
    "sendDocument": "send_document",
    "sendMediaGroup": "send_media_group",
    "sendLocation": "send_location",
    "sendVenue": "send_venue",
    "sendChatAction": "send_chat_action",
    "setMyCommands": "set_my_commands",
    "deleteMyCommands": "delete_my_commands",
    "getMyCommands": "get_my_commands",
    "close": "close",
    "logOut": "log_out",
}
_CANONICAL = {name.lower(): name for name in METHODS}
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    403: "Forbidden: bot was blocked by the user",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
MAX_REQUEST_SIZE = 64 * 1024 * 1024
Reply = tuple[int, JsonDict | None, str | None]  # status, JSON body, raw text body


class FakeBotAPI(InspectionMixin, MediaMethods, PlaceMethods, ServiceMethods):
    """In-process Bot API server on 127.0.0.1 (random port) with inspection helpers.

    ``limits``: enforce Telegram's flood limits (None: never answer 429 by itself).
    ``latency``: seconds of network round trip added to every call; ``method_latency``
    overrides it per method name (plus ``"download"`` and ``"webhook"``).
    """

    def __init__(
        self,
        token: str = "123:ABC",
        *,
        bot_name: str = "DutyBot",
        bot_username: str = "dutybot_test_bot",
        strict_html_entities: bool = True,
        deliver_webhooks: bool = False,
        limits: RateLimits | None = None,
        latency: float = 0.0,
        method_latency: Mapping[str, float] | None = None,
    ) -> None:
        self.token = token
        self.strict_html_entities = strict_html_entities
        self.state = BotState(token, bot_name=bot_name, bot_username=bot_username)
        self.updates = UpdateQueue()
        self.calls: list[ApiCall] = []
        self.responses: list[ResponseRecord] = []
        self.errors: list[ErrorRecord] = []
        self.injected_errors: list[ErrorRecord] = []
        self.downloads: list[str] = []
        self.url = ""
        self._failures: list[InjectedFailure] = []
        self._users: dict[int, FakeUser] = {}
        self.limiter = RateLimiter(limits)
        self.network = Latency(latency, dict(method_latency or {}))
        self._deliver_webhooks = deliver_webhooks
        self._webhooks = WebhookDeliverer(self._execute_from_webhook, self.network, WEBHOOK)
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Event()

    # --- lifecycle ---------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application(client_max_size=MAX_REQUEST_SIZE)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        await self._webhooks.start()
        return self.url

    async def stop(self) -> None:
        self.updates.stop()  # pending long polls answer [] right away
        await asyncio.sleep(0)
        await self._webhooks.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def api_base(self) -> str:
        """``{url}/bot`` — python-telegram-bot's ``base_url``."""
        return f"{self.url}/bot"

    @property
    def file_base(self) -> str:
        """``{url}/file/bot`` — python-telegram-bot's ``base_file_url``."""
        return f"{self.url}/file/bot"

    # --- simulated network and limits ---------------------------------------------------

    @property
    def limits(self) -> RateLimits | None:
        """The flood limits in force (None: none); settable at any time, history is kept."""
        return self.limiter.limits

    @limits.setter
    def limits(self, value: RateLimits | None) -> None:
        self.limiter.limits = value

    @property
    def latency(self) -> float:
        """Round trip in seconds added to every call (see bot_api_latency.py); settable."""
        return self.network.default

    @latency.setter
    def latency(self, seconds: float) -> None:
        self.network.default = seconds

    @property
    def method_latency(self) -> dict[str, float]:
        """Per-method round trips overriding ``latency`` (a live dict: edit it in place)."""
        return self.network.per_method

    @method_latency.setter
    def method_latency(self, value: Mapping[str, float]) -> None:
        self.network.per_method = dict(value)

    def _chat_type(self, chat_id: int) -> str:
        info = self.state.chats.get(chat_id)
        if info is not None:
            return str(info.chat.get("type", "private"))
        return "private" if chat_id > 0 else "group"

    # --- HTTP --------------------------------------------------------------------------

    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        name = _CANONICAL.get(request.match_info["method"].lower(), request.match_info["method"])
        await self.network.uplink(name)
        response = await self._answer_method(request)
        await self.network.downlink(name)
        return response

    async def _answer_method(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            error = ApiError(401, "Unauthorized")
            self._record(method, {}, error.status, error.payload())
            return web.json_response(error.payload(), status=401)
        try:
            params = await read_params(request)
        except ApiError as error:
            self.calls.append(ApiCall(_CANONICAL.get(method.lower(), method), {}))
            self._record(method, {}, error.status, error.payload())
            return web.json_response(error.payload(), status=error.status)
        status, payload, raw = await self.execute(method, params)
        if raw is not None:
            return web.Response(status=status, text=raw, content_type="text/html")
        return web.json_response(payload, status=status)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        await self.network.uplink(DOWNLOAD)
        response = self._answer_file(request)
        await self.network.downlink(DOWNLOAD)
        return response

    def _answer_file(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        stored = self.state.file_by_path(path)
        if request.match_info["token"] != self.token or stored is None:
            status = 401 if request.match_info["token"] != self.token else 404
            description = "Unauthorized" if status == 401 else "Not Found"
            body = {"ok": False, "error_code": status, "description": description}
            self._record(f"file:{path}", {}, status, body)
            return web.json_response(body, status=status)
        self.downloads.append(path)
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    async def execute(self, method: str, params: JsonDict) -> Reply:
        """Run one Bot API call (as if it came over HTTP) and record it."""
        name = _CANONICAL.get(method.lower(), method)
        self.calls.append(ApiCall(name, params))
        failure = self._take_failure(name)
        if failure is not None:
            body = failure.payload()
            self._record(name, params, failure.status, body, injected=True)
            return failure.status, body, failure.raw_body
        try:
            if name not in METHODS:
                raise ApiError(404, "Not Found")
            handler = getattr(self, METHODS[name])
            admission = self.limiter.admit(name, params, self._chat_type)
            try:
                result = await handler(Params(params))
            except ApiError:
                self.limiter.cancel(admission)  # only calls that succeed count
                raise
        except ApiError as error:
            self._record(name, params, error.status, error.payload())
            return error.status, error.payload(), None
        body = {"ok": True, "result": result}
        self._record(name, params, 200, body)
        return 200, body, None

    async def _execute_from_webhook(self, method: str, params: JsonDict) -> None:
        try:
            normalized = normalize_params(params)
        except ApiError as error:
            self.calls.append(ApiCall(_CANONICAL.get(method.lower(), method), params))
            self._record(method, params, error.status, error.payload())
            return
        await self.execute(method, normalized)

    def _record(
        self, method: str, params: JsonDict, status: int, body: JsonDict, injected: bool = False
    ) -> None:
        self.responses.append(ResponseRecord(method, params, status, body, injected))
        if status >= 400:
            error = ErrorRecord(method, params, status, str(body.get("description", "")))
            (self.injected_errors if injected else self.errors).append(error)
        self._changed.set()
        self._changed = asyncio.Event()

    # --- failure injection -------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int | None = None,
        *,
        description: str | None = None,
        times: int = 1,
        raw_body: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (``"*"``: any) with an error.

        429 defaults to ``retry_after=1``; ``raw_body`` sends a non-JSON body (e.g. the
        HTML page nginx returns for a real 502)."""
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            if status == 429:
                description = f"Too Many Requests: retry after {retry_after}"
            else:
                description = _DEFAULT_DESCRIPTIONS.get(status) or HTTPStatus(status).phrase
        name = method if method == "*" else _CANONICAL.get(method.lower(), method)
        self._failures.append(
            InjectedFailure(name, status, description, retry_after, raw_body, times)
        )

    def _take_failure(self, method: str) -> InjectedFailure | None:
        for failure in self._failures:
            if failure.method in (method, "*"):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    # --- webhooks (inspection) ---------------------------------------------------------

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        return self._webhooks.deliveries

    # --- simulated users and updates ---------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "User",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        started: bool = False,
    ) -> FakeUser:
        """A private-chat user (same object for the same id). The bot may only message the
        user once the user wrote to it (``/start`` or anything) or ``started=True``; until
        then every send answers 403 "bot can't initiate conversation with a user" (a user the
        server does not know at all answers 400 "chat not found"). See also
        :meth:`stranger`, :meth:`FakeUser.block`."""
        if user_id in self._users:
            if started:
                self.state.chats[user_id].started = True
            return self._users[user_id]
        data: JsonDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        optional = {"last_name": last_name, "username": username, "language_code": language_code}
        data.update({k: v for k, v in optional.items() if v is not None})
        self.state.add_user(data).started = started
        self._users[user_id] = user = FakeUser(self, data)
        return user

    def stranger(
        self,
        user_id: int,
        first_name: str = "User",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> FakeUser:
        """A user Telegram knows who never pressed Start (e.g. a guard an admin registered
        by id): sends to them answer 403 "Forbidden: bot can't initiate conversation with a
        user" until they write to the bot. An existing user is reset to that state (not
        started, not blocked); their chat history stays."""
        user = self.user(
            user_id,
            first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        info = self.state.chats[user_id]
        info.started = info.blocked = False
        return user

    def group(self, chat_id: int, title: str = "Group", kind: str = "group") -> JsonDict:
        """Register a group chat the bot is a member of; returns the Chat object."""
        return self.state.add_group(chat_id, title, kind).chat

    def push_update(self, update: JsonDict, *, forced: bool = False) -> Sent:
        """Enqueue an update for getUpdates (or the webhook); low-level, see FakeUser."""
        query = update.get("callback_query")
        if isinstance(query, dict) and "id" in query:
            self.state.callback_queries.setdefault(str(query["id"]), False)
        entry = self.updates.push(update, forced=forced)
        sent = Sent([entry.update])
        if self._webhook_active():
            sent._done.append(self._submit(entry))
        return sent

    def enqueue_raw(self, update: JsonDict) -> Sent:
        """Enqueue an arbitrary update dict (``update_id`` assigned when missing)."""
        return self.push_update(update)

    def redeliver(self, update: Sent | JsonDict | int) -> Sent:
        """Enqueue an earlier update again with the SAME update_id (duplicate delivery);
        it is handed out once even though its id is below the confirmed offset."""
        if isinstance(update, Sent):
            update = update.update
        if isinstance(update, int):
            update = self.updates.history[update]
        return self.push_update(update, forced=True)

    # --- webhooks ----------------------------------------------------------------------

    @property
    def deliver_webhooks(self) -> bool:
        return self._deliver_webhooks

    @deliver_webhooks.setter
    def deliver_webhooks(self, value: bool) -> None:
        self._deliver_webhooks = value
        self._flush_webhooks()

    def _webhook_active(self) -> bool:
        return self._deliver_webhooks and self.state.webhook is not None and bool(self.url)

    def _flush_webhooks(self) -> None:
        if self._webhook_active():
            for entry in list(self.updates.pending):
                if not entry.submitted:
                    self._submit(entry)

    def _submit(self, entry: PendingUpdate) -> asyncio.Future[Any]:
        assert self.state.webhook is not None
        entry.submitted = True

        def failed() -> None:
            entry.submitted = False

        return self._webhooks.submit(
            entry.update, self.state.webhook, lambda: self.updates.remove(entry), failed
        )
