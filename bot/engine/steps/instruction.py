"""An instruction the person acknowledges once done."""

from __future__ import annotations

from typing import Any

from bot.engine.steps.base import Answered, Invalid, Result, Rows, StepIO, StepKind, fold
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


class InstructionKind(StepKind):
    expects = None

    def buttons(self, step: Any, io: StepIO) -> Rows:
        return [[(io.tr._("✓ Done"), "ack")]]

    def on_action(self, step: Any, io: StepIO, action: str) -> Result | None:
        return Answered(True) if action == "ack" else None

    def on_text(self, step: Any, io: StepIO, text: str) -> Result:
        if fold(text) in _ACK_WORDS:
            return Answered(True)
        return Invalid(io.tr._("Press “Done” once this is done."))

    def format(self, step: Any, tr: Translator, value: Any) -> str:
        return tr._("done")
