"""/duty: who holds each duty now, and the week's rota, for everyone at the site."""

from __future__ import annotations

from datetime import timedelta

from bot.engine import current
from bot.engine.context import Ctx
from bot.engine.screen import Screen, ScreenName
from bot.rota import schedule
from bot.rota import service as rota
from bot.staff import service as staff_service
from bot.staff.roles import ROLES


def show(ctx: Ctx) -> None:
    tr, site, session = ctx.tr, ctx.site, ctx.session
    assert site.id is not None
    shifts = rota.shifts(session, site.id)
    swaps = rota.swaps(session, site.id, after=ctx.now)
    roles = sorted({s.role for s in shifts} | {s.role for s in swaps})
    people = staff_service.by_ids(
        session, [s.staff_id for s in shifts] + [s.staff_id for s in swaps]
    )

    def names(ids: list[int]) -> str:
        return tr.join(people[i].name for i in ids if i in people) if ids else ""

    lines: list[str] = []
    if not roles:
        lines.append(
            tr._(
                "No duty rota is set for this site. Administrators set it with “dutybot rota add”."
            )
        )
    week_start = ctx.now
    for role in roles:
        role_shifts = [s for s in shifts if s.role == role]
        role_swaps = [s for s in swaps if s.role == role]
        now_on = schedule.on_duty(role_shifts, role_swaps, ctx.now, site.timezone)
        lines.append(f"【{tr._(ROLES.get(role, role))}】")
        if now_on:
            lines.append(tr._("On duty now: {names}", names=names(now_on)))
        else:
            lines.append(tr._("On duty now: nobody (the rota has a hole)"))
        change = schedule.next_change(role_shifts, role_swaps, ctx.now, site.timezone)
        if change is not None:
            after = schedule.on_duty(role_shifts, role_swaps, change, site.timezone)
            lines.append(
                tr._(
                    "From {time}: {names}",
                    time=tr.datetime(change, "short"),
                    names=names(after) or tr._("nobody"),
                )
            )
        for day in range(7):
            today = [s for s in role_shifts if s.weekday == day]
            if today:
                spans = "; ".join(
                    f"{schedule.clock_text(s.start)}–{schedule.clock_text(s.end)} "
                    f"{people[s.staff_id].name if s.staff_id in people else '?'}"
                    for s in today
                )
                lines.append(f"  {tr.weekday(day)}: {spans}")
        for swap in role_swaps:
            if swap.starts_at < week_start + timedelta(days=14):
                who = people[swap.staff_id].name if swap.staff_id in people else "?"
                lines.append(
                    "  "
                    + tr._(
                        "Swap: {name} {start} – {end}",
                        name=who,
                        start=tr.datetime(swap.starts_at, "short"),
                        end=tr.datetime(swap.ends_at, "short"),
                    )
                )
        holes = schedule.holes(
            role_shifts, role_swaps, ctx.now, ctx.now + timedelta(days=7), site.timezone
        )
        if holes:
            first, until = holes[0]
            lines.append(
                "  "
                + tr._(
                    "⚠ Nobody on duty from {start} to {end}",
                    start=tr.datetime(first, "short"),
                    end=tr.datetime(until, "short"),
                )
            )
    title = tr._("On duty · {site}", site=site.name)
    if ctx.case is not None:  # a report is open: say it, then show the question again
        ctx.say(f"{title}\n\n" + "\n".join(lines))
        current.show(ctx)
        return
    screen = Screen(text="\n".join(lines), title=title)
    screen.row((tr._("← Menu"), "menu:home"))
    ctx.conv.screen = ScreenName.MENU
    ctx.show(screen)
