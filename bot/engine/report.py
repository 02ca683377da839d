"""Walking a report: entering steps, taking answers, back / skip / keep, review and confirm.

What a question looks like is drawn by ``step_screen.py``; photos are stored by ``photos.py``;
every row changes through the domain services.
"""

from __future__ import annotations

from typing import Any

from bot.cases import service as cases
from bot.deadlines import service as deadlines
from bot.engine import cancel
from bot.engine.actions import run_actions
from bot.engine.answers import answers_on_path, playbook, step_io, stored_answers
from bot.engine.closing import reset as reset  # the front door sets a report aside
from bot.engine.context import Ctx
from bot.engine.incoming import Incoming, Kind
from bot.engine.navigation import effective_answers, next_step
from bot.engine.photos import store_photo
from bot.engine.screen import ScreenName
from bot.engine.step_screen import show_review, show_step
from bot.engine.steps.base import Answered, Invalid, Result, Stay, StepBase, StepIO
from bot.flows.schema import Playbook
from bot.staff import service as staff_service


def start(ctx: Ctx, book: Playbook, *, drill: bool = False) -> None:
    ctx.case = cases.open_case(
        ctx.session,
        site=ctx.site,
        playbook_id=book.id,
        playbook_version=book.version,
        reporter_id=ctx.staff_id,
        now=ctx.now,
        is_drill=drill,  # a rehearsal (bot/engine/drill_run.py)
    )
    ctx.conv.case_id = ctx.case.id
    ctx.conv.path = []
    ctx.say(
        ctx.tr._(
            "Case {number} opened: {title}.", number=ctx.case.number, title=ctx.tr.pick(book.title)
        )
    )
    first = next_step(book, None, {}, ctx.site.settings)
    assert first is not None, "a validated playbook has a first step"
    enter(ctx, first)


def start_part(ctx: Ctx) -> None:
    """Begin (or go on with) the task's part: its first open question, or its review."""
    book = playbook(ctx)
    ctx.conv.path = []
    ctx.conv.step_id = None
    first = next_step(book, None, answers_on_path(ctx), ctx.site.settings, ctx.part)
    if first is None:
        review(ctx)
    else:
        enter(ctx, first)


def enter(ctx: Ctx, step_id: str, *, push: bool = True) -> None:
    book = playbook(ctx)
    step = book.step(step_id)
    conv = ctx.conv
    conv.screen = ScreenName.STEP
    conv.step_id = step_id
    if push:
        conv.path = [*conv.path, step_id]
    stored = stored_answers(ctx)
    conv.draft = step.start(stored.get(step_id))
    if step.actions_on == "enter":
        run_actions(ctx, step, effective_answers(book, stored, ctx.site.settings))
    show_step(ctx)


def on_input(ctx: Ctx, incoming: Incoming) -> None:
    if cancel.asking_note(ctx):  # the reason for cancelling, typed
        cancel.on_note(ctx, incoming)
        return
    step = _current(ctx)
    io = step_io(ctx)
    if incoming.kind is Kind.TEXT:
        apply(ctx, step, io, step.on_text(io, incoming.text))
    elif incoming.kind is Kind.LOCATION and incoming.place is not None:
        apply(ctx, step, io, step.on_place(io, incoming.place))
    elif incoming.kind is Kind.PHOTO:
        said: set[str] = set()
        changed = False
        for photo in incoming.photos:
            attachment = store_photo(ctx, step.id, photo)
            result: Result = (
                Invalid(attachment)
                if isinstance(attachment, str)
                else step.on_photo(io, attachment)
            )
            if isinstance(result, Answered):
                save(ctx, step, result.value)
                return
            if isinstance(result, Invalid) and result.message not in said:
                said.add(result.message)
                ctx.say(result.message)
            changed = changed or isinstance(result, Stay)
        if changed:
            ctx.conv.draft = {**io.draft, "_touched": True}
        show_step(ctx, again=True)


def on_action(ctx: Ctx, action: str) -> None:
    if cancel.asking_note(ctx):  # /back while typing the reason for cancelling
        if action == "back":
            cancel.offer(ctx)
        else:
            cancel.show_note(ctx, again=True)
        return
    step = _current(ctx)
    if action == "back":
        back(ctx)
    elif action == "skip":
        if step.required:
            ctx.say(ctx.tr._("This step is required and cannot be skipped."))
            show_step(ctx, again=True)
        else:
            save(ctx, step, None, skipped=True)
    elif action == "keep":
        advance(ctx)
    else:
        io = step_io(ctx)
        result = step.on_action(io, action)
        if result is None:
            ctx.say(ctx.tr._("That button is no longer active."))
            show_step(ctx, again=True)
        else:
            apply(ctx, step, io, result)


