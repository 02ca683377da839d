"""Single choice among options."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from bot.engine.steps.base import Answered, Invalid, Result, Rows, StepIO, fold
from bot.engine.steps.options import WithOptions
from bot.flows.conditions import AnswerCondition
from bot.i18n import Translator


class ChoiceStep(WithOptions):
    kind: Literal["choice"]

    expects: ClassVar[str | None] = None

    def buttons(self, io: StepIO) -> Rows:
        return [[(io.tr.pick(option.text), f"opt:{option.id}")] for option in self.options]

    def on_action(self, io: StepIO, action: str) -> Result | None:
        if action.startswith("opt:"):
            option_id = action[4:]
            if any(option.id == option_id for option in self.options):
                return Answered(option_id)
        return None

    def on_text(self, io: StepIO, text: str) -> Result:
        typed = fold(text)
        for position, option in enumerate(self.options, start=1):
            labels = {fold(t) for t in option.text.values()} | {option.id, str(position)}
            if typed in labels:
                return Answered(option.id)
        return Invalid(io.tr._("Please choose one of the options below."))

    def format(self, tr: Translator, value: Any) -> str:
        return self.option_name(value, tr.pick)

    def condition_problem(self, cond: AnswerCondition) -> str | None:
        return super().condition_problem(cond) or self.option_problem(cond)

    def candidate_answers(self, constants: list[Any]) -> list[Any]:
        return [option.id for option in self.options]
