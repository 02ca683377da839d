"""The open report's playbook and answers, read once per event."""

from __future__ import annotations

from typing import Any

from bot.cases import service as cases
from bot.engine.context import Ctx
from bot.engine.navigation import effective_answers
from bot.engine.steps.base import StepIO
from bot.flows.schema import Playbook


def playbook(ctx: Ctx) -> Playbook:
    assert ctx.case is not None
    return ctx.registry.get(ctx.case.playbook_id)


def stored_answers(ctx: Ctx) -> dict[str, Any]:
    """The case's current answers (None for a skipped step), read once per event."""
    assert ctx.case is not None and ctx.case.id is not None
    if ctx.answers_cache is None:
        ctx.answers_cache = cases.current_values(ctx.session, ctx.case.id)
    return dict(ctx.answers_cache)


def answers_on_path(ctx: Ctx) -> dict[str, Any]:
    return effective_answers(playbook(ctx), stored_answers(ctx), ctx.site.settings)


def step_io(ctx: Ctx) -> StepIO:
    """What the current step sees while it handles this event."""
    return StepIO(
        tr=ctx.tr,
        now=ctx.now,
        draft=dict(ctx.conv.draft),
        answers=answers_on_path(ctx),
        book=playbook(ctx),
    )
