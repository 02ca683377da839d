"""Several pieces of work at once: a report or a task set aside to do something else (a fire in
the middle of a theft report), the list of what waits (/tasks), and taking one up again exactly
where it stood. Nothing recorded is touched by setting work aside."""

from __future__ import annotations

from bot.cases import service as cases
from bot.cases.models import Case, CaseStatus
from bot.conversations import service as conversations
from bot.conversations.models import ParkedWork
from bot.engine import cancel, closing
from bot.engine.context import Ctx
from bot.engine.screen import Screen, ScreenName
from bot.staff.access import may_work_on
from bot.staff.roles import ROLES
from bot.tasks import service as tasks
from bot.tasks.models import LIVE_STATES, Task, TaskKind, TaskState

MAX_LISTED = 12


def current_key(ctx: Ctx) -> str | None:
    if ctx.conv.case_id is None:
        return None
    return conversations.work_key(ctx.conv.case_id, ctx.conv.task_id)


def set_aside(ctx: Ctx) -> str | None:
    """Park the report or task in hand where it stands; its key (None: nothing was in hand)."""
    if ctx.case is None:
        return None
    if ctx.conv.screen == ScreenName.CANCEL or cancel.asking_note(ctx):
        ctx.conv.screen = cancel.leave(ctx)  # not cancelling it after all
    key = conversations.park(ctx.session, ctx.conv, ctx.now)
    closing.reset(ctx)
    return key


def _title(ctx: Ctx, case: Case) -> str:
    if case.playbook_id in ctx.registry:
        return ctx.tr.pick(ctx.registry.get(case.playbook_id).title)
    return case.playbook_id


def describe(ctx: Ctx, case: Case, task: Task | None) -> str:
    """One line naming a piece of work: "2612-003 · Lost property · Security chief's part"."""
    tr = ctx.tr
    line = f"{case.number} · {_title(ctx, case)}"
    if task is None:
        return line + " · " + tr._("your report")
    role = tr._(ROLES.get(task.role, task.role))
    if task.kind == TaskKind.CLOSE:
        return line + " · " + tr._("to close ({role})", role=role)
    return line + " · " + tr._("part of the {role}", role=role)


def _open_for(ctx: Ctx, key: str) -> tuple[Case, Task | None] | str:
    """The case (and task) behind ``key`` if the person may take it up now; else why not."""
    tr = ctx.tr
    kind, _, ident = key[:1], None, key[1:]
    if kind not in ("r", "t") or not ident.isdigit():
        return tr._("That is no longer there.")
    if kind == "r":
        try:
            case = cases.get(ctx.session, int(ident))
        except LookupError:
            return tr._("That is no longer there.")
        if not may_work_on(ctx.staff, case) or case.status != CaseStatus.IN_PROGRESS:
            return tr._("Report {number} is no longer in progress.", number=case.number)
        return case, None
    task = tasks.get(ctx.session, int(ident))
    if task is None:
        return tr._("That is no longer there.")
    case = cases.get(ctx.session, task.case_id)
    if case.site_id != ctx.staff.site_id or not tasks.may_take(task, ctx.staff_id, ctx.staff.roles):
        if task.state == TaskState.DONE:
            return tr._("That task of case {number} is done already.", number=case.number)
        if task.state not in LIVE_STATES:
            return tr._("Case {number} was closed; its task is over.", number=case.number)
        return tr._("That task of case {number} is someone else's now.", number=case.number)
    return case, task


def take_up(ctx: Ctx, key: str) -> None:
    """Go on with a report or task: from where it was set aside, else from its start. Whatever
    was in hand is set aside first."""
    from bot.engine import current, followup, menu

    if key == current_key(ctx):
        current.resume(ctx)
        return
    found = _open_for(ctx, key)
    if isinstance(found, str):
        ctx.say(found)
        conversations.forget_work(ctx.session, staff_id=ctx.staff_id, key=key)
        if ctx.case is None:
            show(ctx)
        else:
            current.show(ctx)
        return
    case, task = found
    if task is not None and task.kind == TaskKind.CLOSE:
        followup.ask_close(ctx, case, task)
        return
    if task is not None and not tasks.start(
        ctx.session, case, task, staff_id=ctx.staff_id, now=ctx.now
    ):
        ctx.say(ctx.tr._("Someone else took that task a moment ago."))
        if ctx.case is None:
            menu.home(ctx)
        else:
            current.show(ctx)
        return
    if task is not None:
        followup.started(ctx, case, task)
    set_aside(ctx)
    parked = conversations.unpark(ctx.session, ctx.staff_id, key)
    conv = ctx.conv
    conv.case_id, conv.task_id = case.id, task.id if task is not None else None
    ctx.case, ctx.task, ctx.answers_cache = case, task, None
    if parked is None:
        if task is not None:
            followup.begin_part(ctx)
        else:
            conv.screen, conv.step_id, conv.path, conv.draft = ScreenName.STEP, None, [], {}
            current.resume(ctx)
        return
    _restore(ctx, parked)
    from bot.engine import report

    if not report.reconcile(ctx):
        current.resume(ctx)


