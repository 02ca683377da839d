"""Translations and locale-aware formatting.

User-facing strings in code are English msgids marked with ``tr._(...)`` (or ``N_`` where the
lookup happens later); the Babel catalogs in ``locales/`` translate them. Playbook text carries its
own ``zh`` / ``en`` pair. Dates, durations and numbers go through Babel in the site's time zone.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime, format_time, format_timedelta, get_day_names
from babel.numbers import format_decimal
from babel.support import Translations

DOMAIN = "dutybot"


@dataclass(frozen=True)
class Language:
    """One supported language: the only place a language is defined."""

    locale: str  # the Babel locale of catalogs and formatting
    text_key: str  # its key in a playbook's ``{zh: …, en: …}`` texts
    name: str  # named in itself, as language pickers do
    # What an operator may write for it (``--locale``, ``[site] locale``), lower-cased.
    spellings: tuple[str, ...]
    # What a person may type in the chat (``/lang …``), folded.
    typed: tuple[str, ...]
    # The prefix of a Telegram client's ``language_code`` that means it.
    client_prefix: str


LANGUAGES: tuple[Language, ...] = (
    Language(
        locale="zh_Hans",
        text_key="zh",
        name="中文",
        spellings=("zh_hans", "zh"),
        typed=("zh", "zh_hans", "cn", "中文"),
        client_prefix="zh",
    ),
    Language(
        locale="en",
        text_key="en",
        name="English",
        spellings=("en",),
        typed=("en", "english", "英文"),
        client_prefix="en",
    ),
)
SUPPORTED = tuple(language.locale for language in LANGUAGES)
DEFAULT_LOCALE = SUPPORTED[0]
# The key a locale uses in playbook text, and those keys (``zh``, ``en``) in order.
TEXT_KEYS = {language.locale: language.text_key for language in LANGUAGES}
PLAYBOOK_LANGS = tuple(TEXT_KEYS.values())
# Each language named in itself.
LANGUAGE_NAMES = {language.locale: language.name for language in LANGUAGES}
LOCALE_SPELLINGS = {word: lang.locale for lang in LANGUAGES for word in lang.spellings}
# A Telegram ``language_code`` (its prefix) -> our locale.
CLIENT_LANGUAGES = {language.client_prefix: language.locale for language in LANGUAGES}


def N_(msgid: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return msgid


def default_locales_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "locales"


def supported_locale(code: str | None) -> str | None:
    """The supported locale a client's language code (``zh-hans``, ``zh_CN``, ``en-US``) names."""
    lowered = (code or "").replace("-", "_").lower()
    for prefix, locale in CLIENT_LANGUAGES.items():
        if lowered.startswith(prefix):
            return locale
    return None


def parse_locale(value: str) -> str | None:
    """The supported locale an operator wrote (``zh_Hans``, ``zh``, ``en``; any case), or None."""
    return LOCALE_SPELLINGS.get(value.strip().replace("-", "_").lower())


def normalize_locale(code: str | None, fallback: str = DEFAULT_LOCALE) -> str:
    """A supported locale for what a client reports, else ``fallback``."""
    return supported_locale(code) or fallback


class Translator:
    """Everything one reader needs: their language, their site's time zone."""

    def __init__(self, locale: str, translations: gettext.NullTranslations, tz: ZoneInfo) -> None:
        self.locale = locale
        self.tz = tz
        self._translations = translations
        self._babel_locale = Locale.parse(locale)

    def _(self, msgid: str, /, **kwargs: Any) -> str:
        text = self._translations.gettext(msgid)
        return text.format(**kwargs) if kwargs else text

    def n_(self, singular: str, plural: str, n: int, /, **kwargs: Any) -> str:
        text = self._translations.ngettext(singular, plural, n)
        return text.format(n=n, **kwargs)

    def gettext(self, msgid: str, /) -> str:
        """The raw translation, placeholders untouched (for libraries' own %-style messages)."""
        return self._translations.gettext(msgid)

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        return self._translations.ngettext(singular, plural, n)

    @property
    def chinese(self) -> bool:
        return self.locale.startswith("zh")

    def join(self, items: Iterable[str]) -> str:
        """A list in running text: "甲、乙、丙" in Chinese, "a, b, c" in English."""
        return ("、" if self.chinese else ", ").join(items)

    def sentences(self, *parts: str) -> str:
        """Sentences one after another: Chinese puts no space after 。, English one after "."."""
        return ("" if self.chinese else " ").join(part for part in parts if part)

    def aside(self, text: str, note: str) -> str:
        """A note in brackets after a text: "甲（乙）" in Chinese, "a (b)" in English."""
        return f"{text}（{note}）" if self.chinese else f"{text} ({note})"

    def pick(self, text: dict[str, str] | str) -> str:
        """Choose a playbook text for this locale (the other language when one is missing)."""
        if isinstance(text, str):
            return text
        key = TEXT_KEYS.get(self.locale, PLAYBOOK_LANGS[0])
        return text.get(key) or next(iter(text.values()), "")

    def time(self, value: datetime, fmt: str = "short") -> str:
        """The time of day of ``value`` in the site's zone."""
        return format_time(value, fmt, tzinfo=self.tz, locale=self._babel_locale)

    def datetime(self, value: datetime, fmt: str = "medium") -> str:
        return format_datetime(value, fmt, tzinfo=self.tz, locale=self._babel_locale)

    def weekday(self, day: int) -> str:
        """Monday = 0, abbreviated in the reader's language ("Mon", "周一")."""
        return str(get_day_names("abbreviated", locale=self._babel_locale)[day])

    def duration(self, value: timedelta) -> str:
        """Exact to the minute ("1小时30分钟", "1 hour 30 minutes"); Babel alone would round."""
        minutes = int(abs(value.total_seconds()) // 60)
        days, rest = divmod(minutes, 1440)
        hours, mins = divmod(rest, 60)
        parts = [
            format_timedelta(
                timedelta(**{unit: amount}),
                threshold=10**6,
                granularity=unit[:-1],  # type: ignore[arg-type]
                locale=self._babel_locale,
            )
            for unit, amount in (("days", days), ("hours", hours), ("minutes", mins))
            if amount
        ] or [format_timedelta(timedelta(0), granularity="minute", locale=self._babel_locale)]
        return ("" if self.chinese else " ").join(parts)

    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=self._babel_locale)


class Catalogs:
    """Loads each compiled catalog once."""

    def __init__(self, locales_dir: Path | None = None) -> None:
        self.dir = locales_dir or default_locales_dir()

    def translator(self, locale: str, timezone: str) -> Translator:
        locale = normalize_locale(locale)
        return Translator(locale, self._translations(locale), _zone(timezone))

    def _translations(self, locale: str) -> gettext.NullTranslations:
        return _load(str(self.dir), locale)

    def missing(self) -> list[Path]:
        """Compiled catalogs that are not there (a translator would then speak English)."""
        wanted = [self.dir / lang / "LC_MESSAGES" / f"{DOMAIN}.mo" for lang in SUPPORTED]
        return [path for path in wanted if not path.is_file()]


@lru_cache(maxsize=32)
def _load(directory: str, locale: str) -> gettext.NullTranslations:
    loaded = Translations.load(directory, [locale], DOMAIN)
    return loaded


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
