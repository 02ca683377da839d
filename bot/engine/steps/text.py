"""Free text, length-limited."""

from __future__ import annotations

from typing import Any

from bot.engine.steps.base import Answered, Invalid, Result, StepIO, StepKind
from bot.i18n import Translator


class TextKind(StepKind):
    def hint(self, step: Any, io: StepIO) -> str | None:
        return io.tr._("Type your answer (up to {limit} characters).", limit=step.max_length)

    def on_text(self, step: Any, io: StepIO, text: str) -> Result:
        value = text.strip()
        if not value:
            return Invalid(io.tr._("The answer is empty. Please type it."))
        if len(value) > step.max_length:
            return Invalid(
                io.tr._(
                    "That is {length} characters; the limit is {limit}. Please shorten it.",
                    length=len(value),
                    limit=step.max_length,
                )
            )
        return Answered(value)

    def format(self, step: Any, tr: Translator, value: Any) -> str:
        return str(value)
