"""Typed settings: a TOML file with environment overrides, built once in main and passed in.

Precedence, highest first: environment (``DUTYBOT_<SECTION>__<KEY>``), the TOML file
(``--config PATH`` or ``DUTYBOT_CONFIG``), then the defaults below.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.escalation.chains import EscalationSettings

CONFIG_ENV = "DUTYBOT_CONFIG"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DatabaseSettings(_Section):
    url: str = "sqlite+aiosqlite:///dutybot.db"
    echo: bool = False
    # PostgreSQL only: keep dutybot's tables in this schema (it must exist).
    pg_schema: str | None = None
    # Seconds a writer waits for SQLite's write lock before giving up.
    sqlite_busy_timeout: float = Field(default=15.0, gt=0)

    @field_validator("url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            return value
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        if value.startswith("sqlite://"):
            return "sqlite+aiosqlite://" + value.split("://", 1)[1]
        raise ValueError("must be a sqlite:// or postgresql:// URL")


class MediaSettings(_Section):
    dir: Path = Path("media")
    max_file_bytes: int = Field(default=20 * 1024 * 1024, gt=0)


class SiteDefaults(_Section):
    """Used when a site is created without its own values."""

    timezone: str = "Asia/Shanghai"
    locale: str = "zh_Hans"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        return check_locale(value)


class FlowsSettings(_Section):
    # A folder of site playbooks: adds procedures and overrides shipped ones by id.
    extra_dir: Path | None = None


class I18nSettings(_Section):
    # Where the compiled catalogs live; empty means the project's own locales/ folder.
    locales_dir: Path | None = None


class TelegramSettings(_Section):
    token: str = ""
    transport: Literal["aiogram", "ptb"] = "aiogram"
    mode: Literal["polling", "webhook"] = "polling"
    api_base_url: str = "https://api.telegram.org"
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1:8080"
    webhook_secret: str = ""
    # For invite links; empty: asked from the Bot API (getMe).
    bot_username: str = ""
    # Seconds a long poll waits for updates.
    polling_timeout: int = Field(default=30, ge=0, le=50)
    # Seconds without a further photo before an album counts as complete.
    album_wait: float = Field(default=0.8, gt=0, le=10)

    @field_validator("webhook_secret")
    @classmethod
    def _secret_charset(cls, value: str) -> str:
        if value and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
            raise ValueError("1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)")
        return value


class AccessSettings(_Section):
    # Hours an invite link stays valid.
    invite_hours: int = Field(default=72, gt=0, le=24 * 30)


class DeliverySettings(_Section):
    """The outbox sender: Telegram allows about 30 messages a second per bot, one a second per
    chat and 20 a minute per group; the defaults stay a little under."""

    per_second: float = Field(default=29.0, gt=0, le=30)
    per_chat_seconds: float = Field(default=1.05, ge=1.0, le=60)
    per_group_seconds: float = Field(default=3.05, ge=3.0, le=600)
    # Server errors: attempts before a message is given up (backing off 2 s, 4 s … 10 min).
    max_attempts: int = Field(default=12, ge=1, le=100)
    # Chats served side by side.
    workers: int = Field(default=6, ge=1, le=64)


class LoggingSettings(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="DUTYBOT_", env_nested_delimiter="__", extra="forbid", case_sensitive=False
    )

    database: DatabaseSettings = DatabaseSettings()
    media: MediaSettings = MediaSettings()
    site: SiteDefaults = SiteDefaults()
    flows: FlowsSettings = FlowsSettings()
    i18n: I18nSettings = I18nSettings()
    telegram: TelegramSettings = TelegramSettings()
    access: AccessSettings = AccessSettings()
    logging: LoggingSettings = LoggingSettings()
    delivery: DeliverySettings = DeliverySettings()
    escalation: EscalationSettings = EscalationSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The TOML file arrives as init data; the environment overrides it.
        return (env_settings, init_settings)


class ConfigError(Exception):
    """A setting is wrong; the message names the key."""


def check_locale(value: str) -> str:
    try:
        Locale.parse(value)
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(f"unknown locale {value!r}") from exc
    return value


def load_settings(path: Path | None = None) -> Settings:
    """Build the settings once. ``path`` falls back to ``$DUTYBOT_CONFIG``; no file is fine."""
    if path is None and os.environ.get(CONFIG_ENV):
        path = Path(os.environ[CONFIG_ENV])
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"config file not found: {path}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return Settings(**data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, path)) from exc


def _describe(exc: ValidationError, path: Path | None) -> str:
    where = f" in {path}" if path else ""
    lines = [f"invalid configuration{where}:"]
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"])
        env_name = "DUTYBOT_" + "__".join(str(p).upper() for p in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"  {key} (env {env_name}): {message}")
    return "\n".join(lines)
