"""Yes or no."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from bot.engine.steps.base import Answered, Invalid, Result, Rows, StepBase, StepIO, fold
from bot.flows.conditions import AnswerCondition
from bot.i18n import Translator

_YES = {"yes", "y", "是", "是的", "有", "对", "要", "需要", "确认"}
_NO = {"no", "n", "否", "不", "不是", "没有", "无", "不要", "不需要"}


class YesNoStep(StepBase):
    kind: Literal["yesno"]

    expects: ClassVar[str | None] = None

    def buttons(self, io: StepIO) -> Rows:
        return [[(io.tr._("Yes"), "yes"), (io.tr._("No"), "no")]]

    def on_action(self, io: StepIO, action: str) -> Result | None:
        if action in ("yes", "no"):
            return Answered(action == "yes")
        return None

    def on_text(self, io: StepIO, text: str) -> Result:
        typed = fold(text)
        if typed in _YES:
            return Answered(True)
        if typed in _NO:
            return Answered(False)
        return Invalid(io.tr._("Please answer Yes or No."))

    def format(self, tr: Translator, value: Any) -> str:
        return tr._("Yes") if value else tr._("No")

    def condition_problem(self, cond: AnswerCondition) -> str | None:
        if cond.operator == "equals" and not isinstance(cond.equals, bool):
            return f"step {self.id!r} is yes/no: compare with true or false"
        return super().condition_problem(cond)

    def candidate_answers(self, constants: list[Any]) -> list[Any]:
        return [True, False]
