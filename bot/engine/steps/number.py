"""A number within a range: "5000", "5,000", "５０００元" all read as 5000."""

from __future__ import annotations

import re
from typing import Any

from bot.engine.steps.base import Answered, Invalid, Result, StepIO, StepKind, fold
from bot.i18n import Translator

_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?$")


def parse_number(text: str, unit_words: list[str]) -> float | None:
    cleaned = fold(text)
    for word in sorted(unit_words, key=len, reverse=True):
        cleaned = cleaned.removesuffix(fold(word)).strip()
    cleaned = cleaned.replace(",", "").replace(" ", "").replace("_", "")
    if not _NUMBER.match(cleaned):
        return None
    return float(cleaned)


class NumberKind(StepKind):
    expects = "number"

    def hint(self, step: Any, io: StepIO) -> str | None:
        tr = io.tr
        if step.min is not None and step.max is not None:
            return tr._(
                "Type a number from {low} to {high}.",
                low=tr.number(step.min),
                high=tr.number(step.max),
            )
        if step.min is not None:
            return tr._("Type a number, at least {low}.", low=tr.number(step.min))
        if step.max is not None:
            return tr._("Type a number, at most {high}.", high=tr.number(step.max))
        return tr._("Type a number.")

    def on_text(self, step: Any, io: StepIO, text: str) -> Result:
        tr = io.tr
        units = list(step.unit.values()) if step.unit else []
        value = parse_number(text, units)
        if value is None:
            return Invalid(tr._("“{text}” is not a number.", text=text.strip()[:40]))
        if step.integer and not value.is_integer():
            return Invalid(tr._("Please type a whole number."))
        if step.min is not None and value < step.min:
            return Invalid(tr._("The number must be at least {low}.", low=tr.number(step.min)))
        if step.max is not None and value > step.max:
            return Invalid(tr._("The number must be at most {high}.", high=tr.number(step.max)))
        return Answered(int(value) if value.is_integer() else value)

    def format(self, step: Any, tr: Translator, value: Any) -> str:
        shown = tr.number(value)
        return f"{shown} {tr.pick(step.unit)}" if step.unit else shown
