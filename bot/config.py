"""Typed settings: a TOML file with environment overrides, built once in main and passed in.

Precedence, highest first: environment (``DUTYBOT_<SECTION>__<KEY>``), the TOML file
(``--config PATH`` or ``DUTYBOT_CONFIG``), then the defaults below.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.drills.settings import DrillSettings
from bot.escalation.chains import EscalationSettings
from bot.i18n import DEFAULT_LOCALE, N_, Catalogs, Translator, parse_locale

CONFIG_ENV = "DUTYBOT_CONFIG"
ENV_PREFIX = "DUTYBOT_"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DatabaseSettings(_Section):
    url: str = "sqlite:///dutybot.db"
    echo: bool = False
    # PostgreSQL only: keep dutybot's tables in this schema (it must exist).
    pg_schema: str | None = None
    # Seconds a writer waits for SQLite's write lock before giving up.
    sqlite_busy_timeout: float = Field(default=15.0, gt=0)
    # SQLite: FULL syncs the log at every commit, so an answer a guard was told is saved
    # survives a power cut; NORMAL may lose the last commits then (it is faster; bench/).
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"

    @field_validator("url")
    @classmethod
    def _driver(cls, value: str) -> str:
        """The driver dutybot uses (see bot/storage/db.py), whatever driver the URL names."""
        scheme, sep, rest = value.partition("://")
        backend = scheme.split("+", 1)[0]
        if sep and backend in ("postgresql", "postgres"):
            return "postgresql+psycopg://" + rest
        if sep and backend == "sqlite":
            return "sqlite://" + rest
        raise SettingValueError(N_("must be a sqlite:// or postgresql:// URL"))


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
            raise SettingValueError(
                N_("unknown time zone “{value}”; use a name such as Asia/Shanghai"), value=value
            ) from exc
        return value

    @field_validator("locale")
    @classmethod
    def _supported_locale(cls, value: str) -> str:
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
            raise SettingValueError(
                N_("use 1 to 256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)")
            )
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
    drills: DrillSettings = DrillSettings()

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


class SettingValueError(ValueError):
    """A validator's refusal, as an English msgid and its values, translated when shown."""

    def __init__(self, msgid: str, **values: Any) -> None:
        super().__init__(msgid.format(**values) if values else msgid)
        self.msgid = msgid
        self.values = values


