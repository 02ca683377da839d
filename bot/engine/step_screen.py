"""Drawing the report: the current question with its buttons, and the review before submitting."""

from __future__ import annotations

from bot.engine.answers import answers_on_path, playbook, step_io, stored_answers
from bot.engine.context import Ctx
from bot.engine.navigation import progress
from bot.engine.outgoing import Outgoing
from bot.engine.screen import Screen, ScreenName
from bot.engine.summary import chunk, format_value, summary_lines


def show_step(ctx: Ctx, *, replace: bool = False, again: bool = False) -> None:
    """Ask the current step; ``again`` when it is re-drawn while the person is still on it."""
    book = playbook(ctx)
    assert ctx.case is not None and ctx.conv.step_id is not None
    step = book.step(ctx.conv.step_id)
    tr = ctx.tr
    stored = stored_answers(ctx)
    io = step_io(ctx)
    position, total = progress(book, step.id, io.answers, ctx.site.settings, ctx.part)
    lines = [tr._("Step {n} of {total}", n=position, total=total), "", tr.pick(step.text)]
    body = step.body(io)
    if body:
        lines += ["", *body]
    revisiting = step.id in stored
    if revisiting and not step.shows_answer:
        current = format_value(step, tr, stored[step.id])
        lines += ["", tr._("Recorded answer: {value}", value=current)]
    hint = step.hint(io)
    if hint:
        lines += ["", hint]
    screen = Screen(
        text="\n".join(lines),
        title=_drill(ctx, f"{tr.pick(book.title)} · {ctx.case.number}"),
        expects=step.wants(io),
    )
    if screen.expects == "location":
        screen.share_location = tr._("📍 Share my location")
    for row in step.buttons(io):
        screen.row(*row)
    nav: list[tuple[str, str]] = []
    if len(ctx.conv.path) > 1:
        nav.append((tr._("← Back"), "back"))
    if revisiting and not ctx.conv.draft.get("_touched"):
        nav.append((tr._("Keep answer"), "keep"))
    if not step.required:
        nav.append((tr._("Skip"), "skip"))
    screen.row(*nav)
    screen.row(*_leave_row(ctx))
    ctx.show(screen, replace=replace, again=again)


def _drill(ctx: Ctx, title: str) -> str:
    """Every screen of a rehearsal says so."""
    assert ctx.case is not None
    return ctx.tr._("🎭 DRILL · {title}", title=title) if ctx.case.is_drill else title


def _leave_row(ctx: Ctx) -> list[tuple[str, str]]:
    """How to leave the walk: the reporter cancels the report; a task is set aside."""
    tr = ctx.tr
    if ctx.task is not None:
        return [(tr._("⏸ Later"), "aside:menu")]
    return [(tr._("✗ Cancel report"), "cancel")]


def show_review(ctx: Ctx, reporter: str) -> None:
    """The whole report, then "Confirm"."""
    book = playbook(ctx)
    assert ctx.case is not None
    mine = ctx.part
    answers = {k: v for k, v in answers_on_path(ctx).items() if k in mine}
    lines = summary_lines(book, ctx.case, ctx.tr, answers, reporter)
    parts = chunk(lines)
    for part in parts[:-1]:
        ctx.out.append(Outgoing(text=part))
    tr = ctx.tr
    if ctx.task is None:
        ask = tr._("Please check the report. Press “Confirm” to submit it.")
    else:
        ask = tr._("Please check your part. Press “Confirm” to submit it.")
    screen = Screen(text=parts[-1] + "\n\n" + ask, title=_drill(ctx, tr._("Review")))
    screen.row((tr._("✓ Confirm"), "confirm"))
    back = [(tr._("← Back"), "back")] if ctx.conv.path else []
    screen.row(*back, *_leave_row(ctx))
    ctx.conv.screen = ScreenName.REVIEW
    ctx.show(screen)
