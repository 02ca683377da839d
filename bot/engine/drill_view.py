"""``/drills``: the year's plan at a glance with its calendar (.ics), and one drill's screen:
who answered what and who did not, and, for coordinators, start, move and cancel."""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.drills import ics, scenarios
from bot.drills import service as drills
from bot.drills.access import may_coordinate, may_run
from bot.drills.messages import status_name, when
from bot.drills.models import Drill, DrillStatus, Rsvp
from bot.engine import drill_state
from bot.engine.context import Ctx
from bot.engine.outgoing import FileOut, Outgoing
from bot.engine.screen import Screen

LISTED = 12


def year_window(ctx: Ctx) -> tuple[datetime, datetime]:
    """From 1 January of this year (site time) to a year from now."""
    return drills.year_window(ctx.now, ZoneInfo(ctx.site.timezone))


def year(ctx: Ctx) -> None:
    """The year's plan: every drill, with its state and the answers so far."""
    tr = ctx.tr
    start, end = year_window(ctx)
    rows = drills.of_site(ctx.session, ctx.site.id or 0, start, end)
    drill_state.put(ctx, mode="list", ask=None)
    lines = [tr._("Drills from {start} to {end}:", start=start.year, end=end.year)] if rows else []
    if not rows:
        lines.append(tr._("No drill is planned yet."))
    screen = Screen(text="", title=tr._("🧯 Drills · {site}", site=ctx.site.name))
    # Buttons for the drills nearest now (a phone shows a dozen well), cancelled ones aside.
    live = [d for d in rows if d.status != DrillStatus.CANCELLED]
    near = sorted(live, key=lambda d: abs(d.starts_at - ctx.now))[:LISTED]
    for number, drill in enumerate(rows, 1):
        name = scenarios.name(drill.scenario, tr, ctx.registry)
        lines.append(
            f"{number}. {when(tr, drill)} · {name} · {escape(drill.place) or '—'} · "
            f"{status_name(tr, drill)}"
        )
        if drill in near:
            screen.row((tr._("Open {n}", n=number), f"drl:v:{drill.id}"))
    screen.text = "\n".join(lines)
    if may_coordinate(ctx.staff):
        screen.row((tr._("➕ Plan a drill"), "drl:new"))
    if rows:
        screen.row((tr._("📅 Calendar (.ics)"), "drl:ics"))
    screen.row((tr._("← Menu"), "menu:home"))
    ctx.show(screen)


def calendar(ctx: Ctx) -> None:
    tr = ctx.tr
    start, end = year_window(ctx)
    rows = drills.of_site(ctx.session, ctx.site.id or 0, start, end)
    data = calendar_bytes(ctx, rows)
    ctx.out.append(
        Outgoing(
            text=tr._("The drills as a calendar: open the file to add them to yours."),
            files=(FileOut(f"drills-{ctx.site.code}.ics", data),),
        )
    )
    year(ctx)


def calendar_bytes(ctx: Ctx, rows: list[Drill]) -> bytes:
    tr = ctx.tr
    titles = {
        d.id or 0: tr._("Drill: {name}", name=scenarios.name(d.scenario, tr, ctx.registry))
        for d in rows
    }
    described = {d.id or 0: "\n".join(x for x in (d.purpose, d.assumption) if x) for d in rows}
    return ics.calendar(
        rows, site_code=ctx.site.code, title_of=titles, describe=described, now=ctx.now
    )


def open_drill(ctx: Ctx, drill: Drill, *, intro: str | None = None) -> None:
    """One drill: its plan, the answers (and who did not answer), and what can be done."""
    tr = ctx.tr
    assert drill.id is not None
    drill_state.put(ctx, mode="view", id=drill.id, ask=None)
    name = scenarios.name(drill.scenario, tr, ctx.registry)
    lines = [intro] if intro else []
    lines += [
        tr._("When: {when}", when=when(tr, drill)),
        tr._("Place: {place}", place=escape(drill.place) or "—"),
        tr._("State: {state}", state=status_name(tr, drill)),
    ]
    if drill.every_months:
        lines.append(tr._("Every {n} months", n=drill.every_months))
    answers = drills.responses(ctx.session, drill.id)
    going: list[str] = []
    not_going: list[str] = []
    silent: list[str] = []
    for member in drills.participants(ctx.session, drill):
        row = answers.get(member.id or 0)
        target = silent
        if row is not None and row.answer == Rsvp.ATTEND:
            target = going
        elif row is not None and row.answer == Rsvp.DECLINE:
            target = not_going
        target.append(escape(member.name))
    lines += [
        "",
        tr._("✅ Will attend: {names}", names=tr.join(going) or "—"),
        tr._("❌ Cannot: {names}", names=tr.join(not_going) or "—"),
        tr._("❔ No answer yet: {names}", names=tr.join(silent) or "—"),
    ]
    screen = Screen(text="\n".join(lines), title=tr._("🧯 DRILL · {name}", name=name))
    if may_run(ctx.staff, drill):
        if drill.status == DrillStatus.PLANNED:
            screen.row((tr._("▶ Start the drill"), f"drl:start:{drill.id}"))
            screen.row(
                (tr._("📅 Move"), f"drl:move:{drill.id}"),
                (tr._("✗ Call off"), f"drl:off:{drill.id}"),
            )
            if drill.series_id is not None:
                screen.row((tr._("✗ Call off the rest of the series"), f"drl:offs:{drill.id}"))
        elif drill.status == DrillStatus.RUNNING:
            screen.row((tr._("▶ Continue recording"), f"drl:run:{drill.id}"))
    if drill.status == DrillStatus.DONE:
        screen.row((tr._("📄 Drill record (PDF)"), f"drl:pdf:{drill.id}"))
    screen.row((tr._("← Drills"), "drl:list"))
    ctx.show(screen)


def ask_move(ctx: Ctx, drill: Drill) -> None:
    tr = ctx.tr
    drill_state.put(ctx, mode="move", id=drill.id, ask="when")
    screen = Screen(
        text=tr._(
            "The new date and time ({zone}), e.g. 2026-12-08 15:00? Everyone concerned is told.",
            zone=ctx.site.timezone,
        ),
        title=tr._("📅 Move the drill"),
        expects="text",
    )
    screen.row((tr._("← Back"), f"drl:v:{drill.id}"))
    ctx.show(screen)


def move(ctx: Ctx, drill: Drill, moment: datetime) -> None:
    drills.reschedule(ctx.session, drill, moment, now=ctx.now)
    ctx.outbox = True
    open_drill(ctx, drill, intro=ctx.tr._("Moved. Everyone concerned is told."))


def call_off(ctx: Ctx, drill: Drill, *, series: bool) -> None:
    drills.cancel(ctx.session, drill, now=ctx.now, series=series)
    ctx.outbox = True
    open_drill(ctx, drill, intro=ctx.tr._("Called off. Everyone concerned is told."))


def record_pdf(ctx: Ctx, drill: Drill) -> None:
    from bot.drills import pdf as drill_pdf  # fpdf2's imports: not at start-up

    tr = ctx.tr
    data = drill_pdf.render(ctx.session, drill, tr, ctx.registry, ctx.media, now=ctx.now)
    local = drill.starts_at.astimezone(ZoneInfo(ctx.site.timezone))
    ctx.out.append(
        Outgoing(
            text=tr._("The drill record."),
            files=(FileOut(f"drill-{local:%Y%m%d}-{drill.id}.pdf", data),),
        )
    )
