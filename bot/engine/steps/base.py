"""What every step kind implements: its prompt, what it accepts, how its answer reads."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.engine.incoming import Place
from bot.i18n import Translator

Rows = list[list[tuple[str, str]]]


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
    """What a step kind may look at and change while handling one event."""

    tr: Translator
    now: datetime
    draft: dict[str, Any] = field(default_factory=dict)


def fold(text: str) -> str:
    """Normalise typed text: full-width to ASCII, case-folded, trimmed."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


class StepKind:
    """Defaults: a kind that takes text answers and refuses photos and places."""

    # What the person is asked to send: None (buttons), "text", "number", "datetime", "photo",
    # "location".
    expects: str | None = "text"

    def wants(self, step: Any, io: StepIO) -> str | None:
        return self.expects

    def start(self, step: Any, current: Any) -> dict[str, Any]:
        """The draft when the step is (re)entered; ``current`` is its recorded answer."""
        return {}

    def hint(self, step: Any, io: StepIO) -> str | None:
        return None

    def body(self, step: Any, io: StepIO) -> list[str]:
        return []

    def buttons(self, step: Any, io: StepIO) -> Rows:
        return []

    def on_text(self, step: Any, io: StepIO, text: str) -> Result:
        return Invalid(io.tr._("Please use the buttons below."))

    def on_action(self, step: Any, io: StepIO, action: str) -> Result | None:
        return None

    def on_photo(self, step: Any, io: StepIO, attachment: dict[str, Any]) -> Result:
        return Invalid(
            io.tr._("This step does not take a photo; the photo was kept with the case anyway.")
        )

    def on_place(self, step: Any, io: StepIO, place: Place) -> Result:
        return Invalid(io.tr._("This step does not take a location."))

    def format(self, step: Any, tr: Translator, value: Any) -> str:
        return str(value)
