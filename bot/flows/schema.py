"""The playbook schema. A file is checked against it before any step object is used."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, Field, field_validator

from bot.engine.steps import KINDS
from bot.engine.steps.base import StepBase
from bot.flows.groups import DEFAULT_GROUP, check_group
from bot.flows.parts import (
    ACTIONS,
    IDENT,
    LANGS,
    LONGEST_DURATION,
    MAX_VERSION,
    NUMBER_LIMIT,
    Action,
    ClassifyAction,
    DeadlineAction,
    DeadlineSpec,
    NotifyAction,
    Option,
    PersonField,
    Strict,
    Text,
    check_text,
    known_languages,
    parse_duration,
)
from bot.flows.unions import tagged_union

__all__ = [
    "ACTIONS",
    "IDENT",
    "KINDS",
    "LANGS",
    "LONGEST_DURATION",
    "MAX_VERSION",
    "NUMBER_LIMIT",
    "Action",
    "ClassifyAction",
    "DeadlineAction",
    "DeadlineSpec",
    "NotifyAction",
    "Option",
    "PersonField",
    "Playbook",
    "Section",
    "SettingSpec",
    "Step",
    "StepBase",
    "parse_duration",
]

if TYPE_CHECKING:
    Step = StepBase
else:
    Step = tagged_union(
        KINDS, field="kind", error_type="step_kind", message="kind must be one of: "
    )


class SettingSpec(Strict):
    """A site setting a playbook reads, for a rule the source leaves open."""

    type: Literal["number", "boolean", "text"]
    title: Text
    note: Text | None = None


class Section(Strict):
    id: str = Field(pattern=IDENT)
    title: Text


class Playbook(Strict):
    id: str = Field(pattern=IDENT)
    version: int = Field(ge=1, le=MAX_VERSION)
    group: Annotated[str, AfterValidator(check_group)] = DEFAULT_GROUP
    title: Text
    summary: Text | None = None
    source: str | None = None
    keywords: Annotated[dict[str, list[str]], AfterValidator(known_languages)] = Field(
        default_factory=dict
    )
    settings: dict[str, SettingSpec] = Field(default_factory=dict)
    sections: list[Section] = Field(default_factory=list)
    # The answers an alert shows its reader (what happened, where); default: a short pick.
    brief: list[str] = Field(default_factory=list, max_length=8)
    steps: list[Step] = Field(min_length=1)

    _check = field_validator("title", "summary")(lambda v: v if v is None else check_text(v))

    def step(self, step_id: str) -> StepBase:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def fulfilling_steps(self) -> set[str]:
        """Steps whose answer meets a deadline (``until``)."""
        return {
            action.deadline.until
            for step in self.steps
            for action in step.actions
            if isinstance(action, DeadlineAction) and action.deadline.until
        }

    def index(self, step_id: str) -> int:
        for position, step in enumerate(self.steps):
            if step.id == step_id:
                return position
        raise KeyError(step_id)