def _current(ctx: Ctx) -> StepBase:
    assert ctx.conv.step_id is not None
    return playbook(ctx).step(ctx.conv.step_id)


def apply(ctx: Ctx, step: StepBase, io: StepIO, result: Result) -> None:
    if isinstance(result, Answered):
        save(ctx, step, result.value)
    elif isinstance(result, Stay):
        ctx.conv.draft = {**io.draft, "_touched": True}
        if result.notice:
            ctx.notice = result.notice
            if not result.replace:
                ctx.say(result.notice)
        show_step(ctx, replace=result.replace, again=True)
    else:
        ctx.say(result.message)
        show_step(ctx, again=True)


def save(ctx: Ctx, step: StepBase, value: Any, *, skipped: bool = False) -> None:
    assert ctx.case is not None
    stored = stored_answers(ctx)
    unchanged = step.id in stored and stored[step.id] == value and not skipped
    if not unchanged:
        cases.record_answer(
            ctx.session,
            ctx.case,
            step.id,
            value,
            skipped=skipped,
            actor_id=ctx.staff_id,
            now=ctx.now,
        )
        if ctx.answers_cache is not None:  # keep the per-event copy in step with the table
            ctx.answers_cache[step.id] = None if skipped else value
    if step.actions_on == "answer":
        run_actions(ctx, step, answers_on_path(ctx))
    if not skipped and step.id in playbook(ctx).clock_steps:
        # clocks timed from this answer start; those it fulfils are met
        deadlines.step_answered(
            ctx.session, ctx.case, step.id, value, actor_id=ctx.staff_id, now=ctx.now
        )
    advance(ctx)


def advance(ctx: Ctx) -> None:
    book = playbook(ctx)
    answers = answers_on_path(ctx)
    following = next_step(book, ctx.conv.step_id, answers, ctx.site.settings, ctx.part)
    if following is None:
        review(ctx)
    else:
        enter(ctx, following)


def back(ctx: Ctx) -> None:
    path = list(ctx.conv.path)
    if ctx.conv.screen == ScreenName.REVIEW:
        if path:
            enter(ctx, path[-1], push=False)
            return
    if len(path) <= 1:
        ctx.say(ctx.tr._("This is the first step."))
        show_step(ctx, again=True)
        return
    path.pop()
    ctx.conv.path = path
    enter(ctx, path[-1], push=False)


def review(ctx: Ctx) -> None:
    ctx.conv.screen = ScreenName.REVIEW
    ctx.conv.step_id = ctx.conv.path[-1] if ctx.conv.path else None
    ctx.conv.draft = {}
    assert ctx.case is not None
    if ctx.task is None:
        reporter = ctx.staff.name
    else:
        found = staff_service.get(ctx.session, ctx.case.reporter_id)
        reporter = found.name if found is not None else "?"
    show_review(ctx, reporter)


def reconcile(ctx: Ctx) -> bool:
    """Bring an open report in line with its playbook when the site changed it meanwhile.

    Answers stay recorded; steps that no longer exist leave the path. True when the step the
    person was on is gone: they are then shown the next open question instead.
    """
    book, case, conv = playbook(ctx), ctx.case, ctx.conv
    assert case is not None
    if case.playbook_version != book.version:
        cases.update_playbook_version(ctx.session, case, book.version, now=ctx.now)
    known = {step.id for step in book.steps}
    if all(step_id in known for step_id in conv.path) and conv.step_id in (None, *known):
        return False
    conv.path = [step_id for step_id in conv.path if step_id in known]
    if conv.step_id in known:
        return False
    ctx.say(
        ctx.tr._(
            "The procedure changed while report {number} was open. Your answers are "
            "kept; it goes on with the next open question.",
            number=case.number,
        )
    )
    if not conv.path:
        first = next_step(book, None, answers_on_path(ctx), ctx.site.settings, ctx.part)
        if first is None:
            review(ctx)
        else:
            enter(ctx, first)
        return True
    conv.step_id = conv.path[-1]
    advance(ctx)
    return True
