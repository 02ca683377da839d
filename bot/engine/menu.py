"""Screens outside a report: the main menu, choosing a procedure, my reports, resuming."""

from __future__ import annotations

from bot.cases import service as cases
from bot.conversations import service as conversations
from bot.drills.access import may_coordinate
from bot.engine import case_view, manager_chat, manager_lists, work
from bot.engine.answers import stored_answers
from bot.engine.case_view import status_name
from bot.engine.context import Ctx
from bot.engine.navigation import effective_answers, progress
from bot.engine.screen import Screen, ScreenName
from bot.flows.groups import GROUPS
from bot.flows.schema import Playbook
from bot.staff.access import is_admin


def home(ctx: Ctx) -> None:
    tr = ctx.tr
    ctx.conv.screen = ScreenName.MENU
    screen = Screen(
        text=tr._("What do you need? You can also type what happened, e.g. “wallet stolen”."),
        title=tr._("dutybot · {site}", site=ctx.site.name),
    )
    screen.row((tr._("📝 Report an incident"), "menu:report"))
    for parked in conversations.parked(ctx.session, ctx.staff_id)[:3]:
        case = cases.get(ctx.session, parked.case_id)
        screen.row(
            (tr._("▶ Continue {number} (set aside)", number=case.number), f"work:{parked.work}")
        )
    waiting = work.waiting_count(ctx)
    tasks_label = tr._("📋 My tasks ({n})", n=waiting) if waiting else tr._("📋 My tasks")
    screen.row((tr._("📂 My reports"), "menu:mine"), (tasks_label, "menu:tasks"))
    screen.row((tr._("🔔 My alerts"), "menu:alerts"), (tr._("🗓 On duty"), "menu:duty"))
    if may_coordinate(ctx.staff):
        screen.row((tr._("🧯 Drills"), "drl:list"))
    if is_admin(ctx.staff):
        screen.row((tr._("🔑 Staff access"), "admin:home"))
    if manager_lists.allowed(ctx):
        screen.row((tr._("📋 Cases today"), "mgr:t"), (tr._("⏰ Overdue"), "mgr:v"))
    ctx.show(screen)


def pick(ctx: Ctx, books: list[Playbook] | None = None, *, intro: str | None = None) -> None:
    """Choose a procedure: first its group (a short list on a phone), or from search results."""
    tr = ctx.tr
    ctx.conv.screen = ScreenName.PICK
    everything = ctx.registry.all()
    groups = [g for g in GROUPS if any(b.group == g for b in everything)]
    lines = [intro] if intro else []
    lines.append(tr._("Choose the procedure, or type a few words to find it."))
    screen = Screen(text="\n".join(lines), title=tr._("Report an incident"))
    if books is None and len(groups) > 1:
        for group in groups:
            screen.row((_group_name(ctx, group, icon=True), f"grp:{group}"))
    else:
        shown = everything if books is None else books
        for group in GROUPS:
            for book in sorted((b for b in shown if b.group == group), key=lambda b: b.id):
                screen.row((f"{_group_name(ctx, group)} · {tr.pick(book.title)}", f"pb:{book.id}"))
        if books is not None and len(books) < len(everything):
            screen.row((tr._("All procedures"), "menu:report"))
    screen.row((tr._("← Menu"), "menu:home"))
    ctx.show(screen)


def pick_in_group(ctx: Ctx, group: str) -> None:
    """The procedures of one group, by title."""
    tr = ctx.tr
    members = sorted((b for b in ctx.registry.all() if b.group == group), key=lambda b: b.id)
    if group not in GROUPS or not members:
        pick(ctx)
        return
    ctx.conv.screen = ScreenName.PICK
    screen = Screen(
        text=tr._("Choose the procedure, or type a few words to find it."),
        title=_group_name(ctx, group, icon=True),
    )
    for book in members:
        screen.row((tr.pick(book.title), f"pb:{book.id}"))
    screen.row((tr._("← All groups"), "menu:report"), (tr._("← Menu"), "menu:home"))
    ctx.show(screen)


