"""What the kinds with options (choice, checklist) share: the options and their checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import Field, model_validator

from bot.engine.steps.base import OwnText, StepBase
from bot.flows.conditions import AnswerCondition
from bot.flows.parts import Option


class WithOptions(StepBase):
    options: list[Option] = Field(min_length=1, max_length=30)

    @model_validator(mode="after")
    def _unique_options(self) -> WithOptions:
        ids = [option.id for option in self.options]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate option id: {', '.join(dupes)}")
        return self

    def texts(self) -> Iterator[OwnText]:
        yield from super().texts()
        for number, option in enumerate(self.options):
            yield ("options", number), f"options[{number}]", option.text

    def option_problem(self, cond: AnswerCondition) -> str | None:
        """A condition naming an option the step does not have."""
        valid = {option.id for option in self.options}
        values = {"equals": [cond.equals], "in": cond.in_ or [], "contains": [cond.contains]}
        wrong = [v for v in values.get(cond.operator, []) if v not in valid]
        return f"step {self.id!r} has no option {wrong[0]!r}" if wrong else None

    def option_name(self, option_id: Any, pick: Any) -> str:
        for option in self.options:
            if option.id == option_id:
                return str(pick(option.text))
        return str(option_id)
