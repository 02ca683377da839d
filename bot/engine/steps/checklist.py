"""Several options ticked on one message, then "Done"."""

from __future__ import annotations

from typing import Any

from bot.engine.steps.base import Answered, Invalid, Result, Rows, Stay, StepIO, StepKind
from bot.i18n import Translator


class ChecklistKind(StepKind):
    expects = None

    def start(self, step: Any, current: Any) -> dict[str, Any]:
        return {"selected": list(current) if isinstance(current, list) else []}

    def buttons(self, step: Any, io: StepIO) -> Rows:
        selected = set(io.draft.get("selected", []))
        rows: Rows = []
        for option in step.options:
            mark = "☑" if option.id in selected else "☐"
            rows.append([(f"{mark} {io.tr.pick(option.text)}", f"toggle:{option.id}")])
        rows.append([(io.tr._("✓ Done"), "done")])
        return rows

    def hint(self, step: Any, io: StepIO) -> str | None:
        if _all_needed(step):
            if len(step.options) == 2:
                return io.tr._("Tick both, then press “Done”.")
            return io.tr._("Tick all {n}, then press “Done”.", n=len(step.options))
        if step.min_selected:
            return io.tr.n_(
                "Tick at least {n} item, then press “Done”.",
                "Tick at least {n} items, then press “Done”.",
                step.min_selected,
            )
        return io.tr._("Tick what applies, then press “Done”.")

    def on_action(self, step: Any, io: StepIO, action: str) -> Result | None:
        selected = list(io.draft.get("selected", []))
        if action.startswith("toggle:"):
            option_id = action[7:]
            if not any(option.id == option_id for option in step.options):
                return None
            if option_id in selected:
                selected.remove(option_id)
            else:
                selected.append(option_id)
            io.draft["selected"] = selected
            return Stay(replace=True)
        if action == "done":
            if len(selected) < step.min_selected and _all_needed(step):
                if len(step.options) == 2:
                    return Invalid(io.tr._("Please confirm both are done."))
                return Invalid(io.tr._("Please confirm all {n} are done.", n=len(step.options)))
            if len(selected) < step.min_selected:
                return Invalid(
                    io.tr.n_(
                        "Tick at least {n} item before pressing “Done”.",
                        "Tick at least {n} items before pressing “Done”.",
                        step.min_selected,
                    )
                )
            order = [option.id for option in step.options]
            return Answered(sorted(selected, key=order.index))
        return None

    def format(self, step: Any, tr: Translator, value: Any) -> str:
        names = {option.id: tr.pick(option.text) for option in step.options}
        chosen = [names.get(item, item) for item in value or []]
        if not chosen:
            return tr._("none")
        return tr.join(chosen)


def _all_needed(step: Any) -> bool:
    """Every option must be ticked: the list is things to confirm, not a choice."""
    return len(step.options) > 1 and step.min_selected >= len(step.options)
