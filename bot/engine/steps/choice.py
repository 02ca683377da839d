"""Single choice among options, and yes/no."""

from __future__ import annotations

from typing import Any

from bot.engine.steps.base import Answered, Invalid, Result, Rows, StepIO, StepKind, fold
from bot.i18n import Translator

_YES = {"yes", "y", "是", "是的", "有", "对", "要", "需要", "确认"}
_NO = {"no", "n", "否", "不", "不是", "没有", "无", "不要", "不需要"}


class ChoiceKind(StepKind):
    expects = None

    def buttons(self, step: Any, io: StepIO) -> Rows:
        return [[(io.tr.pick(option.text), f"opt:{option.id}")] for option in step.options]

    def on_action(self, step: Any, io: StepIO, action: str) -> Result | None:
        if action.startswith("opt:"):
            option_id = action[4:]
            if any(option.id == option_id for option in step.options):
                return Answered(option_id)
        return None

    def on_text(self, step: Any, io: StepIO, text: str) -> Result:
        typed = fold(text)
        for position, option in enumerate(step.options, start=1):
            labels = {fold(t) for t in option.text.values()} | {option.id, str(position)}
            if typed in labels:
                return Answered(option.id)
        return Invalid(io.tr._("Please choose one of the options below."))

    def format(self, step: Any, tr: Translator, value: Any) -> str:
        for option in step.options:
            if option.id == value:
                return tr.pick(option.text)
        return str(value)


class YesNoKind(StepKind):
    expects = None

    def buttons(self, step: Any, io: StepIO) -> Rows:
        return [[(io.tr._("Yes"), "yes"), (io.tr._("No"), "no")]]

    def on_action(self, step: Any, io: StepIO, action: str) -> Result | None:
        if action in ("yes", "no"):
            return Answered(action == "yes")
        return None

    def on_text(self, step: Any, io: StepIO, text: str) -> Result:
        typed = fold(text)
        if typed in _YES:
            return Answered(True)
        if typed in _NO:
            return Answered(False)
        return Invalid(io.tr._("Please answer Yes or No."))

    def format(self, step: Any, tr: Translator, value: Any) -> str:
        return tr._("Yes") if value else tr._("No")
