"""Walking a report: entering steps, taking answers, back / skip / keep, review and confirm."""

from __future__ import annotations

from typing import Any

from bot.cases import service as cases
from bot.cases.models import CaseStatus
from bot.engine.actions import run_actions
from bot.engine.context import Ctx
from bot.engine.incoming import Incoming, Kind, PhotoIn
from bot.engine.navigation import effective_answers, next_step, progress
from bot.engine.outgoing import Outgoing
from bot.engine.screen import Screen, ScreenName
from bot.engine.steps import KINDS
from bot.engine.steps.base import Answered, Invalid, Result, Stay, StepIO
from bot.engine.summary import chunk, format_value, summary_lines
from bot.flows.schema import Playbook
from bot.storage.media import sniff_image_mime


def playbook(ctx: Ctx) -> Playbook:
    assert ctx.case is not None
    return ctx.registry.get(ctx.case.playbook_id)


def stored_answers(ctx: Ctx) -> dict[str, Any]:
    """The case's current answers (None for a skipped step), read once per event."""
    assert ctx.case is not None and ctx.case.id is not None
    if ctx.answers_cache is None:
        rows = cases.current_answers(ctx.session, ctx.case.id)
        ctx.answers_cache = {k: (None if r.skipped else r.value) for k, r in rows.items()}
    return dict(ctx.answers_cache)


def answers_on_path(ctx: Ctx) -> dict[str, Any]:
    return effective_answers(playbook(ctx), stored_answers(ctx), ctx.site.settings)


