"""/stats [week|month|year|YYYY-MM]: the site's numbers as a chart and as text; /export month
[YYYY-MM]: the month's cases as CSV. For managers, over their own site."""

from __future__ import annotations

from datetime import date, timedelta

from bot.engine import manager_lists
from bot.engine.context import Ctx
from bot.engine.outgoing import FileOut, Outgoing
from bot.engine.summary import chunk
from bot.managers.monthly import month_rows
from bot.managers.periods import Period, period_of
from bot.managers.stats import site_stats
from bot.reports import wording
from bot.reports.charts import month_chart, stats_text
from bot.reports.csv_export import cases_csv


def stats(ctx: Ctx, args: str) -> None:
    tr = ctx.tr
    if not manager_lists.allowed(ctx):
        manager_lists.refuse(ctx)
        return
    period = period_of(args, _today(ctx))
    if period is None:
        ctx.say(tr._("Which period? /stats week, /stats month, /stats year or /stats 2026-11"))
        return
    numbers = site_stats(ctx.session, ctx.site, ctx.registry, period, _label(ctx, period))
    caption = tr._("Statistics: {period}", period=_label(ctx, period) or _month(ctx, period))
    chart = FileOut(
        "statistics.png", image=True, caption=caption, make=lambda: month_chart(numbers, tr)
    )
    ctx.out.append(Outgoing(text="", files=(chart,)))
    for part in chunk(stats_text(numbers, tr)):
        ctx.out.append(Outgoing(text=part))


def export(ctx: Ctx, args: str) -> None:
    """/export month [YYYY-MM]."""
    tr = ctx.tr
    if not manager_lists.allowed(ctx):
        manager_lists.refuse(ctx)
        return
    period = period_of(args or "month", _today(ctx))
    if period is None or period.kind != "month":
        ctx.say(tr._("Which month? For example: /export month 2026-11"))
        return
    year, month = period.first.year, period.first.month
    rows = month_rows(ctx.session, ctx.site, ctx.registry, year, month, ctx.now)

    caption = tr.n_(
        "{n} case in {period}", "{n} cases in {period}", len(rows), period=_month(ctx, period)
    )
    name = f"cases-{year:04d}-{month:02d}.csv"
    csv_file = FileOut(name, caption=caption, make=lambda: cases_csv(rows, tr))
    ctx.out.append(Outgoing(text="", files=(csv_file,), private=True))


def _today(ctx: Ctx) -> date:
    return ctx.now.astimezone(ctx.tr.tz).date()


def _month(ctx: Ctx, period: Period) -> str:
    return wording.period(ctx.tr, period.first.year, period.first.month)


def _label(ctx: Ctx, period: Period) -> str:
    tr = ctx.tr
    last = period.end - timedelta(days=1)
    if period.kind == "week":
        return tr._(
            "{first} to {last}", first=wording.day(tr, period.first), last=wording.day(tr, last)
        )
    if period.kind == "year":
        return str(period.first.year)
    return ""
