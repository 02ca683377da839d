"""A step's actions: notify roles, set the classification, open a deadline.

Each action runs once per case (keyed by step and position), recorded on the timeline. A notify
action raises an alert: its first pings are outbox rows written in this same transaction, and
the scheduler climbs the site's chain when nobody acknowledges.
"""

from __future__ import annotations

from typing import Any

from bot.cases import service as cases
from bot.deadlines import service as deadlines
from bot.engine.brief import brief
from bot.engine.context import Ctx
from bot.engine.steps.base import StepBase
from bot.escalation import service as alerts
from bot.flows.conditions import evaluate
from bot.flows.schema import ClassifyAction, DeadlineAction, NotifyAction


def run_actions(ctx: Ctx, step: StepBase, answers: dict[str, Any]) -> None:
    if not step.actions or ctx.case is None:
        return
    case = ctx.case
    assert case.id is not None
    done = cases.actions_done(ctx.session, case.id)
    for index, action in enumerate(step.actions):
        key = f"{step.id}#{index}"
        if key in done or not evaluate(action.when, answers, ctx.site.settings):
            continue
        data: dict[str, Any] = {"key": key}
        if isinstance(action, NotifyAction):
            book = ctx.registry.get(case.playbook_id)
            alert = alerts.raise_alert(
                ctx.session,
                case=case,
                site=ctx.site,
                step_id=step.id,
                roles=list(action.notify),
                message=dict(action.message or step.label or step.text),
                facts=brief(book, answers),
                chain=ctx.chains.chain_name(ctx.site.code, book.group, action.chain),
                urgent=action.urgent,
                actor_id=ctx.staff_id,
                now=ctx.now,
                settings=ctx.chains,
            )
            ctx.outbox = True
            data.update(type="notify", roles=list(action.notify), alert=alert.id)
        elif isinstance(action, ClassifyAction):
            cases.set_classification(
                ctx.session,
                case,
                action.classify,
                actor_id=ctx.staff_id,
                step_id=step.id,
                now=ctx.now,
            )
            data.update(type="classify", to=action.classify)
        elif isinstance(action, DeadlineAction):
            spec = action.deadline
            row_d = deadlines.open_deadline(
                ctx.session,
                case,
                key=spec.key,
                title=dict(spec.title),
                roles=list(spec.roles),
                now=ctx.now,
                clock=spec.clock,
                after=spec.after,
                kind=spec.kind,
                start_step=spec.start,
                until_step=spec.until,
                owner_role=spec.owner,
            )
            due = row_d.due_at.isoformat() if row_d.due_at else None
            data.update(type="deadline", deadline=row_d.id, due_at=due)
        cases.add_event(
            ctx.session,
            case,
            "action",
            actor_id=ctx.staff_id,
            step_id=step.id,
            now=ctx.now,
            data=data,
        )
