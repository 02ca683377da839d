"""The pieces a playbook and its steps are built of: texts in both languages, options, person
fields, durations and actions. The step kinds (``bot/engine/steps/``) and the playbook
(``schema.py``) are made of them."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.deadlines.defaults import BY_KEY as CLOCKS
from bot.flows.conditions import Condition
from bot.flows.unions import tagged_union
from bot.i18n import PLAYBOOK_LANGS

LANGS = PLAYBOOK_LANGS
IDENT = r"^[a-z][a-z0-9_]{0,63}$"
# The largest magnitude of a number answer, and of a number step's min and max: a quadrillion
# is far beyond any amount, count or measure a report records, and below 2**53, so every whole
# number up to it is exact as a float and Babel formats it without losing digits. Beyond it lie
# typos, "9" held down, values Babel cannot format (10**27 and up) and infinity.
NUMBER_LIMIT = 10**15
# A deadline further away than a year is no deadline a night shift works to (and a huge one
# would overflow ``timedelta``).
LONGEST_DURATION = timedelta(days=366)
# ``version`` is stored on each case in a 32-bit integer column.
MAX_VERSION = 2**31 - 1


def known_languages(value: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(value) - set(LANGS))
    if unknown:
        raise ValueError(f"unknown language {unknown[0]!r}: use {' and '.join(LANGS)}")
    return value


# A text in both languages: {zh: ..., en: ...}. ``flows check`` insists on both.
Text = Annotated[dict[str, str], AfterValidator(known_languages)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def check_text(value: dict[str, str]) -> dict[str, str]:
    if not value:
        raise ValueError("needs a zh and an en text")
    for lang, text in value.items():
        if not text or not text.strip():
            raise ValueError(f"the {lang} text is empty")
    return value


class Option(Strict):
    id: str = Field(pattern=IDENT)
    zh: str = Field(min_length=1)
    en: str | None = None

    @property
    def text(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en} if self.en else {"zh": self.zh}


class PersonField(Option):
    """One thing asked about each person in a people list (name, role, contact…).

    ``zh`` / ``en`` ask for it and may carry a hint ("身份(业主/住户/顾客,房号)"); ``label`` is
    the short name the summary shows before the answer ("身份"), by default the same text.
    """

    max_length: int = Field(default=500, ge=1, le=4000)
    label: Text | None = None

    _check = field_validator("label")(lambda v: v if v is None else check_text(v))


_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|h|d)\s*$")
_LONGEST_MINUTES = int(LONGEST_DURATION.total_seconds()) // 60


def parse_duration(value: Any) -> timedelta:
    """``30`` (minutes), ``"30m"``, ``"12h"``, ``"2d"``; at most :data:`LONGEST_DURATION`."""
    if isinstance(value, bool):
        raise ValueError("a duration is minutes or a text like 30m, 12h, 2d")
    if isinstance(value, int):
        minutes = value
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError("a duration is minutes or a text like 30m, 12h, 2d")
        digits, unit = match.group(1), match.group(2)
        # More digits than any duration up to the limit has: refused before int() reads them.
        amount = int(digits) if len(digits) <= 9 else _LONGEST_MINUTES + 1
        minutes = amount * {"m": 1, "min": 1, "h": 60, "d": 1440}[unit]
    if minutes <= 0:
        raise ValueError("a duration must be positive")
    if minutes > _LONGEST_MINUTES:
        raise ValueError(f"a duration must be at most {LONGEST_DURATION.days} days")
    return timedelta(minutes=minutes)


class NotifyAction(Strict):
    notify: list[str] = Field(min_length=1)
    message: Text | None = None
    when: Condition | None = None
    # The escalation chain the alert climbs when nobody acknowledges (default: by group).
    chain: str | None = Field(default=None, pattern=IDENT)
    # Urgent alerts (a fire) never wait out the night's quiet hours.
    urgent: bool = False


class ClassifyAction(Strict):
    classify: str = Field(pattern=IDENT)
    when: Condition | None = None


class DeadlineSpec(Strict):
    key: str = Field(pattern=IDENT)
    after: timedelta | None = None
    roles: list[str] = Field(default_factory=list)
    title: Text
    # The step whose answer fulfils the deadline (this step or a later one); none: it stays open
    # for the follow-up work to close.
    until: str | None = Field(default=None, pattern=IDENT)
    # One of the rules' clocks (bot/deadlines/defaults.py): its span (the site's own when it set
    # one), kind and reading of days; ``after`` is then not needed.
    clock: str | None = Field(default=None, pattern=IDENT)
    # ``from``: the step whose answered time starts the clock ("when was it received"); without
    # it the clock starts when the action runs.
    start: str | None = Field(default=None, alias="from", pattern=IDENT)
    # "earliest": done at or after its time ("call back after 40 minutes"), not before.
    kind: Literal["due_by", "earliest"] | None = None
    # The role whose holder owns the clock (reminded, pinged at the breach); default: the only
    # role of ``roles``.
    owner: str | None = Field(default=None, pattern=IDENT)

    @field_validator("after", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> timedelta:
        return value if isinstance(value, timedelta) else parse_duration(value)

    @model_validator(mode="after")
    def _span(self) -> DeadlineSpec:
        if self.clock is not None:
            found = CLOCKS.get(self.clock)
            if found is None or found.spec is None:
                raise ValueError(f"no default clock {self.clock!r} (see bot/deadlines/defaults.py)")
        elif self.after is None:
            raise ValueError("a deadline needs after (a duration) or clock (a default clock)")
        return self


class DeadlineAction(Strict):
    deadline: DeadlineSpec
    when: Condition | None = None


# The actions a step may carry, by the key that marks each.
ACTIONS: dict[str, type[BaseModel]] = {
    "notify": NotifyAction,
    "classify": ClassifyAction,
    "deadline": DeadlineAction,
}

if TYPE_CHECKING:
    Action = NotifyAction | ClassifyAction | DeadlineAction
else:
    Action = tagged_union(ACTIONS, field=None, error_type="action", message="an action is one of: ")
