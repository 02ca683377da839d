"""A number within a range: "5000", "5,000", "５０００元" all read as 5000."""

from __future__ import annotations

import math
import re
from typing import Any

from bot.engine.steps.base import Answered, Invalid, Result, StepIO, StepKind, fold
from bot.flows.schema import NUMBER_LIMIT
from bot.i18n import Translator

_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?$")


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


class NumberKind(StepKind):
    expects = "number"

    def hint(self, step: Any, io: StepIO) -> str | None:
        tr = io.tr
        if step.min is not None and step.max is not None:
            return tr._(
                "Type a number from {low} to {high}.",
                low=show_number(tr, step.min),
                high=show_number(tr, step.max),
            )
        if step.min is not None:
            return tr._("Type a number, at least {low}.", low=show_number(tr, step.min))
        if step.max is not None:
            return tr._("Type a number, at most {high}.", high=show_number(tr, step.max))
        return tr._("Type a number.")

    def on_text(self, step: Any, io: StepIO, text: str) -> Result:
        tr = io.tr
        units = list(step.unit.values()) if step.unit else []
        value = parse_number(text, units)
        if value is None:
            return Invalid(tr._("“{text}” is not a number.", text=text.strip()[:40]))
        if not plausible(value):
            return Invalid(tr._("That number is too large. Please check it."))
        if step.integer and not value.is_integer():
            return Invalid(tr._("Please type a whole number."))
        if step.min is not None and value < step.min:
            return Invalid(
                tr._("The number must be at least {low}.", low=show_number(tr, step.min))
            )
        if step.max is not None and value > step.max:
            return Invalid(
                tr._("The number must be at most {high}.", high=show_number(tr, step.max))
            )
        return Answered(int(value) if value.is_integer() else value)

    def format(self, step: Any, tr: Translator, value: Any) -> str:
        shown = show_number(tr, value)
        return f"{shown} {tr.pick(step.unit)}" if step.unit else shown