def _group_name(ctx: Ctx, group: str, *, icon: bool = False) -> str:
    name = ctx.tr._(GROUPS[group].label)
    return f"{GROUPS[group].icon} {name}" if icon else name


def search(ctx: Ctx, words: str) -> None:
    """Typed words outside a report: a case number opens that case; else they find procedures."""
    if manager_chat.typed(ctx, words):  # managers' phrases ("今天的案件") and their cases
        return
    number = case_view.case_number(words)
    if number is not None:
        open_number(ctx, number)
        return
    found = ctx.registry.search(words)
    tr = ctx.tr
    if not found:
        pick(ctx, intro=tr._("No procedure matches “{words}”.", words=words.strip()[:60]))
    else:
        pick(ctx, found)


def open_number(ctx: Ctx, number: str) -> None:
    """A case by the number someone typed, at their own site, if they may see it; then the
    screen they were on again, its buttons below the record."""
    assert ctx.site.id is not None
    case_view.show(ctx, cases.by_number(ctx.session, ctx.site.id, number), number)
    if ctx.conv.screen == ScreenName.PICK:
        pick(ctx)
    else:
        home(ctx)


def open_listed(ctx: Ctx, case_id: str) -> None:
    """A case pressed in "My reports" (its access is checked again: roles change)."""
    try:
        case = cases.get(ctx.session, int(case_id))
    except (LookupError, ValueError):
        case = None
    case_view.show(ctx, case if case is not None and case.site_id == ctx.site.id else None, None)
    mine(ctx)  # the list again, below the record


def mine(ctx: Ctx) -> None:
    tr = ctx.tr
    rows = cases.by_reporter(ctx.session, ctx.staff_id, limit=10, site_id=ctx.site.id)
    if not rows:
        text = tr._("You have not reported anything yet.")
    else:
        lines = [tr._("Your latest reports:")]
        for case in rows:
            title = (
                tr.pick(ctx.registry.get(case.playbook_id).title)
                if case.playbook_id in ctx.registry
                else case.playbook_id
            )
            status = status_name(tr, case.status)
            lines.append(
                f"{case.number} · {title} · {status} · {tr.datetime(case.opened_at, 'short')}"
            )
        text = "\n".join(lines)
    screen = Screen(text=text, title=tr._("My reports"))
    for case in rows:
        screen.row((f"📂 {case.number}", f"case:{case.id}"))
    screen.row((tr._("← Menu"), "menu:home"))
    ctx.conv.screen = ScreenName.MENU
    ctx.show(screen)


def resume_offer(ctx: Ctx) -> None:
    """A report is in progress: offer to continue it (after a restart, a /start, a stray tap)."""
    tr = ctx.tr
    assert ctx.case is not None
    book = ctx.registry.get(ctx.case.playbook_id)
    where = ""
    if ctx.conv.screen == ScreenName.STEP and ctx.conv.step_id:
        answers = effective_answers(book, stored_answers(ctx), ctx.site.settings)
        n, total = progress(book, ctx.conv.step_id, answers, ctx.site.settings, ctx.part)
        step = tr._("(step {n} of {total})", n=n, total=total)
        where = step if tr.chinese else " " + step
    if ctx.task is None:
        text = tr._(
            "Report {number} ({title}) is in progress{where}.",
            number=ctx.case.number,
            title=tr.pick(book.title),
            where=where,
        )
    else:
        text = tr._(
            "Your part of case {number} ({title}) is in progress{where}.",
            number=ctx.case.number,
            title=tr.pick(book.title),
            where=where,
        )
    screen = Screen(
        text=text,
        title=tr._("Continue?"),
    )
    screen.row((tr._("▶ Continue"), "resume"))
    if ctx.task is None:
        screen.row((tr._("📝 Report something else (this one waits)"), "aside:report"))
        screen.row((tr._("✗ Cancel report"), "cancel"))
    else:
        screen.row((tr._("⏸ Later"), "aside:menu"))
    ctx.show(screen)
