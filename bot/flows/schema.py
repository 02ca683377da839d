"""The playbook schema. A file is checked against it before any step object is used."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from bot.flows.conditions import Condition

LANGS = ("zh", "en")
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


def _languages(value: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(value) - set(LANGS))
    if unknown:
        raise ValueError(f"unknown language {unknown[0]!r}: use zh and en")
    return value


# A text in both languages: {zh: ..., en: ...}. ``flows check`` insists on both.
Text = Annotated[dict[str, str], AfterValidator(_languages)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _check_text(value: dict[str, str]) -> dict[str, str]:
    if not value:
        raise ValueError("needs a zh and an en text")
    for lang, text in value.items():
        if not text or not text.strip():
            raise ValueError(f"the {lang} text is empty")
    return value


class Option(_Strict):
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

    _check = field_validator("label")(lambda v: v if v is None else _check_text(v))


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


class NotifyAction(_Strict):
    notify: list[str] = Field(min_length=1)
    message: Text | None = None
    when: Condition | None = None
    # The escalation chain the alert climbs when nobody acknowledges (default: by group).
    chain: str | None = Field(default=None, pattern=IDENT)
    # Urgent alerts (a fire) never wait out the night's quiet hours.
    urgent: bool = False


class ClassifyAction(_Strict):
    classify: str = Field(pattern=IDENT)
    when: Condition | None = None


class DeadlineSpec(_Strict):
    key: str = Field(pattern=IDENT)
    after: timedelta
    roles: list[str] = Field(default_factory=list)
    title: Text
    # The step whose answer fulfils the deadline (this step or a later one); none: it stays open
    # for the follow-up work to close.
    until: str | None = Field(default=None, pattern=IDENT)

    @field_validator("after", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> timedelta:
        return value if isinstance(value, timedelta) else parse_duration(value)


class DeadlineAction(_Strict):
    deadline: DeadlineSpec
    when: Condition | None = None


def _action_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return next((k for k in ("notify", "classify", "deadline") if k in value), None)
    tags: dict[type, str] = {
        NotifyAction: "notify",
        ClassifyAction: "classify",
        DeadlineAction: "deadline",
    }
    return tags.get(type(value))


Action = Annotated[
    Annotated[NotifyAction, Tag("notify")]
    | Annotated[ClassifyAction, Tag("classify")]
    | Annotated[DeadlineAction, Tag("deadline")],
    Discriminator(
        _action_kind,
        custom_error_type="action",
        custom_error_message="an action is one of: notify, classify, deadline",
    ),
]


class StepBase(_Strict):
    id: str = Field(pattern=IDENT)
    text: Text
    label: Text | None = None  # short name in summaries; defaults to the text
    section: str | None = None
    source: str | None = None  # where the rule comes from, e.g. "000:21"
    required: bool = True
    when: Condition | None = None
    actions: list[Action] = Field(default_factory=list)
    # "answer": actions run when the step is first answered; "enter": when first shown.
    actions_on: Literal["answer", "enter"] = "answer"

    _check = field_validator("text", "label")(lambda v: v if v is None else _check_text(v))


class InstructionStep(StepBase):
    kind: Literal["instruction"]


class _WithOptions(StepBase):
    options: list[Option] = Field(min_length=1, max_length=30)

    @model_validator(mode="after")
    def _unique_options(self) -> _WithOptions:
        ids = [option.id for option in self.options]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate option id: {', '.join(dupes)}")
        return self


class ChoiceStep(_WithOptions):
    kind: Literal["choice"]


class ChecklistStep(_WithOptions):
    kind: Literal["checklist"]
    min_selected: int = Field(default=0, ge=0)


class YesNoStep(StepBase):
    kind: Literal["yesno"]


class TextStep(StepBase):
    kind: Literal["text"]
    max_length: int = Field(default=2000, ge=1, le=4000)


# A finite bound within the answers a number step accepts (``.nan`` or ``.inf`` would make
# every comparison false or true and break the hint's formatting).
Bound = Annotated[float, Field(allow_inf_nan=False, ge=-NUMBER_LIMIT, le=NUMBER_LIMIT)]


class NumberStep(StepBase):
    kind: Literal["number"]
    min: Bound | None = None
    max: Bound | None = None
    integer: bool = False
    unit: Text | None = None

    @model_validator(mode="after")
    def _range(self) -> NumberStep:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        return self


class DateTimeStep(StepBase):
    kind: Literal["datetime"]
    past_only: bool = True  # an incident time cannot lie in the future


class PhotosStep(StepBase):
    kind: Literal["photos"]
    min: int = Field(default=1, ge=0, le=50)
    max: int = Field(default=10, ge=1, le=50)

    @model_validator(mode="after")
    def _range(self) -> PhotosStep:
        if self.min > self.max:
            raise ValueError("min is greater than max")
        return self


class LocationStep(StepBase):
    kind: Literal["location"]
    allow_text: bool = True  # a described place ("3F lobby") where GPS means little


class PeopleStep(StepBase):
    kind: Literal["people"]
    fields: list[PersonField] = Field(
        default_factory=lambda: [
            PersonField(id="name", zh="姓名", en="Name", max_length=100),
            PersonField(id="role", zh="身份/职务", en="Role", max_length=100),
            PersonField(id="contact", zh="联系方式", en="Contact", max_length=100),
        ],
        min_length=1,
        max_length=12,
    )
    min: int = Field(default=1, ge=0, le=100)
    max: int = Field(default=30, ge=1, le=100)
    # A button "nobody …" while no one is recorded: it answers with an explicit empty list, so a
    # required list can truthfully be empty (unlike Skip, which records nothing).
    none_option: Text | None = None

    _check_none = field_validator("none_option")(lambda v: v if v is None else _check_text(v))


def _step_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        kind = value.get("kind")
        return kind if isinstance(kind, str) else None
    return getattr(value, "kind", None)


Step = Annotated[
    Annotated[InstructionStep, Tag("instruction")]
    | Annotated[ChoiceStep, Tag("choice")]
    | Annotated[ChecklistStep, Tag("checklist")]
    | Annotated[YesNoStep, Tag("yesno")]
    | Annotated[TextStep, Tag("text")]
    | Annotated[NumberStep, Tag("number")]
    | Annotated[DateTimeStep, Tag("datetime")]
    | Annotated[PhotosStep, Tag("photos")]
    | Annotated[LocationStep, Tag("location")]
    | Annotated[PeopleStep, Tag("people")],
    Discriminator(
        _step_kind,
        custom_error_type="step_kind",
        custom_error_message=(
            "kind must be one of: instruction, choice, checklist, yesno, text, number,"
            " datetime, photos, location, people"
        ),
    ),
]

STEP_KINDS = (
    "instruction",
    "choice",
    "checklist",
    "yesno",
    "text",
    "number",
    "datetime",
    "photos",
    "location",
    "people",
)


class SettingSpec(_Strict):
    """A site setting a playbook reads, for a rule the source leaves open."""

    type: Literal["number", "boolean", "text"]
    title: Text
    note: Text | None = None


class Section(_Strict):
    id: str = Field(pattern=IDENT)
    title: Text


class Playbook(_Strict):
    id: str = Field(pattern=IDENT)
    version: int = Field(ge=1, le=MAX_VERSION)
    group: Literal["security", "hotel", "complaints", "drills", "other"] = "other"
    title: Text
    summary: Text | None = None
    source: str | None = None
    keywords: Annotated[dict[str, list[str]], AfterValidator(_languages)] = Field(
        default_factory=dict
    )
    settings: dict[str, SettingSpec] = Field(default_factory=dict)
    sections: list[Section] = Field(default_factory=list)
    # The answers an alert shows its reader (what happened, where); default: a short pick.
    brief: list[str] = Field(default_factory=list, max_length=8)
    steps: list[Step] = Field(min_length=1)

    _check = field_validator("title", "summary")(lambda v: v if v is None else _check_text(v))

    def step(self, step_id: str) -> Any:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def fulfilling_steps(self) -> set[str]:
        """Steps whose answer meets a deadline (``until``)."""
        return {
            action.deadline.until
            for step in self.steps
            for action in step.actions
            if isinstance(action, DeadlineAction) and action.deadline.until
        }

    def index(self, step_id: str) -> int:
        for position, step in enumerate(self.steps):
            if step.id == step_id:
                return position
        raise KeyError(step_id)
