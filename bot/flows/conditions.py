"""``when`` conditions on earlier answers and site settings: all / any / not and comparisons."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from bot.flows.unions import tagged_union

COMPARATORS = ("equals", "in", "gte", "gt", "lte", "lt", "contains", "answered", "count_gte")
# No list a step records is longer (people: 100, photos: 50, options: 30).
MAX_COUNT = 1000


def _scalar(value: Any) -> Any:
    """What an answer or setting is compared with: text, a finite number, true / false."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, float):
        raise ValueError("compare with a finite number, not .nan or .inf")
    raise ValueError(
        "compare with a single value (text, a number, true or false), not a list or mapping"
    )


Scalar = Annotated[Any, BeforeValidator(_scalar)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class SettingRef(_Strict):
    """A number taken from the site's settings, e.g. ``{setting: large_value_threshold}``."""

    setting: str


Number = float | SettingRef


class AnswerCondition(_Strict):
    answer: str
    equals: Scalar = None
    in_: list[Scalar] | None = Field(default=None, alias="in")
    gte: Number | None = None
    gt: Number | None = None
    lte: Number | None = None
    lt: Number | None = None
    contains: str | None = None
    answered: bool | None = None
    count_gte: int | None = Field(default=None, ge=0, le=MAX_COUNT)

    @field_validator("gte", "gt", "lte", "lt", mode="before")
    @classmethod
    def _finite(cls, value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("compare with a finite number, not .nan or .inf")
        if isinstance(value, bool):
            raise ValueError("compare with a number or {setting: NAME}, not true or false")
        return value

    @model_validator(mode="before")
    @classmethod
    def _one_operator(cls, data: Any) -> Any:
        if isinstance(data, dict):
            used = [key for key in COMPARATORS if key in data]
            if len(used) != 1:
                raise ValueError(
                    f"an answer condition needs exactly one of {', '.join(COMPARATORS)}"
                    f" (found {', '.join(used) or 'none'})"
                )
        return data

    @property
    def operator(self) -> str:
        for key in COMPARATORS:
            if ("in_" if key == "in" else key) in self.model_fields_set:
                return key
        raise AssertionError("validated condition without operator")


class SettingCondition(_Strict):
    setting: str
    is_set: bool | None = Field(default=None, alias="set")
    equals: Scalar = None

    @model_validator(mode="after")
    def _one_operator(self) -> SettingCondition:
        if (self.is_set is None) == ("equals" not in self.model_fields_set):
            raise ValueError("a setting condition needs exactly one of: set, equals")
        return self


class AllCondition(_Strict):
    all: list[Condition] = Field(min_length=1)


class AnyCondition(_Strict):
    any: list[Condition] = Field(min_length=1)


class NotCondition(_Strict):
    not_: Condition = Field(alias="not")


# The kinds of condition, by the key that marks each (``answer`` before ``setting``: a
# comparison's bound may itself be ``{setting: …}``).
CONDITIONS: dict[str, type[BaseModel]] = {
    "all": AllCondition,
    "any": AnyCondition,
    "not": NotCondition,
    "answer": AnswerCondition,
    "setting": SettingCondition,
}

if TYPE_CHECKING:
    Condition = AllCondition | AnyCondition | NotCondition | AnswerCondition | SettingCondition
else:
    Condition = tagged_union(
        CONDITIONS, field=None, error_type="condition", message="a condition is one of: "
    )

for _model in (AllCondition, AnyCondition, NotCondition):
    _model.model_rebuild()


def leaves(cond: Any) -> Iterator[AnswerCondition | SettingCondition]:
    """The comparisons inside a condition, through all / any / not."""
    match cond:
        case AllCondition(all=items) | AnyCondition(any=items):
            for item in items:
                yield from leaves(item)
        case NotCondition(not_=inner):
            yield from leaves(inner)
        case AnswerCondition() | SettingCondition():
            yield cond


def answer_conditions(cond: Any) -> list[AnswerCondition]:
    return [leaf for leaf in leaves(cond) if isinstance(leaf, AnswerCondition)]


def setting_conditions(cond: Any) -> list[SettingCondition]:
    return [leaf for leaf in leaves(cond) if isinstance(leaf, SettingCondition)]


def answer_refs(cond: Any) -> list[str]:
    """Every step id a condition reads."""
    return [leaf.answer for leaf in answer_conditions(cond)]


def setting_refs(cond: Any) -> list[str]:
    """Every site setting a condition reads, compared directly or as a number's bound."""
    names: list[str] = []
    for leaf in leaves(cond):
        if isinstance(leaf, SettingCondition):
            names.append(leaf.setting)
        else:
            bounds = (leaf.gte, leaf.gt, leaf.lte, leaf.lt)
            names += [b.setting for b in bounds if isinstance(b, SettingRef)]
    return names


def evaluate(cond: Any, answers: dict[str, Any], settings: dict[str, Any]) -> bool:
    """Whether a condition holds. A missing answer or setting makes a comparison false."""
    match cond:
        case None:
            return True
        case AllCondition(all=items):
            return all(evaluate(item, answers, settings) for item in items)
        case AnyCondition(any=items):
            return any(evaluate(item, answers, settings) for item in items)
        case NotCondition(not_=inner):
            return not evaluate(inner, answers, settings)
        case SettingCondition():
            value = settings.get(cond.setting)
            if cond.is_set is not None:
                return (value is not None) == cond.is_set
            return bool(value == cond.equals)
        case AnswerCondition():
            return _compare(cond, answers.get(cond.answer), cond.answer in answers, settings)
    raise TypeError(f"not a condition: {cond!r}")


def _bound(value: Number | None, settings: dict[str, Any]) -> float | None:
    if isinstance(value, SettingRef):
        raw = settings.get(value.setting)
        return float(raw) if isinstance(raw, int | float) else None
    return value


def _compare(cond: AnswerCondition, value: Any, present: bool, settings: dict[str, Any]) -> bool:
    op = cond.operator
    if op == "answered":
        return (present and value is not None) == cond.answered
    if value is None:
        return False
    if op == "equals":
        return bool(value == cond.equals)
    if op == "in":
        return value in (cond.in_ or [])
    if op == "contains":
        return isinstance(value, list) and cond.contains in value
    if op == "count_gte":
        return isinstance(value, list) and len(value) >= (cond.count_gte or 0)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    bound = _bound(getattr(cond, op), settings)
    if bound is None:
        return False
    return {
        "gte": value >= bound,
        "gt": value > bound,
        "lte": value <= bound,
        "lt": value < bound,
    }[op]
