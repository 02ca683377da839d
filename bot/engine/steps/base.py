"""What every step kind is: its playbook fields, how it asks and takes answers, how it is checked
and how its answer reads.

A kind is one file in this folder holding one model derived from :class:`StepBase` with a
``kind: Literal["name"]`` field; ``bot/engine/steps/__init__.py`` finds it and the playbook
schema admits it. The model's fields are what a playbook may write for the step; its methods
are the kind's behaviour (``start``, ``body``, ``hint``, ``buttons``, ``on_text``, ``on_action``,
``on_photo``, ``on_place``), how an answer reads (``format``) and the checks ``flows check``
runs with it (``texts``, ``condition_problem``, ``candidate_answers``, ``problems``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, field_validator

from bot.engine.incoming import Place
from bot.flows.conditions import MAX_COUNT, AnswerCondition, Condition
from bot.flows.parts import IDENT, Action, Strict, Text, check_text
from bot.i18n import Translator

if TYPE_CHECKING:
    from bot.flows.schema import Playbook

Rows = list[list[tuple[str, str]]]
# A text a playbook check looks at: its place in the file (below the step), the field it is
# reported as (after ``steps[i:id]``), the text.
OwnText = tuple[tuple[Any, ...], str, dict[str, str] | None]
# A problem ``flows check`` reports: the place in the file below the step, the field, the message.
OwnProblem = tuple[tuple[Any, ...], str, str]
NUMBER_OPERATORS = ("gte", "gt", "lte", "lt")


@dataclass
class Answered:
    value: Any


@dataclass
class Stay:
    """Still on this step: something was added or toggled; show the step again."""

    notice: str | None = None
    replace: bool = False


@dataclass
class Invalid:
    message: str


Result = Answered | Stay | Invalid


@dataclass
class StepIO:
    """What a step may look at and change while handling one event."""

    tr: Translator
    now: datetime
    draft: dict[str, Any] = field(default_factory=dict)
    # The report's answers on its path so far, and its playbook (a step comparing its answer
    # with another's, e.g. a time that cannot come before another).
    answers: dict[str, Any] = field(default_factory=dict)
    book: Playbook | None = None


def fold(text: str) -> str:
    """Normalise typed text: full-width to ASCII, case-folded, trimmed."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


class StepBase(Strict):
    """The fields every step has, and the defaults of every kind's behaviour: a kind that takes
    text answers and refuses photos and places."""

    id: str = Field(pattern=IDENT)
    kind: str  # each kind narrows it to its own ``Literal["name"]``
    text: Text
    label: Text | None = None  # short name in summaries; defaults to the text
    section: str | None = None
    # The role that answers it after the reporter's part is submitted (a follow-up task);
    # default: its section's, else the reporter's. ``by: reporter`` says so explicitly.
    by: str | None = Field(default=None, pattern=IDENT)
    source: str | None = None  # where the rule comes from, e.g. "000:21"
    required: bool = True
    when: Condition | None = None
    actions: list[Action] = Field(default_factory=list)
    # "answer": actions run when the step is first answered; "enter": when first shown.
    actions_on: Literal["answer", "enter"] = "answer"

    _check = field_validator("text", "label")(lambda v: v if v is None else check_text(v))

    # What the person is asked to send: None (buttons), "text", "number", "datetime", "photo",
    # "location".
    expects: ClassVar[str | None] = "text"
    # The answer is a list (conditions may count it).
    holds_list: ClassVar[bool] = False
    # The question's body shows the recorded answer already (no "Recorded answer" line).
    shows_answer: ClassVar[bool] = False

    # --- asking and answering ----------------------------------------------------------------

    def wants(self, io: StepIO) -> str | None:
        return self.expects

    def start(self, current: Any) -> dict[str, Any]:
        """The draft when the step is (re)entered; ``current`` is its recorded answer."""
        return {}

    def hint(self, io: StepIO) -> str | None:
        return None

    def body(self, io: StepIO) -> list[str]:
        return []

    def buttons(self, io: StepIO) -> Rows:
        return []

    def on_text(self, io: StepIO, text: str) -> Result:
        return Invalid(io.tr._("Please use the buttons below."))

    def on_action(self, io: StepIO, action: str) -> Result | None:
        return None

    def on_photo(self, io: StepIO, attachment: dict[str, Any]) -> Result:
        return Invalid(
            io.tr._("This step does not take a photo; the photo was kept with the case anyway.")
        )

    def on_place(self, io: StepIO, place: Place) -> Result:
        return Invalid(io.tr._("This step does not take a location."))

    def format(self, tr: Translator, value: Any) -> str:
        """The recorded answer as the review, the case record and a ping show it."""
        return str(value)

    # --- what ``flows check`` asks of the kind -----------------------------------------------

    def texts(self) -> Iterator[OwnText]:
        """Every text of the step in both languages (each must have zh and en)."""
        yield ("text",), "text", self.text
        yield ("label",), "label", self.label

    def condition_problem(self, cond: AnswerCondition) -> str | None:
        """Why a condition on this step's answer cannot work, or None."""
        op = cond.operator
        if op in NUMBER_OPERATORS:
            return f"{op} compares numbers, but step {self.id!r} is a {self.kind} step"
        if op == "contains":
            return f"contains needs a checklist step, but {self.id!r} is a {self.kind} step"
        if op == "count_gte" and not self.holds_list:
            return f"count_gte needs a checklist, photos or people step, not {self.kind}"
        return None

    def candidate_answers(self, constants: list[Any]) -> list[Any]:
        """Answers that exercise every condition on this step (``constants``: the values the
        conditions compare with), for the check that each step can be reached."""
        return ["x", *[c for c in constants if c is not None]]

    def problems(self, book: Playbook, index: int) -> Iterator[OwnProblem]:
        """Checks across steps the kind needs (references to other steps)."""
        return iter(())


def list_candidates(constants: list[Any]) -> list[Any]:
    """For a list answer: empty, and one longer than any count a condition names."""
    size = min(max([c for c in constants if isinstance(c, int)] + [1]), MAX_COUNT + 1)
    return [[], ["x"] * size]
