"""Test doubles for external services (fake Telegram Bot API)."""

from .bot_api import FakeBotAPI
from .bot_api_limits import RateLimitHit, RateLimits
from .bot_api_models import ApiCall, ErrorRecord, ResponseRecord, Sent, StoredFile, StoredMessage
from .bot_api_users import FakeUser

__all__ = [
    "ApiCall",
    "ErrorRecord",
    "FakeBotAPI",
    "FakeUser",
    "RateLimitHit",
    "RateLimits",
    "ResponseRecord",
    "Sent",
    "StoredFile",
    "StoredMessage",
]
