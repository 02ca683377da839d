"""One case for whoever may see it: /case <number> and the buttons of the managers' lists show
its record (answers by section, photos as an album, places as pins, the timeline, alerts and
who acknowledged them) and its deadlines with whether each was met; /export <number> and the
"PDF" button send its report as a PDF document. Always to the reader's own chat."""

from __future__ import annotations

from dataclasses import replace

from bot.cases import service as cases
from bot.cases.models import Case
from bot.engine import case_record, case_view
from bot.engine.callbacks import RecordPress
from bot.engine.context import Ctx
from bot.engine.outgoing import Button, FileOut, Outgoing
from bot.escalation import service as alerts
from bot.reports import wording
from bot.reports.models import DeadlineRecord, Outcome
from bot.staff.access import may_see_case


def visible(ctx: Ctx, case: Case | None) -> bool:
    """Whether the reader may see ``case`` (the one rule, bot.staff.access.may_see_case)."""
    if case is None or case.id is None:
        return False
    roles, pinged = alerts.involvement(ctx.session, case.id)
    return may_see_case(ctx.staff, case, notified_roles=roles, pinged=pinged)


def by_number(ctx: Ctx, typed: str) -> Case | None:
    number = case_view.case_number(typed)
    if number is None:
        return None
    assert ctx.site.id is not None
    return cases.by_number(ctx.session, ctx.site.id, number)


def command(ctx: Ctx, args: str) -> None:
    """/case <number>."""
    if not args.strip():
        ctx.say(ctx.tr._("Which case? For example: /case 2612-003"))
        return
    show(ctx, by_number(ctx, args), args.strip()[:20])


def show(ctx: Ctx, case: Case | None, typed: str | None) -> None:
    if case is None or not visible(ctx, case):
        _unknown(ctx, typed)
        return
    out = case_view.record(ctx, case)
    out.append(
        Outgoing(
            text="\n".join(_deadline_lines(ctx, case)),
            buttons=((Button(ctx.tr._("📄 PDF report"), RecordPress(case.id or 0, "p").pack()),),),
            private=True,
        )
    )
    ctx.out.extend(out)


def export(ctx: Ctx, args: str) -> None:
    """/export <number>: the case's PDF report."""
    typed = args.strip()[:20]
    case = by_number(ctx, typed)
    if case is None or not visible(ctx, case):
        _unknown(ctx, typed or None)
        return
    send_pdf(ctx, case)


def on_press(ctx: Ctx, press: RecordPress) -> None:
    try:
        case: Case | None = cases.get(ctx.session, press.case)
    except LookupError:
        case = None
    if case is None or case.site_id != ctx.site.id or not visible(ctx, case):
        ctx.out.append(Outgoing(text="", notice=ctx.tr._("That is not a case you may see.")))
        return
    if press.act == "p":
        send_pdf(ctx, case)
    else:
        show(ctx, case, None)
    if ctx.out:
        ctx.out[0] = replace(ctx.out[0], notice=ctx.tr._("Case {n}", n=case.number))


def send_pdf(ctx: Ctx, case: Case) -> None:
    from bot.reports.pdf import case_pdf  # fpdf2's imports: not at start-up

    record = case_record.gather(
        ctx.session,
        case,
        site=ctx.site,
        registry=ctx.registry,
        media=ctx.media,
        tr=ctx.tr,
        now=ctx.now,
    )
    events = cases.timeline(ctx.session, case.id or 0)
    head = events[-1].hash if events else None
    tr, now = ctx.tr, ctx.now
    name = f"case-{case.number}.pdf"
    caption = tr._("Case report {number}", number=case.number)
    pdf = FileOut(
        name,
        caption=caption,
        make=lambda: case_pdf(record, tr, chain_head=head, generated_at=now),
    )
    ctx.out.append(Outgoing(text="", files=(pdf,), private=True))


def _deadline_lines(ctx: Ctx, case: Case) -> list[str]:
    tr = ctx.tr
    lines = [tr._("【Deadlines】")]
    for row in cases.deadlines(ctx.session, case.id or 0):
        if row.due_at is None:  # timed from an answer not given yet
            title = wording.pick(tr, row.title or row.key)
            lines.append(tr._("• {title}: not started yet", title=title))
            continue
        record = DeadlineRecord(
            title=row.title or row.key,
            due=row.due_at,
            met_at=row.met_at,
            late=None if row.met_at is not None else row.due_at < ctx.now,
        )
        title = wording.pick(tr, record.title)
        due = tr.datetime(row.due_at, "short")
        if record.outcome is Outcome.OVERDUE:
            state = tr._("overdue by {time}", time=tr.duration(ctx.now - row.due_at))
        elif record.outcome is Outcome.LATE and row.met_at is not None:
            state = tr._("met late, by {time}", time=tr.duration(row.met_at - row.due_at))
        else:
            state = wording.outcome(tr, record.outcome)
        lines.append(tr._("• {title} (due {due}): {state}", title=title, due=due, state=state))
    return lines if len(lines) > 1 else [*lines, tr._("none")]


def _unknown(ctx: Ctx, typed: str | None) -> None:
    if typed:
        ctx.say(ctx.tr._("There is no case {number} that you may see.", number=typed))
    else:
        ctx.say(ctx.tr._("That is not a case you may see."))