def check_locale(value: str) -> str:
    locale = parse_locale(value)
    if locale is None:
        raise SettingValueError(
            N_("only zh_Hans and en are supported (zh for zh_Hans), not “{value}”"), value=value
        )
    return locale


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong: which key (``site.timezone``), and what, as a msgid with its values."""

    key: str | None  # None: the file as a whole
    msgid: str
    values: dict[str, Any] = field(default_factory=dict)
    # The environment variable that overrides the key; None for a key that does not exist.
    env: str | None = None

    def explain(self, tr: Translator) -> str:
        problem = tr._(self.msgid, **self.values)
        if self.key is None:
            return problem
        if self.env is None:
            return tr._("{key}: {problem}", key=self.key, problem=problem)
        return tr._("{key} (env {env}): {problem}", key=self.key, env=self.env, problem=problem)


class ConfigError(Exception):
    """The settings cannot be used; each problem names its key.

    ``locale`` is the deployment's language as far as the broken settings tell it, so that the
    message can be shown in it; ``str()`` is the English text.
    """

    def __init__(
        self,
        problems: list[ConfigProblem],
        *,
        path: Path | None = None,
        locale: str = "en",
        locales_dir: Path | None = None,
    ) -> None:
        self.problems = problems
        self.path = path
        self.locale = locale
        self.locales_dir = locales_dir
        super().__init__(self.explain(Catalogs().translator("en", "UTC")))

    def explain(self, tr: Translator) -> str:
        if self.path is None:
            header = tr._("invalid configuration:")
        else:
            header = tr._("invalid configuration in {path}:", path=str(self.path))
        return "\n".join([header, *(f"  {problem.explain(tr)}" for problem in self.problems)])


def load_settings(path: Path | None = None) -> Settings:
    """Build the settings once. ``path`` falls back to ``$DUTYBOT_CONFIG``; no file is fine."""
    if path is None and os.environ.get(CONFIG_ENV):
        path = Path(os.environ[CONFIG_ENV])
    data: dict[str, Any] = {}
    values: dict[str, Any]
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            problem = ConfigProblem(None, N_("config file not found: {path}"), {"path": path})
            raise _error([problem], None, None) from exc
        except (OSError, UnicodeDecodeError) as exc:
            values = {"path": path, "error": exc}
            problem = ConfigProblem(None, N_("cannot read the config file {path}: {error}"), values)
            raise _error([problem], None, None) from exc
        except tomllib.TOMLDecodeError as exc:
            values = {"path": path, "error": exc}
            problem = ConfigProblem(None, N_("{path}: not valid TOML: {error}"), values)
            raise _error([problem], None, None) from exc
    try:
        return Settings(**data)
    except ValidationError as exc:
        raise _error(_problems(exc), path, data) from exc


def _error(
    problems: list[ConfigProblem], path: Path | None, data: dict[str, Any] | None
) -> ConfigError:
    locale, locales_dir = _readable_language(data)
    return ConfigError(problems, path=path, locale=locale, locales_dir=locales_dir)


def _env(name: str) -> str | None:
    """An environment variable, its name in any case (as pydantic-settings reads them)."""
    wanted = name.upper()
    return next((value for key, value in os.environ.items() if key.upper() == wanted), None)


def _env_name(*parts: str) -> str:
    return ENV_PREFIX + "__".join(part.upper() for part in parts)


def _readable_language(data: dict[str, Any] | None) -> tuple[str, Path | None]:
    """The site language (and catalog folder) that settings which failed configure, if they say.

    ``data`` is the file's content, None when the file could not be read. A language configured
    nowhere is the default (zh_Hans); one that is configured but not usable, or hidden in a file
    that cannot be read, leaves English: nobody can tell what was meant.
    """
    raw: Any = _env(_env_name("site", "locale"))
    folder: Any = _env(_env_name("i18n", "locales_dir"))
    if data is not None:
        site, i18n = data.get("site"), data.get("i18n")
        if raw is None:
            raw = site.get("locale", DEFAULT_LOCALE) if isinstance(site, dict) else DEFAULT_LOCALE
        if folder is None and isinstance(i18n, dict):
            folder = i18n.get("locales_dir")
    locale = parse_locale(raw) if isinstance(raw, str) else None
    return locale or "en", Path(folder) if isinstance(folder, str) and folder else None


# pydantic's error types, in words an operator reads (the values come from the error's context).
_TYPE_WORDS = {
    "greater_than": N_("must be greater than {gt}, not {input}"),
    "greater_than_equal": N_("must be at least {ge}, not {input}"),
    "less_than": N_("must be less than {lt}, not {input}"),
    "less_than_equal": N_("must be at most {le}, not {input}"),
    "literal_error": N_("must be one of {expected}, not “{input}”"),
    "int_parsing": N_("must be a whole number, not “{input}”"),
    "int_type": N_("must be a whole number, not “{input}”"),
    "int_from_float": N_("must be a whole number, not “{input}”"),
    "float_parsing": N_("must be a number, not “{input}”"),
    "float_type": N_("must be a number, not “{input}”"),
    "bool_parsing": N_("must be true or false, not “{input}”"),
    "bool_type": N_("must be true or false, not “{input}”"),
    "string_type": N_("must be text in quotes, not {input}"),
    "path_type": N_("must be a path in quotes, not {input}"),
    "model_type": N_("must be a section [{key}], not a single value"),
    "dict_type": N_("must be a section [{key}], not a single value"),
}


def _problems(exc: ValidationError) -> list[ConfigProblem]:
    problems = []
    values: dict[str, Any]
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        key = ".".join(loc)
        if error["type"] == "extra_forbidden":
            problems.append(_unknown_key(loc))
            continue
        context = dict(error.get("ctx") or {})
        cause = context.get("error")
        if isinstance(cause, SettingValueError):
            msgid, values = cause.msgid, cause.values
        elif error["type"] in _TYPE_WORDS:
            msgid = _TYPE_WORDS[error["type"]]
            values = {**context, "input": error.get("input"), "key": key}
            if error["type"] == "literal_error":
                choices = re.findall(r"'([^']*)'", str(context.get("expected", "")))
                values["expected"] = " / ".join(choices)
        else:  # not foreseen: pydantic's own (English) words
            msgid, values = error["msg"].removeprefix("Value error, "), {}
        problems.append(ConfigProblem(key, msgid, values, env=_env_name(*loc)))
    return problems


def _unknown_key(loc: list[str]) -> ConfigProblem:
    """A key or section that does not exist, with the nearest one that does."""
    if len(loc) == 1:
        known = list(Settings.model_fields)
        key, name = f"[{loc[0]}]", loc[0]
        near = N_("no such section; did you mean [{nearest}]?")
        far = N_("no such section (known: {known})")
    else:
        section = Settings.model_fields[loc[0]].annotation
        known = list(getattr(section, "model_fields", {}))
        key, name = ".".join(loc), loc[-1]
        near = N_("no such setting; did you mean {nearest}?")
        far = N_("no such setting (known: {known})")
    env = _env_name(*loc)
    if _env(env) is not None:
        # Set in the environment: name the variable, and suggest a variable.
        key, name, known = env, env, [_env_name(*loc[:-1], other) for other in known]
    nearest = difflib.get_close_matches(name.lower() if key != env else name, known, n=1)
    if nearest:
        return ConfigProblem(key, near, {"nearest": nearest[0]})
    return ConfigProblem(key, far, {"known": ", ".join(known)})
