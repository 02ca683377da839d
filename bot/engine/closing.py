"""Leaving a report: cancelled with its reason, or put down (submitted, set aside); the case
keeps everything recorded."""

from __future__ import annotations

from bot.cases import service as cases
from bot.cases.models import CaseStatus
from bot.deadlines import service as deadlines
from bot.engine.context import Ctx
from bot.engine.screen import ScreenName
from bot.i18n import N_, Translator

# The reasons a report is cancelled, by the id its ``cancelled`` event records. "other" asks
# for a few words of its own.
REASONS: dict[str, str] = {
    "false_alarm": N_("False alarm"),
    "duplicate": N_("Already reported (a duplicate)"),
    "mistake": N_("Started by mistake"),
    "other": N_("Another reason…"),
}
OTHER = "other"


def cancel(ctx: Ctx, reason: str, note: str | None = None) -> None:
    assert ctx.case is not None
    data = {"reason": reason, **({"note": note} if note else {})}
    cases.set_status(
        ctx.session, ctx.case, CaseStatus.CANCELLED, actor_id=ctx.staff_id, now=ctx.now, data=data
    )
    assert ctx.case.id is not None
    deadlines.stop_case(ctx.session, ctx.case.id, now=ctx.now, reason="cancelled")
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
    conv.task_id = None
    conv.screen = ScreenName.MENU
    conv.step_id = None
    conv.path = []
    conv.draft = {}
    ctx.case = None
    ctx.task = None
    ctx.answers_cache = None


def reason_text(tr: Translator, data: dict[str, object]) -> str | None:
    """The reason a ``cancelled`` event records, as its reader reads it."""
    reason, note = data.get("reason"), data.get("note")
    if reason == OTHER and isinstance(note, str) and note:
        return note
    if isinstance(reason, str) and reason in REASONS:
        return tr._(REASONS[reason])
    return None
