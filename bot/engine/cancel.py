"""Cancelling a report: why (a false alarm, a duplicate, entered by mistake, or in a few
words), kept on the case's timeline and in its record."""

from __future__ import annotations

from bot.engine import closing, menu
from bot.engine.closing import OTHER, REASONS
from bot.engine.context import Ctx
from bot.engine.incoming import Incoming, Kind
from bot.engine.screen import Screen, ScreenName

NOTE_LIMIT = 200
# In the draft while the person types the reason (the question they were on stays as it was).
_NOTE = "_cancel_note"
_BACK = "_back"


def offer(ctx: Ctx) -> None:
    """Cancel this report? Pressing a reason cancels it; "No, continue" goes back."""
    tr = ctx.tr
    assert ctx.case is not None
    draft = {k: v for k, v in ctx.conv.draft.items() if k != _NOTE}
    if _BACK not in draft:
        draft[_BACK] = ctx.conv.screen
    ctx.conv.draft = draft
    ctx.conv.screen = ScreenName.CANCEL
    text = tr.sentences(
        tr._(
            "Cancel report {number}? Everything recorded is kept; the case is marked cancelled.",
            number=ctx.case.number,
        ),
        tr._("Why is it cancelled?"),
    )
    screen = Screen(text=text, title=tr._("Cancel report"))
    for reason, label in REASONS.items():
        screen.row((tr._(label), f"cancel:{reason}"))
    screen.row((tr._("No, continue"), "cancel:no"))
    ctx.show(screen)


def ask_note(ctx: Ctx) -> None:
    """ "Another reason": typed, in a few words. The report's question screen takes the text."""
    ctx.conv.draft = {**ctx.conv.draft, _NOTE: True}
    ctx.conv.screen = ScreenName.STEP
    show_note(ctx)


def asking_note(ctx: Ctx) -> bool:
    return ctx.conv.screen == ScreenName.STEP and bool(ctx.conv.draft.get(_NOTE))


def show_note(ctx: Ctx, *, again: bool = False) -> None:
    tr = ctx.tr
    assert ctx.case is not None
    screen = Screen(
        text=tr._(
            "Why is report {number} cancelled? Type it in a few words (up to {limit} characters).",
            number=ctx.case.number,
            limit=NOTE_LIMIT,
        ),
        title=tr._("Cancel report"),
        expects="text",
    )
    screen.row((tr._("← Back"), "cancel:again"), (tr._("No, continue"), "cancel:no"))
    ctx.show(screen, again=again)


def on_note(ctx: Ctx, incoming: Incoming) -> None:
    """What the person typed (or sent) while asked for the reason."""
    note = incoming.text.strip() if incoming.kind is Kind.TEXT else ""
    if not note:
        ctx.say(ctx.tr._("Please type the reason in a few words."))
    elif len(note) > NOTE_LIMIT:
        ctx.say(
            ctx.tr._(
                "That is {length} characters; the limit is {limit}. Please shorten it.",
                length=len(note),
                limit=NOTE_LIMIT,
            )
        )
    else:
        finish(ctx, OTHER, note)
        return
    show_note(ctx, again=True)


def finish(ctx: Ctx, reason: str, note: str | None = None) -> None:
    closing.cancel(ctx, reason, note)
    menu.home(ctx)


def leave(ctx: Ctx) -> str:
    """Not cancelling after all: the screen to go back to (the draft is the question's again)."""
    back = str(ctx.conv.draft.get(_BACK, ScreenName.STEP))
    ctx.conv.draft = {k: v for k, v in ctx.conv.draft.items() if k not in (_BACK, _NOTE)}
    return back
