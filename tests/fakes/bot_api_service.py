"""Bot-level Bot API methods: getMe, updates/webhooks, callbacks, files, commands."""

from __future__ import annotations

import asyncio
from typing import Any

from .bot_api_models import ApiError, JsonDict
from .bot_api_params import Params
from .bot_api_state import BotState, WebhookConfig
from .bot_api_updates import UpdateQueue
from .bot_api_validate import MAX_CALLBACK_ANSWER, check_commands, check_secret_token

QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


class ServiceMethods:
    state: BotState
    updates: UpdateQueue

    def _flush_webhooks(self) -> None:  # provided by FakeBotAPI
        raise NotImplementedError

    async def get_me(self, p: Params) -> JsonDict:
        return dict(self.state.me)

    async def get_updates(self, p: Params) -> list[JsonDict]:
        if self.state.webhook is not None:
            raise ApiError(409, WEBHOOK_ACTIVE)
        allowed = p.raw("allowed_updates")
        if allowed is not None and not isinstance(allowed, list):
            raise ApiError.bad_request("can't parse allowed updates")
        try:
            return await self.updates.get_updates(
                offset=p.opt_int("offset"),
                limit=p.opt_int("limit"),
                poll_timeout=p.opt_int("timeout"),
                allowed_updates=allowed,
            )
        except ApiError:
            # Superseded long poll: if the client already hung up, the handler gets
            # cancelled here and no (spurious) 409 is recorded.
            await asyncio.sleep(0.05)
            raise

    async def set_webhook(self, p: Params) -> bool:
        url = p.opt_str("url") or ""
        if not url:
            return await self.delete_webhook(p)
        if not url.startswith(("https://", "http://")):
            raise ApiError.bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.opt_str("secret_token")
        check_secret_token(secret)
        allowed = p.raw("allowed_updates")
        max_connections = p.opt_int("max_connections") or 40
        if not 1 <= max_connections <= 100:
            raise ApiError.bad_request("bad webhook: max_connections must be between 1 and 100")
        if p.flag("drop_pending_updates"):
            self.updates.clear()
        if isinstance(allowed, list):
            self.updates.allowed_updates = list(allowed) or None
        self.state.webhook = WebhookConfig(
            url=url,
            secret_token=secret,
            max_connections=max_connections,
            allowed_updates=allowed if isinstance(allowed, list) else None,
            ip_address=p.opt_str("ip_address"),
        )
        self._flush_webhooks()
        return True

    async def delete_webhook(self, p: Params) -> bool:
        self.state.webhook = None
        if p.flag("drop_pending_updates"):
            self.updates.clear()
        return True

    async def get_webhook_info(self, p: Params) -> JsonDict:
        hook = self.state.webhook
        info: JsonDict = {
            "url": hook.url if hook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates.pending),
        }
        if hook is not None:
            info["max_connections"] = hook.max_connections
            if hook.allowed_updates is not None:
                info["allowed_updates"] = hook.allowed_updates
            if hook.ip_address:
                info["ip_address"] = hook.ip_address
            if hook.last_error_date is not None:
                info["last_error_date"] = hook.last_error_date
                info["last_error_message"] = hook.last_error_message
        return info

    async def answer_callback_query(self, p: Params) -> bool:
        query_id = p.opt_str("callback_query_id")
        if not query_id or self.state.callback_queries.get(query_id, True):
            raise ApiError.bad_request(QUERY_INVALID)
        text = p.opt_str("text")
        if text is not None and len(text) > MAX_CALLBACK_ANSWER:
            raise ApiError.bad_request("MESSAGE_TOO_LONG")
        self.state.callback_queries[query_id] = True
        answer: JsonDict = {"callback_query_id": query_id, "text": text}
        answer["show_alert"] = p.flag("show_alert")
        for key in ("url", "cache_time"):
            if p.has(key):
                answer[key] = p.raw(key)
        self.state.callback_answers.append(answer)
        return True

    async def get_file(self, p: Params) -> JsonDict:
        return self.state.file_object(p.opt_str("file_id"))

    def _commands_key(self, p: Params) -> tuple[str, str]:
        scope: Any = p.raw("scope")
        if scope is not None and not isinstance(scope, dict):
            raise ApiError.bad_request("can't parse BotCommandScope JSON object")
        language = p.opt_str("language_code") or ""
        if language and (len(language) != 2 or not language.isalpha()):
            raise ApiError.bad_request("invalid language code specified")
        return self.state.commands_key(scope, language)

    async def set_my_commands(self, p: Params) -> bool:
        commands = check_commands(p.raw("commands"))
        key = self._commands_key(p)
        if commands:
            self.state.commands[key] = commands
        else:
            self.state.commands.pop(key, None)
        return True

    async def delete_my_commands(self, p: Params) -> bool:
        self.state.commands.pop(self._commands_key(p), None)
        return True

    async def get_my_commands(self, p: Params) -> list[JsonDict]:
        return list(self.state.commands.get(self._commands_key(p), []))

    async def close(self, p: Params) -> bool:
        return True

    async def log_out(self, p: Params) -> bool:
        return True
