"""A list of people: each person field by field, then "Add another" or "Done"."""

from __future__ import annotations

from typing import Any

from bot.engine.steps.base import Answered, Invalid, Result, Rows, Stay, StepIO, StepKind
from bot.i18n import Translator


class PeopleKind(StepKind):
    def start(self, step: Any, current: Any) -> dict[str, Any]:
        people = list(current) if isinstance(current, list) else []
        # Start typing the first person at once unless some are recorded already.
        return {"people": people, "person": {}, "field": None if people else 0}

    def wants(self, step: Any, io: StepIO) -> str | None:
        return "text" if io.draft.get("field") is not None else None

    def _field(self, step: Any, io: StepIO) -> Any:
        index = io.draft.get("field")
        return None if index is None else step.fields[index]

    def body(self, step: Any, io: StepIO) -> list[str]:
        people = io.draft.get("people", [])
        lines = [f"{n}. {self._line(step, io.tr, person)}" for n, person in enumerate(people, 1)]
        field = self._field(step, io)
        if field is not None:
            number = len(people) + 1
            lines.append(io.tr._("Person {n} — {field}:", n=number, field=io.tr.pick(field.text)))
        return lines

    def hint(self, step: Any, io: StepIO) -> str | None:
        if self._field(step, io) is not None:
            return io.tr._("Type it.")
        return io.tr._("Add another person, or press “Done”.")

    def buttons(self, step: Any, io: StepIO) -> Rows:
        tr = io.tr
        index = io.draft.get("field")
        rows: Rows = []
        if self._none_possible(step, io):
            # An explicit answer "nobody", recorded as an empty list (a skip records nothing).
            rows.append([(tr.pick(step.none_option), "none")])
        if index is not None:
            if index > 0:
                rows.append([(tr._("Skip this detail"), "field_skip")])
            if io.draft.get("people"):
                rows.append([(tr._("Stop adding"), "field_stop")])
            return rows
        if len(io.draft.get("people", [])) < step.max:
            rows.append([(tr._("➕ Add another"), "add")])
        row = [(tr._("✓ Done"), "done")]
        if io.draft.get("people"):
            row.insert(0, (tr._("Remove last"), "remove_last"))
        rows.append(row)
        return rows

    def on_text(self, step: Any, io: StepIO, text: str) -> Result:
        field = self._field(step, io)
        if field is None:
            return Invalid(io.tr._("Press “Add another” to add a person, or “Done”."))
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
        return self._advance(step, io)

    def _advance(self, step: Any, io: StepIO) -> Result:
        index = io.draft["field"] + 1
        if index < len(step.fields):
            io.draft["field"] = index
            return Stay()
        people = [*io.draft.get("people", []), io.draft.get("person", {})]
        io.draft.update(people=people, person={}, field=None)
        if len(people) >= step.max:
            return Answered(people)
        return Stay(notice=io.tr._("Person {n} added.", n=len(people)))

    def _none_possible(self, step: Any, io: StepIO) -> bool:
        """Nobody recorded and nothing typed yet, on a step that offers "nobody"."""
        return bool(
            step.none_option
            and not io.draft.get("people")
            and not io.draft.get("person")
            and io.draft.get("field") in (None, 0)
        )

    def on_action(self, step: Any, io: StepIO, action: str) -> Result | None:
        people = list(io.draft.get("people", []))
        index = io.draft.get("field")
        if action == "none" and self._none_possible(step, io):
            io.draft.update(people=[], person={}, field=None)
            return Answered([])
        if action == "field_skip" and index is not None and index > 0:
            return self._advance(step, io)
        if action == "field_stop" and index is not None and people:
            io.draft.update(person={}, field=None)
            return Stay()
        if index is not None:
            return None
        if action == "add" and len(people) < step.max:
            io.draft.update(person={}, field=0)
            return Stay()
        if action == "remove_last" and people:
            io.draft["people"] = people[:-1]
            return Stay(notice=io.tr._("Removed."))
        if action == "done":
            if len(people) < step.min:
                return Invalid(
                    io.tr.n_(
                        "Add at least {n} person first.", "Add at least {n} people first.", step.min
                    )
                )
            return Answered(people)
        return None

    def _line(self, step: Any, tr: Translator, person: dict[str, str]) -> str:
        first, *rest = step.fields
        # The short label, not the question's hint: "身份", not "身份(业主/住户/顾客,房号)".
        colon, separator = (":", ";") if tr.chinese else (": ", "; ")
        details = [
            f"{tr.pick(f.label or f.text)}{colon}{person[f.id]}" for f in rest if person.get(f.id)
        ]
        name = person.get(first.id, "?")
        return tr.aside(name, separator.join(details)) if details else name

    def format(self, step: Any, tr: Translator, value: Any) -> str:
        if not value:
            if value == [] and step.none_option:
                return tr.pick(step.none_option)
            return tr._("none")
        return "\n".join(f"  {n}. {self._line(step, tr, p)}" for n, p in enumerate(value, 1))
