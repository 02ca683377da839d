"""Presses under messages about drills: "I'll attend" / "I can't" and "Rectified". They work
whatever the person's own conversation is doing, and each re-checks who may do it: the token
names a delivery and carries its secret, and only that delivery's recipient may press it."""

from __future__ import annotations

import hmac

from bot.delivery import service as outbox
from bot.delivery.models import Delivery
from bot.drills import records
from bot.drills import service as drills
from bot.drills.messages import ATTEND, DECLINE, RECTIFIED, RSVP_MESSAGES
from bot.drills.models import DrillStatus, Rsvp
from bot.engine import drill_run
from bot.engine.callbacks import DrillPress
from bot.engine.context import Ctx
from bot.engine.outgoing import Outgoing


def _delivery(ctx: Ctx, press: DrillPress) -> Delivery | None:
    row = outbox.get(ctx.session, press.delivery)
    if row is None or not hmac.compare_digest(row.secret.encode(), press.secret.encode()):
        return None
    if row.site_id != ctx.staff.site_id or row.staff_id != ctx.staff.id or ctx.group_chat:
        return None
    return row


def _notice(ctx: Ctx, text: str) -> None:
    ctx.out.append(Outgoing(text="", notice=text))


def on_press(ctx: Ctx, press: DrillPress) -> None:
    tr = ctx.tr
    row = _delivery(ctx, press)
    drill = drills.get(ctx.session, int(row.params.get("drill", 0))) if row else None
    if row is None or drill is None:
        _notice(ctx, tr._("That button is not valid for you; nothing was changed."))
    elif press.choice in (ATTEND, DECLINE) and row.message in RSVP_MESSAGES:
        if drill.status != DrillStatus.PLANNED:
            _notice(ctx, tr._("This drill is no longer planned."))
            return
        answer = Rsvp.ATTEND if press.choice == ATTEND else Rsvp.DECLINE
        drills.respond(ctx.session, drill, ctx.staff_id, answer, now=ctx.now)
        ctx.outbox = True  # the person's copies show the answer
        if answer == Rsvp.ATTEND:
            _notice(ctx, tr._("Thank you: you will attend. The coordinator sees it."))
        else:
            _notice(ctx, tr._("Noted: you cannot attend. The coordinator sees it."))
    elif press.choice == RECTIFIED and row.message == "drill_fix":
        fix = records.shortcoming(ctx.session, int(row.params.get("fix", 0)))
        if fix is None or fix.owner_id != ctx.staff_id:
            _notice(ctx, tr._("That button is not valid for you; nothing was changed."))
        elif fix.done_at is not None:
            _notice(ctx, tr._("It is confirmed already."))
        elif ctx.conv.case_id is not None:
            _notice(ctx, tr._("Finish or leave your report first, then press the button again."))
        else:
            drill_run.ask_fix_photo(ctx, fix.id or 0)
    else:
        _notice(ctx, tr._("That button is not valid for you; nothing was changed."))
