"""Managers' lists in the chat: /today, /open, /overdue and /find, a page at a time.

Each line is a case with a button that opens it; "◀" and "▶" turn the page in place. The
buttons are presses of their own (``ListPress``, ``RecordPress``): they work in a managers'
group as in a private chat, leave the presser's report in progress alone, and every press
checks again that the presser may see the site's cases.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from bot.engine.callbacks import ListPress, RecordPress
from bot.engine.case_view import case_number, status_name
from bot.engine.context import Ctx
from bot.engine.outgoing import Button, Outgoing
from bot.i18n import N_
from bot.managers import service as queries
from bot.managers.periods import local_day, period_of
from bot.managers.service import Listed, Page, Search
from bot.staff.access import MANAGERS

TODAY, OPEN, OVERDUE = "t", "o", "v"
TITLES = {
    TODAY: N_("Opened today and still open"),
    OPEN: N_("Open cases"),
    OVERDUE: N_("Overdue deadlines"),
}
EMPTY = {
    TODAY: N_("Nothing was opened today and no case is open."),
    OPEN: N_("No case is open."),
    OVERDUE: N_("No deadline is overdue."),
}
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
MAX_WORDS = 6


def allowed(ctx: Ctx) -> bool:
    """Managers see every case of their own site."""
    return ctx.staff.active and bool(set(ctx.staff.roles) & MANAGERS)


def refuse(ctx: Ctx) -> None:
    ctx.say(
        ctx.tr._(
            "Sorry, the lists of cases are for managers. Your own reports are under “My "
            "reports” (/mine)."
        )
    )


def show(ctx: Ctx, view: str, page: int = 0, *, replace: bool = False) -> None:
    if not allowed(ctx):
        refuse(ctx)
        return
    assert ctx.site.id is not None
    session, site = ctx.session, ctx.site.id
    if view == TODAY:
        found = queries.today(session, site, ctx.now, ctx.site.timezone, page)
    elif view == OVERDUE:
        found = queries.overdue(session, site, ctx.now, page)
    else:
        view, found = OPEN, queries.open_cases(session, site, page)
    _list(ctx, ctx.tr._(TITLES[view]), found, view, ctx.tr._(EMPTY[view]), replace=replace)


def on_page(ctx: Ctx, press: ListPress) -> None:
    if press.view not in TITLES:
        ctx.out.append(Outgoing(text="", notice=ctx.tr._("That button is not valid.")))
        return
    if not allowed(ctx):
        ctx.out.append(Outgoing(text="", notice=ctx.tr._("These lists are for managers.")))
        return
    show(ctx, press.view, press.page, replace=True)


def find(ctx: Ctx, words: str) -> None:
    """/find: cases of the site whose number, reporter, procedure or answers hold every word,
    within the dates given (2026-11-05, 2026-11 or two of them for a span)."""
    tr = ctx.tr
    if not allowed(ctx):
        refuse(ctx)
        return
    search = parse_search(ctx, words)
    if search is None:
        ctx.say(
            tr._(
                "What should I look for? For example: /find wallet 2026-11, /find 李伟, "
                "/find 2026-11-01 2026-11-15 complaint"
            )
        )
        return
    assert ctx.site.id is not None
    found = queries.find(ctx.session, ctx.site.id, search)
    title = tr._("Found: {words}", words=words.strip()[:60])
    _list(ctx, title, found, None, tr._("No case matches."))
    if found.total > len(found.rows):
        ctx.say(tr._("The newest are shown; add words or dates to narrow it down."))
    if found.partial:
        ctx.say(
            tr._(
                "Only the newest {n} cases were searched; give dates (2026-05, or two days) to "
                "search further back.",
                n=tr.number(queries.SCAN),
            )
        )


def parse_search(ctx: Ctx, words: str) -> Search | None:
    folded = unicodedata.normalize("NFKC", words).strip()
    days: list[tuple[datetime, datetime]] = []
    terms: list[str] = []
    numbers: list[str] = []
    zone = ctx.site.timezone
    for token in folded.replace("..", " ").replace("～", " ").split():
        day, month = _DAY.match(token), _MONTH.match(token)
        number = case_number(token)
        try:
            if day is not None:
                days.append(local_day(date(*map(int, day.groups())), zone))
                continue
            if month is not None:
                period = period_of(token, ctx.now.date())
                if period is not None:
                    days.append(period.bounds(zone))
                    continue
        except ValueError:
            pass
        if number is not None:
            numbers.append(number)
        elif len(terms) < MAX_WORDS:
            terms.append(token)
    if not (days or terms or numbers):
        return None
    procedures = [tuple(book.id for book in ctx.registry.search(term)) for term in terms]
    return Search(
        words=tuple(terms),
        procedures=procedures,
        since=min(start for start, _ in days) if days else None,
        until=max(end for _, end in days) if days else None,
        numbers=tuple(numbers),
    )


def _list(
    ctx: Ctx, title: str, found: Page, view: str | None, empty: str, *, replace: bool = False
) -> None:
    tr = ctx.tr
    if not found.rows:
        ctx.out.append(Outgoing(text=empty, title=title, replace=replace))
        return
    lines = [
        tr.n_("{n} case", "{n} cases", found.total)
        if view != OVERDUE
        else tr.n_("{n} deadline", "{n} deadlines", found.total)
    ]
    start = found.page * found.size
    buttons: list[tuple[Button, ...]] = []
    for index, row in enumerate(found.rows, start=start + 1):
        lines.append(f"{index}. {_line(ctx, row)}")
        buttons.append((Button(f"📂 {index}. {row.number}", RecordPress(row.id, "r").pack()),))
    if found.pages > 1 and view is not None:
        lines.append(tr._("Page {page} of {pages}", page=found.page + 1, pages=found.pages))
        turn = []
        if found.page > 0:
            turn.append(Button(tr._("◀ Previous"), ListPress(view, found.page - 1).pack()))
        if found.page + 1 < found.pages:
            turn.append(Button(tr._("Next ▶"), ListPress(view, found.page + 1).pack()))
        buttons.append(tuple(turn))
    ctx.out.append(
        Outgoing(text="\n".join(lines), title=title, buttons=tuple(buttons), replace=replace)
    )


def _line(ctx: Ctx, row: Listed) -> str:
    tr = ctx.tr
    title = (
        tr.pick(ctx.registry.get(row.playbook_id).title)
        if row.playbook_id in ctx.registry
        else row.playbook_id
    )
    if row.due_at is not None:
        deadline = tr.pick(row.deadline) if row.deadline else "—"
        late = tr._("overdue by {time}", time=tr.duration(ctx.now - row.due_at))
        return f"{row.number} · {title} · {deadline} · {late}"
    when = tr.datetime(row.opened_at, "short")
    return f"{row.number} · {title} · {status_name(tr, row.status)} · {when} · {row.reporter}"
