"""Presses on pings: "Acknowledge" and "Open case". They work whatever the person's own
conversation is doing, and each press re-checks who may do it: the token names a delivery and
carries its secret, nothing more."""

from __future__ import annotations

import hmac
from dataclasses import replace

from bot.cases import service as cases
from bot.delivery import service as outbox
from bot.delivery.models import Delivery
from bot.engine import case_view, sidetrip
from bot.engine.callbacks import AckPress, OpenPress
from bot.engine.context import Ctx
from bot.engine.outgoing import Button, Outgoing
from bot.escalation import service as alerts
from bot.staff import service as staff_service


def delivery_for(ctx: Ctx, delivery_id: int, secret: str) -> Delivery | None:
    """The delivery a press names, if the token is genuine and the presser is its recipient:
    the person it was sent to, or anyone of the site in the group chat it was sent to."""
    row = outbox.get(ctx.session, delivery_id)
    if row is None or not hmac.compare_digest(row.secret.encode(), secret.encode()):
        return None
    if row.site_id != ctx.staff.site_id:
        return None
    if row.staff_id is not None:
        return row if row.staff_id == ctx.staff.id and ctx.group_chat is None else None
    return row if row.chat_id is not None and row.chat_id == ctx.group_chat else None


def _refuse(ctx: Ctx) -> None:
    text = ctx.tr._("That button is not valid for you; nothing was changed.")
    ctx.out.append(Outgoing(text="", notice=text))


def on_acknowledge(ctx: Ctx, press: AckPress) -> None:
    row = delivery_for(ctx, press.delivery, press.secret)
    alert = alerts.get(ctx.session, row.alert_id) if row and row.alert_id else None
    if alert is None:
        _refuse(ctx)
        return
    tr = ctx.tr
    case = cases.get(ctx.session, alert.case_id)
    if alerts.acknowledge(ctx.session, alert, case, by=ctx.staff_id, now=ctx.now):
        ctx.outbox = True  # every copy of the ping is edited to say who and when
        notice = tr._("Acknowledged. Everyone pinged now sees that you have it.")
    else:
        by = staff_service.get(ctx.session, alert.acknowledged_by or 0)
        assert alert.acknowledged_at is not None
        notice = tr._(
            "{name} acknowledged it already, at {time}.",
            name=by.name if by else "?",
            time=tr.time(alert.acknowledged_at),
        )
    ctx.out.append(Outgoing(text="", notice=notice))


def on_open(ctx: Ctx, press: OpenPress) -> None:
    row = delivery_for(ctx, press.delivery, press.secret)
    if row is None or row.case_id is None:
        _refuse(ctx)
        return
    case = cases.get(ctx.session, row.case_id)
    if not sidetrip.may_see(ctx, case):
        _refuse(ctx)
        return
    ctx.out.extend(case_view.record(ctx, case))
    if ctx.out:
        ctx.out[0] = replace(ctx.out[0], notice=ctx.tr._("Case {n}", n=case.number))


def waiting(ctx: Ctx) -> None:
    """/alerts: the person's pings nobody has acknowledged yet, each with its buttons."""
    tr = ctx.tr
    rows = alerts.waiting_for(ctx.session, ctx.staff_id)
    if not rows:
        ctx.say(tr._("No alert is waiting for you."))
        return
    lines, buttons = [tr._("Alerts waiting for an acknowledgement:")], []
    for number, (delivery, alert) in enumerate(rows, 1):
        case = cases.get(ctx.session, alert.case_id)
        title = (
            tr.pick(ctx.registry.get(case.playbook_id).title)
            if case.playbook_id in ctx.registry
            else case.playbook_id
        )
        when = tr.datetime(alert.raised_at, "short")
        lines.append(f"{number}. {case.number} · {title} · {when}")
        assert delivery.id is not None
        buttons.append(
            (
                Button(
                    tr._("✅ Acknowledge {n}", n=number),
                    AckPress(delivery.id, delivery.secret).pack(),
                ),
                Button(
                    tr._("📂 Open {n}", n=number), OpenPress(delivery.id, delivery.secret).pack()
                ),
            )
        )
    ctx.out.append(Outgoing(text="\n".join(lines), buttons=tuple(buttons)))
