"""The few answers an alert shows its reader: what happened, where, how much."""

from __future__ import annotations

from typing import Any

from bot.flows.schema import Playbook

# Kinds that read well in one short line; long texts are cut.
_SHORT_KINDS = ("choice", "location", "number", "datetime", "text")
_MAX_FACTS = 5
_MAX_TEXT = 80


def brief(book: Playbook, answers: dict[str, Any]) -> list[list[Any]]:
    """``[[step_id, value], …]`` for the playbook's ``brief`` steps, or a short pick of the
    answers so far: the first of each kind that reads well in a line, no second time."""
    if book.brief:
        chosen = [s for s in book.brief if answers.get(s) is not None]
    else:
        chosen, seen_time = [], False
        for step in book.steps:
            value = answers.get(step.id)
            if value is None or step.kind not in _SHORT_KINDS:
                continue
            if step.kind == "datetime":
                if seen_time:
                    continue
                seen_time = True
            chosen.append(step.id)
            if len(chosen) == _MAX_FACTS:
                break
    facts: list[list[Any]] = []
    for step_id in chosen:
        value = answers[step_id]
        if isinstance(value, str) and len(value) > _MAX_TEXT:
            value = value[: _MAX_TEXT - 1] + "…"
        facts.append([step_id, value])
    return facts
