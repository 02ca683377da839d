"""The playbook schema. A file is checked against it before any step object is used."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
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
    "REPORTER",
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


REPORTER = "reporter"  # the part whoever reports the case answers, before submitting


@dataclass(frozen=True)
class Stage:
    """One role's run of steps in a case's follow-up."""

    role: str
    steps: frozenset[str]


class Section(Strict):
    id: str = Field(pattern=IDENT)
    title: Text
    # The role that answers the section's steps (a step may say otherwise); default: reporter.
    by: str | None = Field(default=None, pattern=IDENT)


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
    # The roles that close a case once every part is done (a site's managers may too).
    closed_by: list[str] = Field(default_factory=list)
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

    @cached_property
    def clock_steps(self) -> frozenset[str]:
        """Steps whose answer starts a clock (``from:``) or meets one (``until:``)."""
        found: set[str] = set()
        for step in self.steps:
            for action in step.actions:
                if isinstance(action, DeadlineAction):
                    found.update(s for s in (action.deadline.until, action.deadline.start) if s)
        return frozenset(found)

    @cached_property
    def owners(self) -> dict[str, str]:
        """Who answers each step: a role, or :data:`REPORTER`."""
        by_section = {section.id: section.by for section in self.sections}
        return {
            step.id: step.by or by_section.get(step.section or "") or REPORTER
            for step in self.steps
        }

    def owner(self, step_id: str) -> str:
        return self.owners[step_id]

    @cached_property
    def follow_up_roles(self) -> list[str]:
        """The roles with a part after the reporter's, in the order their steps come."""
        return list(dict.fromkeys(o for o in self.owners.values() if o != REPORTER))

    @cached_property
    def stages(self) -> tuple[Stage, ...]:
        """The follow-up after the report, in order: each run of steps one role answers, up to
        a step of another role (the reporter's steps, asked before submitting, do not break a
        run). A case passes from stage to stage: the complaint officer, the department manager,
        the officer again for the call-back."""
        runs: list[tuple[str, list[str]]] = []
        for step in self.steps:
            owner = self.owners[step.id]
            if owner == REPORTER:
                continue
            if runs and runs[-1][0] == owner:
                runs[-1][1].append(step.id)
            else:
                runs.append((owner, [step.id]))
        return tuple(Stage(role, frozenset(steps)) for role, steps in runs)

    def part_steps(self, stage: int | None = None) -> frozenset[str]:
        """The steps of a stage, or (None) the reporter's."""
        if stage is None:
            return self.reporter_steps
        return self.stages[stage].steps

    @cached_property
    def reporter_steps(self) -> frozenset[str]:
        return frozenset(s for s, owner in self.owners.items() if owner == REPORTER)

    def stage_of(self, step_id: str) -> int | None:
        """The stage a step belongs to; None for the reporter's."""
        for number, stage in enumerate(self.stages):
            if step_id in stage.steps:
                return number
        return None

    def index(self, step_id: str) -> int:
        for position, step in enumerate(self.steps):
            if step.id == step_id:
                return position
        raise KeyError(step_id)
