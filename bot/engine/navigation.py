"""Which step comes next, and how far along the person is."""

from __future__ import annotations

from typing import Any

from bot.flows.conditions import evaluate
from bot.flows.schema import Playbook


def effective_answers(
    book: Playbook, stored: dict[str, Any], settings: dict[str, Any]
) -> dict[str, Any]:
    """Answers of the steps that are still on the path.

    Going back and changing an answer can take a branch off the path; its answers stay recorded
    but no longer count for conditions or the summary.
    """
    answers: dict[str, Any] = {}
    for step in book.steps:
        if step.id in stored and evaluate(step.when, answers, settings):
            answers[step.id] = stored[step.id]
    return answers


def next_step(
    book: Playbook,
    after: str | None,
    answers: dict[str, Any],
    settings: dict[str, Any],
    part: frozenset[str] | None = None,
) -> str | None:
    """The first step of ``part`` (default: the reporter's steps) after ``after`` (or its first
    step) whose condition holds."""
    start = 0 if after is None else book.index(after) + 1
    mine = book.reporter_steps if part is None else part
    for step in book.steps[start:]:
        if step.id in mine and evaluate(step.when, answers, settings):
            return step.id
    return None


def progress(
    book: Playbook,
    current: str,
    answers: dict[str, Any],
    settings: dict[str, Any],
    part: frozenset[str] | None = None,
) -> tuple[int, int]:
    """(position, total) among the part's steps on the path as far as it is known now."""
    mine = book.reporter_steps if part is None else part
    on_path = [
        s.id
        for s in book.steps
        if s.id == current or (s.id in mine and evaluate(s.when, answers, settings))
    ]
    return on_path.index(current) + 1, len(on_path)
