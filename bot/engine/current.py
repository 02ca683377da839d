"""Showing a person where they are: after a stray message, a stale button, /help, a restart."""

from __future__ import annotations

from bot.engine import cancel, menu, report, sidetrip, work
from bot.engine.context import Ctx
from bot.engine.screen import ScreenName
from bot.engine.step_screen import show_step


def show(ctx: Ctx) -> None:
    screen = ctx.conv.screen
    if ctx.case is None:
        if screen == ScreenName.PICK:
            menu.pick(ctx)
        elif screen in sidetrip.SCREENS.values():
            sidetrip.show(ctx)
        else:
            menu.home(ctx)
    elif cancel.asking_note(ctx):
        cancel.show_note(ctx)
    elif screen == ScreenName.STEP:
        show_step(ctx)
    elif screen == ScreenName.REVIEW:
        report.review(ctx)
    elif screen == ScreenName.CANCEL:
        cancel.offer(ctx)
    elif screen == ScreenName.TASKS:
        work.show(ctx)
    else:
        menu.resume_offer(ctx)


def resume(ctx: Ctx) -> None:
    """Continue the report in progress where it stopped (not cancelling it after all)."""
    if ctx.conv.screen == ScreenName.CANCEL or cancel.asking_note(ctx):
        ctx.conv.screen = cancel.leave(ctx)
    if ctx.conv.screen == ScreenName.REVIEW:
        report.review(ctx)
    elif ctx.conv.step_id is not None:
        ctx.conv.screen = ScreenName.STEP
        show_step(ctx)
    else:
        report.advance(ctx)
