"""An instruction the person acknowledges once done."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from bot.engine.steps.base import Answered, Invalid, Result, Rows, StepBase, StepIO, fold
from bot.i18n import Translator

_ACK_WORDS = {
    "ok",
    "okay",
    "done",
    "yes",
    "y",
    "好",
    "好的",
    "收到",
    "确认",
    "完成",
    "已完成",
    "是",
}


class InstructionStep(StepBase):
    kind: Literal["instruction"]

    expects: ClassVar[str | None] = None

    def buttons(self, io: StepIO) -> Rows:
        return [[(io.tr._("✓ Done"), "ack")]]

    def on_action(self, io: StepIO, action: str) -> Result | None:
        return Answered(True) if action == "ack" else None

    def on_text(self, io: StepIO, text: str) -> Result:
        if fold(text) in _ACK_WORDS:
            return Answered(True)
        return Invalid(io.tr._("Press “Done” once this is done."))

    def format(self, tr: Translator, value: Any) -> str:
        return tr._("done")