def start(ctx: Ctx, book: Playbook) -> None:
    ctx.case = cases.open_case(
        ctx.session,
        site=ctx.site,
        playbook_id=book.id,
        playbook_version=book.version,
        reporter_id=ctx.staff_id,
        now=ctx.now,
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


def enter(ctx: Ctx, step_id: str, *, push: bool = True) -> None:
    book = playbook(ctx)
    step = book.step(step_id)
    conv = ctx.conv
    conv.screen = ScreenName.STEP
    conv.step_id = step_id
    if push:
        conv.path = [*conv.path, step_id]
    stored = stored_answers(ctx)
    conv.draft = KINDS[step.kind].start(step, stored.get(step_id))
    if step.actions_on == "enter":
        run_actions(ctx, step, effective_answers(book, stored, ctx.site.settings))
    show_step(ctx)


def show_step(ctx: Ctx, *, replace: bool = False, again: bool = False) -> None:
    """Ask the current step; ``again`` when it is re-drawn while the person is still on it."""
    book = playbook(ctx)
    assert ctx.case is not None and ctx.conv.step_id is not None
    step = book.step(ctx.conv.step_id)
    kind = KINDS[step.kind]
    tr = ctx.tr
    stored = stored_answers(ctx)
    answers = effective_answers(book, stored, ctx.site.settings)
    position, total = progress(book, step.id, answers, ctx.site.settings)
    io = StepIO(tr=tr, now=ctx.now, draft=dict(ctx.conv.draft))
    lines = [tr._("Step {n} of {total}", n=position, total=total), "", tr.pick(step.text)]
    body = kind.body(step, io)
    if body:
        lines += ["", *body]
    revisiting = step.id in stored
    if revisiting:
        current = format_value(step, tr, stored[step.id])
        lines += ["", tr._("Recorded answer: {value}", value=current)]
    hint = kind.hint(step, io)
    if hint:
        lines += ["", hint]
    screen = Screen(
        text="\n".join(lines),
        title=f"{tr.pick(book.title)} · {ctx.case.number}",
        expects=kind.wants(step, io),
    )
    if screen.expects == "location":
        screen.share_location = tr._("📍 Share my location")
    for row in kind.buttons(step, io):
        screen.row(*row)
    nav: list[tuple[str, str]] = []
    if len(ctx.conv.path) > 1:
        nav.append((tr._("← Back"), "back"))
    if revisiting and not ctx.conv.draft.get("_touched"):
        nav.append((tr._("Keep answer"), "keep"))
    if not step.required:
        nav.append((tr._("Skip"), "skip"))
    screen.row(*nav)
    screen.row((tr._("✗ Cancel report"), "cancel"))
    ctx.show(screen, replace=replace, again=again)


def on_input(ctx: Ctx, incoming: Incoming) -> None:
    book = playbook(ctx)
    assert ctx.conv.step_id is not None
    step = book.step(ctx.conv.step_id)
    kind = KINDS[step.kind]
    io = StepIO(tr=ctx.tr, now=ctx.now, draft=dict(ctx.conv.draft))
    if incoming.kind is Kind.TEXT:
        apply(ctx, step, io, kind.on_text(step, io, incoming.text))
    elif incoming.kind is Kind.LOCATION and incoming.place is not None:
        apply(ctx, step, io, kind.on_place(step, io, incoming.place))
    elif incoming.kind is Kind.PHOTO:
        said: set[str] = set()
        changed = False
        for photo in incoming.photos:
            attachment = store_photo(ctx, step.id, photo)
            result: Result = (
                Invalid(attachment)
                if isinstance(attachment, str)
                else (kind.on_photo(step, io, attachment))
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


def store_photo(ctx: Ctx, step_id: str, photo: PhotoIn) -> dict[str, Any] | str:
    """Store a photo on the case at once; an error message when it cannot be used."""
    assert ctx.case is not None
    if photo.size > ctx.max_file_bytes:
        return ctx.tr._(
            "That file is too large ({size} MB). The limit is {limit} MB.",
            size=round(photo.size / 2**20, 1),
            limit=round(ctx.max_file_bytes / 2**20),
        )
    data, file_id = photo.data, photo.telegram_file_id
    mime = sniff_image_mime(data)
    if mime is None:
        return ctx.tr._(
            "That file is not a photo I can use. Please send a JPEG, PNG, WEBP or HEIC image."
        )
    stored = ctx.media.put_sync(data)
    row = cases.add_attachment(
        ctx.session,
        ctx.case,
        step_id,
        sha256=stored.sha256,
        size=stored.size,
        mime=mime,
        telegram_file_id=file_id,
        actor_id=ctx.staff_id,
        now=ctx.now,
    )
    return {"id": row.id, "sha256": stored.sha256}


def on_action(ctx: Ctx, action: str) -> None:
    book = playbook(ctx)
    assert ctx.conv.step_id is not None
    step = book.step(ctx.conv.step_id)
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
        io = StepIO(tr=ctx.tr, now=ctx.now, draft=dict(ctx.conv.draft))
        result = KINDS[step.kind].on_action(step, io, action)
        if result is None:
            ctx.say(ctx.tr._("That button is no longer active."))
            show_step(ctx, again=True)
        else:
            apply(ctx, step, io, result)


def apply(ctx: Ctx, step: Any, io: StepIO, result: Result) -> None:
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


def save(ctx: Ctx, step: Any, value: Any, *, skipped: bool = False) -> None:
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
    if not skipped and step.id in playbook(ctx).fulfilling_steps():
        cases.meet_deadlines(ctx.session, ctx.case, step.id, actor_id=ctx.staff_id, now=ctx.now)
    advance(ctx)


def advance(ctx: Ctx) -> None:
    book = playbook(ctx)
    answers = answers_on_path(ctx)
    following = next_step(book, ctx.conv.step_id, answers, ctx.site.settings)
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
    book = playbook(ctx)
    assert ctx.case is not None
    ctx.conv.screen = ScreenName.REVIEW
    ctx.conv.step_id = ctx.conv.path[-1] if ctx.conv.path else None
    ctx.conv.draft = {}
    answers = answers_on_path(ctx)
    lines = summary_lines(book, ctx.case, ctx.tr, answers, ctx.staff.name)
    parts = chunk(lines)
    for part in parts[:-1]:
        ctx.out.append(Outgoing(text=part))
    tr = ctx.tr
    text = parts[-1] + "\n\n" + tr._("Please check the report. Press “Confirm” to submit it.")
    screen = Screen(text=text, title=tr._("Review"))
    screen.row((tr._("✓ Confirm"), "confirm"))
    screen.row((tr._("← Back"), "back"), (tr._("✗ Cancel report"), "cancel"))
    ctx.show(screen)


def confirm(ctx: Ctx) -> None:
    assert ctx.case is not None
    cases.set_status(
        ctx.session, ctx.case, CaseStatus.COMPLETED, actor_id=ctx.staff_id, now=ctx.now
    )
    ctx.say(ctx.tr._("Report {number} is recorded. Thank you.", number=ctx.case.number))
    reset(ctx)


def cancel(ctx: Ctx) -> None:
    assert ctx.case is not None
    cases.set_status(
        ctx.session, ctx.case, CaseStatus.CANCELLED, actor_id=ctx.staff_id, now=ctx.now
    )
    ctx.say(
        ctx.tr._(
            "Report {number} is cancelled. It stays in the records as cancelled.",
            number=ctx.case.number,
        )
    )
    reset(ctx)


def reset(ctx: Ctx) -> None:
    conv = ctx.conv
    conv.case_id = None
    conv.screen = ScreenName.MENU
    conv.step_id = None
    conv.path = []
    conv.draft = {}
    ctx.case = None


def reconcile(ctx: Ctx) -> bool:
    """Bring an open report in line with its playbook when the site changed it meanwhile.

    Answers stay recorded; steps that no longer exist leave the path. True when the step the
    person was on is gone: they are then shown the next open question instead.
    """
    book, case, conv = playbook(ctx), ctx.case, ctx.conv
    assert case is not None
    if case.playbook_version != book.version:
        cases.add_event(
            ctx.session,
            case,
            "procedure_updated",
            actor_id=None,
            now=ctx.now,
            data={"from": case.playbook_version, "to": book.version},
        )
        case.playbook_version = book.version
        ctx.session.add(case)
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
        first = next_step(book, None, {}, ctx.site.settings)
        assert first is not None
        enter(ctx, first)
        return True
    conv.step_id = conv.path[-1]
    advance(ctx)
    return True