def _restore(ctx: Ctx, parked: ParkedWork) -> None:
    conv = ctx.conv
    conv.screen, conv.step_id = parked.screen, parked.step_id
    conv.path, conv.draft = list(parked.path), dict(parked.draft)
    ctx.say(ctx.tr._("Back to {work}, where you left it.", work=describe(ctx, ctx.case, ctx.task)))  # type: ignore[arg-type]


def waiting_count(ctx: Ctx) -> int:
    """How much work waits for the person: set aside, held, or open for their roles."""
    parked = conversations.parked(ctx.session, ctx.staff_id)
    held = tasks.held_by(ctx.session, ctx.staff_id)
    assert ctx.site.id is not None
    open_ = tasks.waiting_for_roles(ctx.session, ctx.site.id, ctx.staff.roles)
    keys = {p.work for p in parked} | {f"t{t.id}" for t in held + open_}
    keys.discard(current_key(ctx) or "")
    return len(keys)


def show(ctx: Ctx) -> None:
    """/tasks: what is in hand, what was set aside, tasks held and tasks open for one's roles."""
    tr = ctx.tr
    session = ctx.session
    assert ctx.site.id is not None
    now_key = current_key(ctx)
    entries: list[tuple[str, str, str]] = []  # (heading, key, line)
    seen = {now_key}
    for parked in conversations.parked(session, ctx.staff_id):
        found = _open_for(ctx, parked.work)
        if isinstance(found, str):
            conversations.forget_work(session, staff_id=ctx.staff_id, key=parked.work)
            continue
        seen.add(parked.work)
        entries.append((tr._("Set aside"), parked.work, describe(ctx, *found)))
    own = [t for t in tasks.held_by(session, ctx.staff_id) if f"t{t.id}" not in seen]
    for task in own:
        seen.add(f"t{task.id}")
        case = cases.get(session, task.case_id)
        entries.append((tr._("Yours"), f"t{task.id}", describe(ctx, case, task)))
    for task in tasks.waiting_for_roles(session, ctx.site.id, ctx.staff.roles):
        if f"t{task.id}" in seen:
            continue
        case = cases.get(session, task.case_id)
        entries.append((tr._("For your role"), f"t{task.id}", describe(ctx, case, task)))
    lines: list[str] = []
    if ctx.case is not None:
        lines.append(tr._("Now: {work}", work=describe(ctx, ctx.case, ctx.task)))
    heading = None
    for number, (head, _key, line) in enumerate(entries[:MAX_LISTED], 1):
        if head != heading:
            heading = head
            lines += ["", f"【{head}】"]
        lines.append(f"{number}. {line}")
    if not entries:
        lines.append(tr._("Nothing else waits for you."))
    elif len(entries) > MAX_LISTED:
        lines.append(tr._("… and {n} more.", n=len(entries) - MAX_LISTED))
    screen = Screen(text="\n".join(lines).strip(), title=tr._("My tasks"))
    for number, (_head, key, line) in enumerate(entries[:MAX_LISTED], 1):
        screen.row((f"▶ {number}. {line.split(' · ')[0]}", f"work:{key}"))
    if ctx.case is not None:
        screen.row((tr._("▶ Continue {number}", number=ctx.case.number), "resume"))
        screen.row((tr._("📝 Report something else (this one waits)"), "aside:report"))
    else:
        screen.row((tr._("← Menu"), "menu:home"))
    ctx.conv.screen = ScreenName.TASKS if ctx.case is not None else ScreenName.MENU
    ctx.show(screen)
