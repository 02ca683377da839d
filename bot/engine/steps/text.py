"""Free text, length-limited."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from bot.engine.steps.base import Answered, Invalid, Result, StepBase, StepIO
from bot.i18n import Translator


class TextStep(StepBase):
    kind: Literal["text"]
    max_length: int = Field(default=2000, ge=1, le=4000)

    def hint(self, io: StepIO) -> str | None:
        return io.tr._("Type your answer (up to {limit} characters).", limit=self.max_length)

    def on_text(self, io: StepIO, text: str) -> Result:
        value = text.strip()
        if not value:
            return Invalid(io.tr._("The answer is empty. Please type it."))
        if len(value) > self.max_length:
            return Invalid(
                io.tr._(
                    "That is {length} characters; the limit is {limit}. Please shorten it.",
                    length=len(value),
                    limit=self.max_length,
                )
            )
        return Answered(value)

    def format(self, tr: Translator, value: Any) -> str:
        return str(value)
