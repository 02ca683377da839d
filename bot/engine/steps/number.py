"""A number within a range: "5000", "5,000", "５０００元" all read as 5000."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, model_validator

from bot.engine.steps.base import (
    NUMBER_OPERATORS,
    Answered,
    Invalid,
    OwnText,
    Result,
    StepBase,
    StepIO,
    fold,
)
from bot.flows.conditions import AnswerCondition
from bot.flows.parts import NUMBER_LIMIT, Text
from bot.i18n import Translator

_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?$")

# A finite bound within the answers a number step accepts (``.nan`` or ``.inf`` would make
# every comparison false or true and break the hint's formatting).
Bound = Annotated[float, Field(allow_inf_nan=False, ge=-NUMBER_LIMIT, le=NUMBER_LIMIT)]


def parse_number(text: str, unit_words: list[str]) -> float | None:
    cleaned = fold(text)
    for word in sorted(unit_words, key=len, reverse=True):
        cleaned = cleaned.removesuffix(fold(word)).strip()
    cleaned = cleaned.replace(",", "").replace(" ", "").replace("_", "")
    if not _NUMBER.match(cleaned):
        return None
    try:
        return float(cleaned)
    except ValueError:
        return None


def plausible(value: float) -> bool:
    """A finite number no larger in magnitude than :data:`NUMBER_LIMIT`."""
    return math.isfinite(value) and abs(value) <= NUMBER_LIMIT


def show_number(tr: Translator, value: Any) -> str:
    """``value`` in the reader's locale; never raises, whatever was stored."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            if math.isfinite(value) and abs(value) <= NUMBER_LIMIT:
                return tr.number(value)
        except (ArithmeticError, ValueError, TypeError):
            pass
        try:
            return f"{value:g}"  # NaN, infinity or a huge value recorded before the bounds
        except (OverflowError, ValueError):
            return "…"  # an int too long even to print
    return str(value)


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

    expects: ClassVar[str | None] = "number"

    def hint(self, io: StepIO) -> str | None:
        tr = io.tr
        if self.min is not None and self.max is not None:
            return tr._(
                "Type a number from {low} to {high}.",
                low=show_number(tr, self.min),
                high=show_number(tr, self.max),
            )
        if self.min is not None:
            return tr._("Type a number, at least {low}.", low=show_number(tr, self.min))
        if self.max is not None:
            return tr._("Type a number, at most {high}.", high=show_number(tr, self.max))
        return tr._("Type a number.")

    def on_text(self, io: StepIO, text: str) -> Result:
        tr = io.tr
        units = list(self.unit.values()) if self.unit else []
        value = parse_number(text, units)
        if value is None:
            return Invalid(tr._("“{text}” is not a number.", text=text.strip()[:40]))
        if not plausible(value):
            return Invalid(tr._("That number is too large. Please check it."))
        if self.integer and not value.is_integer():
            return Invalid(tr._("Please type a whole number."))
        if self.min is not None and value < self.min:
            return Invalid(
                tr._("The number must be at least {low}.", low=show_number(tr, self.min))
            )
        if self.max is not None and value > self.max:
            return Invalid(
                tr._("The number must be at most {high}.", high=show_number(tr, self.max))
            )
        return Answered(int(value) if value.is_integer() else value)

    def format(self, tr: Translator, value: Any) -> str:
        shown = show_number(tr, value)
        return f"{shown} {tr.pick(self.unit)}" if self.unit else shown

    def texts(self) -> Iterator[OwnText]:
        yield from super().texts()
        yield ("unit",), "unit", self.unit

    def condition_problem(self, cond: AnswerCondition) -> str | None:
        if cond.operator in NUMBER_OPERATORS:
            return None
        return super().condition_problem(cond)

    def candidate_answers(self, constants: list[Any]) -> list[Any]:
        numbers = {0.0, 1e15}
        for constant in constants:
            if isinstance(constant, int | float) and not isinstance(constant, bool):
                numbers.update({constant - 1, constant, constant + 1})
        return sorted(numbers)
