"""Step kinds by name."""

from __future__ import annotations

from bot.engine.steps.base import StepKind
from bot.engine.steps.checklist import ChecklistKind
from bot.engine.steps.choice import ChoiceKind, YesNoKind
from bot.engine.steps.datetime_kind import DateTimeKind
from bot.engine.steps.instruction import InstructionKind
from bot.engine.steps.location import LocationKind
from bot.engine.steps.number import NumberKind
from bot.engine.steps.people import PeopleKind
from bot.engine.steps.photos import PhotosKind
from bot.engine.steps.text import TextKind

KINDS: dict[str, StepKind] = {
    "instruction": InstructionKind(),
    "choice": ChoiceKind(),
    "yesno": YesNoKind(),
    "checklist": ChecklistKind(),
    "text": TextKind(),
    "number": NumberKind(),
    "datetime": DateTimeKind(),
    "photos": PhotosKind(),
    "location": LocationKind(),
    "people": PeopleKind(),
}
