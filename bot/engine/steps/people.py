"""A list of people: each person field by field, then "Add another" or "Done"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from bot.engine.steps.base import (
    Answered,
    Invalid,
    OwnText,
    Result,
    Rows,
    Stay,
    StepBase,
    StepIO,
    list_candidates,
)
from bot.flows.parts import PersonField, Text, check_text
from bot.i18n import Translator


class PeopleStep(StepBase):
    kind: Literal["people"]
    fields: list[PersonField] = Field(
        default_factory=lambda: [
            PersonField(id="name", zh="姓名", en="Name", max_length=100),
            PersonField(id="role", zh="身份/职务", en="Role", max_length=100),
            PersonField(id="contact", zh="联系方式", en="Contact", max_length=100),
        ],
        min_length=1,
        max_length=12,
    )
    min: int = Field(default=1, ge=0, le=100)
    max: int = Field(default=30, ge=1, le=100)
    # A button "nobody …" while no one is recorded: it answers with an explicit empty list, so a
    # required list can truthfully be empty (unlike Skip, which records nothing).
    none_option: Text | None = None

    _check_none = field_validator("none_option")(lambda v: v if v is None else check_text(v))

    holds_list: ClassVar[bool] = True
    # The people listed above the question are the recorded answer: not said twice.
    shows_answer: ClassVar[bool] = True

    def start(self, current: Any) -> dict[str, Any]:
        people = list(current) if isinstance(current, list) else []
        # Start typing the first person at once unless some are recorded already.
        return {"people": people, "person": {}, "field": None if people else 0}

    def wants(self, io: StepIO) -> str | None:
        return "text" if io.draft.get("field") is not None else None

    def _field(self, io: StepIO) -> PersonField | None:
        index = io.draft.get("field")
        return None if index is None else self.fields[index]

    def body(self, io: StepIO) -> list[str]:
        people = io.draft.get("people", [])
        if self.max == 1:
            lines = [self._line(io.tr, person) for person in people]
        else:
            lines = [f"{n}. {self._line(io.tr, person)}" for n, person in enumerate(people, 1)]
        field = self._field(io)
        if field is not None:
            number = len(people) + 1
            lines.append(io.tr._("Person {n} — {field}:", n=number, field=io.tr.pick(field.text)))
        return lines

    def hint(self, io: StepIO) -> str | None:
        if self._field(io) is not None:
            return io.tr._("Type it.")
        if len(io.draft.get("people", [])) < self.max:
            return io.tr._("Add another person, or press “Done”.")
        if self.max == 1:
            return io.tr._("Press “Done” to keep this person, or type a new name to replace them.")
        return io.tr.n_(
            "The list is full ({n} person). Press “Done”, or “Remove last” to change it.",
            "The list is full ({n} people). Press “Done”, or “Remove last” to change it.",
            self.max,
        )

    def buttons(self, io: StepIO) -> Rows:
        tr = io.tr
        index = io.draft.get("field")
        rows: Rows = []
        if self.none_option and self._none_possible(io):
            # An explicit answer "nobody", recorded as an empty list (a skip records nothing).
            rows.append([(tr.pick(self.none_option), "none")])
        if index is not None:
            if index > 0:
                rows.append([(tr._("Skip this detail"), "field_skip")])
            if io.draft.get("people"):
                rows.append([(tr._("Stop adding"), "field_stop")])
            return rows
        if len(io.draft.get("people", [])) < self.max:
            rows.append([(tr._("➕ Add another"), "add")])
        row = [(tr._("✓ Done"), "done")]
        if io.draft.get("people"):
            remove = tr._("Remove") if self.max == 1 else tr._("Remove last")
            row.insert(0, (remove, "remove_last"))
        rows.append(row)
        return rows

    def on_text(self, io: StepIO, text: str) -> Result:
        field = self._field(io)
        if field is None:
            # Typing with no detail asked starts the next person (a full one-person list: the
            # person is replaced), as "Add another" would.
            people = list(io.draft.get("people", []))
            if len(people) >= self.max and self.max > 1:
                return Invalid(
                    io.tr.n_(
                        "The list is full ({n} person). Press “Done”, or “Remove last” to "
                        "change it.",
                        "The list is full ({n} people). Press “Done”, or “Remove last” to "
                        "change it.",
                        self.max,
                    )
                )
            if not text.strip():
                return Invalid(io.tr._("The answer is empty. Please type it."))
            io.draft.update(people=people[: self.max - 1], person={}, field=0)
            field = self.fields[0]
        value = text.strip()
        if not value:
            return Invalid(io.tr._("The answer is empty. Please type it."))
        if len(value) > field.max_length:
            return Invalid(
                io.tr._(
                    "That is {length} characters; the limit is {limit}. Please shorten it.",
                    length=len(value),
                    limit=field.max_length,
                )
            )
        person = dict(io.draft.get("person", {}))
        person[field.id] = value
        io.draft["person"] = person
        return self._advance(io)

    def _advance(self, io: StepIO) -> Result:
        index = io.draft["field"] + 1
        if index < len(self.fields):
            io.draft["field"] = index
            return Stay()
        people = [*io.draft.get("people", []), io.draft.get("person", {})]
        io.draft.update(people=people, person={}, field=None)
        if len(people) >= self.max:
            return Answered(people)
        return Stay(notice=io.tr._("Person {n} added.", n=len(people)))

    def _none_possible(self, io: StepIO) -> bool:
        """Nobody recorded and nothing typed yet, on a step that offers "nobody"."""
        return bool(
            self.none_option
            and not io.draft.get("people")
            and not io.draft.get("person")
            and io.draft.get("field") in (None, 0)
        )

    def on_action(self, io: StepIO, action: str) -> Result | None:
        people = list(io.draft.get("people", []))
        index = io.draft.get("field")
        if action == "none" and self._none_possible(io):
            io.draft.update(people=[], person={}, field=None)
            return Answered([])
        if action == "field_skip" and index is not None and index > 0:
            return self._advance(io)
        if action == "field_stop" and index is not None and people:
            io.draft.update(person={}, field=None)
            return Stay()
        if index is not None:
            return None
        if action == "add" and len(people) < self.max:
            io.draft.update(person={}, field=0)
            return Stay()
        if action == "remove_last" and people:
            io.draft["people"] = people[:-1]
            return Stay(notice=io.tr._("Removed."))
        if action == "done":
            if len(people) < self.min:
                return Invalid(
                    io.tr.n_(
                        "Add at least {n} person first.", "Add at least {n} people first.", self.min
                    )
                )
            return Answered(people)
        return None

    def _line(self, tr: Translator, person: dict[str, str]) -> str:
        first, *rest = self.fields
        # The short label, not the question's hint: "身份", not "身份(业主/住户/顾客,房号)".
        colon, separator = (":", ";") if tr.chinese else (": ", "; ")
        details = [
            f"{tr.pick(f.label or f.text)}{colon}{person[f.id]}" for f in rest if person.get(f.id)
        ]
        name = person.get(first.id, "?")
        return tr.aside(name, separator.join(details)) if details else name

    def format(self, tr: Translator, value: Any) -> str:
        if not value:
            if value == [] and self.none_option:
                return tr.pick(self.none_option)
            return tr._("none")
        if len(value) == 1:
            return self._line(tr, value[0])
        return "\n".join(f"  {n}. {self._line(tr, p)}" for n, p in enumerate(value, 1))

    def texts(self) -> Iterator[OwnText]:
        yield from super().texts()
        for number, person_field in enumerate(self.fields):
            yield ("fields", number), f"fields[{number}]", person_field.text
            yield ("fields", number), f"fields[{number}].label", person_field.label
        yield ("none_option",), "none_option", self.none_option

    def candidate_answers(self, constants: list[Any]) -> list[Any]:
        return list_candidates(constants)
