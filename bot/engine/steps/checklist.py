"""Several options ticked on one message, then "Done"."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from bot.engine.steps.base import Answered, Invalid, Result, Rows, Stay, StepIO
from bot.engine.steps.options import WithOptions
from bot.flows.conditions import AnswerCondition
from bot.i18n import Translator


class ChecklistStep(WithOptions):
    kind: Literal["checklist"]
    min_selected: int = Field(default=0, ge=0)

    expects: ClassVar[str | None] = None
    holds_list: ClassVar[bool] = True

    def start(self, current: Any) -> dict[str, Any]:
        return {"selected": list(current) if isinstance(current, list) else []}

    def buttons(self, io: StepIO) -> Rows:
        selected = set(io.draft.get("selected", []))
        rows: Rows = []
        for option in self.options:
            mark = "☑" if option.id in selected else "☐"
            rows.append([(f"{mark} {io.tr.pick(option.text)}", f"toggle:{option.id}")])
        rows.append([(io.tr._("✓ Done"), "done")])
        return rows

    def hint(self, io: StepIO) -> str | None:
        if self._all_needed():
            if len(self.options) == 2:
                return io.tr._("Tick both, then press “Done”.")
            return io.tr._("Tick all {n}, then press “Done”.", n=len(self.options))
        if self.min_selected:
            return io.tr.n_(
                "Tick at least {n} item, then press “Done”.",
                "Tick at least {n} items, then press “Done”.",
                self.min_selected,
            )
        return io.tr._("Tick what applies, then press “Done”.")

    def on_action(self, io: StepIO, action: str) -> Result | None:
        selected = list(io.draft.get("selected", []))
        if action.startswith("toggle:"):
            option_id = action[7:]
            if not any(option.id == option_id for option in self.options):
                return None
            if option_id in selected:
                selected.remove(option_id)
            else:
                selected.append(option_id)
            io.draft["selected"] = selected
            return Stay(replace=True)
        if action == "done":
            if len(selected) < self.min_selected and self._all_needed():
                if len(self.options) == 2:
                    return Invalid(io.tr._("Please confirm both are done."))
                return Invalid(io.tr._("Please confirm all {n} are done.", n=len(self.options)))
            if len(selected) < self.min_selected:
                return Invalid(
                    io.tr.n_(
                        "Tick at least {n} item before pressing “Done”.",
                        "Tick at least {n} items before pressing “Done”.",
                        self.min_selected,
                    )
                )
            order = [option.id for option in self.options]
            return Answered(sorted(selected, key=order.index))
        return None

    def format(self, tr: Translator, value: Any) -> str:
        chosen = [self.option_name(item, tr.pick) for item in value or []]
        if not chosen:
            return tr._("none")
        return tr.join(chosen)

    def condition_problem(self, cond: AnswerCondition) -> str | None:
        if cond.operator == "contains":
            return self.option_problem(cond)
        return super().condition_problem(cond) or self.option_problem(cond)

    def candidate_answers(self, constants: list[Any]) -> list[Any]:
        ids = [option.id for option in self.options]
        return [[], ids] + [[i] for i in ids]

    def _all_needed(self) -> bool:
        """Every option must be ticked: the list is things to confirm, not a choice."""
        return len(self.options) > 1 and self.min_selected >= len(self.options)
