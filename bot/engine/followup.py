"""A case after its reporter submits it: the parts its procedure gives other roles become tasks,
each announced to the people who hold the role; the last part done hands the case to the role
that closes it; a closed case can be reopened. Every step is on the case's timeline."""

from __future__ import annotations

from bot.cases import service as cases
from bot.cases.models import Case, CaseStatus
from bot.conversations import service as conversations
from bot.deadlines import service as deadlines
from bot.delivery import service as outbox
from bot.delivery.models import DeliveryKind
from bot.engine import closing
from bot.engine.answers import answers_on_path, playbook
from bot.engine.callbacks import TaskPress
from bot.engine.context import Ctx
from bot.engine.navigation import next_step
from bot.engine.screen import ScreenName
from bot.escalation import service as escalation
from bot.escalation.hours import quiet_until
from bot.flows.schema import Playbook
from bot.staff.access import MANAGERS
from bot.staff.models import Staff
from bot.staff.roles import ROLES
from bot.tasks import service as tasks
from bot.tasks.models import Task, TaskKind, TaskState

# The messages a task's holders are sent (bot/tasks/messages.py draws them).
TASK_MESSAGE = "task"
CLOSED_MESSAGE = "case_closed"


def closers(book: Playbook | None) -> frozenset[str]:
    """Roles that may close a case of ``book``: the ones it names, and the site's managers."""
    return frozenset(book.closed_by if book is not None else ()) | MANAGERS


def may_close(member: Staff, case: Case, book: Playbook | None) -> bool:
    return (
        member.active and member.site_id == case.site_id and bool(set(member.roles) & closers(book))
    )


def _book(ctx: Ctx, case: Case) -> Playbook | None:
    return ctx.registry.get(case.playbook_id) if case.playbook_id in ctx.registry else None


def _role(ctx: Ctx, role: str) -> str:
    return ctx.tr._(ROLES.get(role, role))


# --- submitting -----------------------------------------------------------------------------


def submit(ctx: Ctx) -> None:
    """The reporter confirmed the report: it is reported; the roles with a part on its path
    get their tasks, else the role that closes it is asked to."""
    from bot.engine import menu

    case, book = ctx.case, playbook(ctx)
    assert case is not None
    answers = answers_on_path(ctx)
    cases.set_status(ctx.session, case, CaseStatus.REPORTED, actor_id=ctx.staff_id, now=ctx.now)
    ctx.say(ctx.tr._("Report {number} is recorded. Thank you.", number=case.number))
    closing.reset(ctx)
    if case.is_drill:  # a rehearsal: nobody real is given follow-up work
        menu.home(ctx)
        return
    task = next_stage(ctx, case, book, answers, after=None)
    if task is not None:
        ctx.say(ctx.tr._("It goes on to the {roles} for follow-up.", roles=_role(ctx, task.role)))
        menu.home(ctx)
    else:
        to_closing(ctx, case, book)


def next_stage(
    ctx: Ctx, case: Case, book: Playbook, answers: dict[str, object], *, after: int | None
) -> Task | None:
    """The task of the next stage of the follow-up with a step on the case's path (after the
    stage ``after``, or the first), created and announced; None when no stage is left."""
    start = 0 if after is None else after + 1
    for number in range(start, len(book.stages)):
        stage = book.stages[number]
        if next_step(book, None, answers, ctx.site.settings, stage.steps) is None:
            continue  # none of its steps is on this case's path
        task = tasks.create(
            ctx.session,
            case,
            kind=TaskKind.PART,
            role=stage.role,
            actor_id=None,
            now=ctx.now,
            stage=number,
        )
        announce(ctx, case, task)
        return task
    return None


def announce(
    ctx: Ctx,
    case: Case,
    task: Task,
    *,
    to: list[int] | None = None,
    handed_by: int | None = None,
) -> None:
    """Tell the people a task is for (everyone holding its role, or ``to``). Non-urgent: held
    by the site's quiet hours. Nobody to tell: the site's admins are told."""
    assert task.id is not None and case.id is not None and ctx.site.id is not None
    people = to if to is not None else tasks.people_for(ctx.session, ctx.site, task.role, ctx.now)
    people = [p for p in people if p != ctx.staff_id]
    if not people and to is None and ctx.staff.id is not None and task.role in ctx.staff.roles:
        return  # the person doing this holds the role: it is in their /tasks
    if not people:
        escalation.tell_admins(
            ctx.session,
            ctx.site,
            key=f"task_nobody:{task.id}",
            message="task_nobody",
            params={"task": task.id, "role": task.role, "case": case.id},
            now=ctx.now,
            case_id=case.id,
        )
        ctx.outbox = True
        return
    held = quiet_until(ctx.now, ctx.site.timezone, ctx.chains.quiet(ctx.site.code))
    params: dict[str, object] = {"task": task.id}
    if handed_by is not None:
        params["handed_by"] = handed_by
    # One announcement per person per moment; a hand-off is another one.
    stamp = f"{int(ctx.now.timestamp())}" + (f":h{handed_by}" if handed_by is not None else "")
    for staff_id in people:
        outbox.enqueue(
            ctx.session,
            key=f"task:{task.id}:s{staff_id}:{stamp}",
            site_id=ctx.site.id,
            kind=DeliveryKind.TASK,
            message=TASK_MESSAGE,
            params=params,
            now=ctx.now,
            staff_id=staff_id,
            case_id=case.id,
            due=held,
        )
    ctx.outbox = True


def restyle(ctx: Ctx, case: Case) -> None:
    """The case's tasks changed: every task message sent about it is drawn again."""
    assert case.id is not None
    if outbox.restyle_messages(ctx.session, case.id, TASK_MESSAGE, now=ctx.now):
        ctx.outbox = True


# --- a part --------------------------------------------------------------------------------


def started(ctx: Ctx, case: Case, task: Task | None = None) -> None:
    """A task of the case was taken: the case is in follow-up; its messages say who has it;
    the clocks of the task's role are now that person's."""
    assert case.id is not None
    if task is not None:
        deadlines.assign(ctx.session, case.id, role=task.role, staff_id=ctx.staff_id, now=ctx.now)
    if case.status == CaseStatus.REPORTED:
        cases.set_status(
            ctx.session, case, CaseStatus.IN_FOLLOW_UP, actor_id=ctx.staff_id, now=ctx.now
        )
    restyle(ctx, case)


def begin_part(ctx: Ctx) -> None:
    """The task in hand, from its start: what it is about, then its first open question."""
    from bot.engine import report
    from bot.tasks.messages import part_titles

    case, task = ctx.case, ctx.task
    assert case is not None and task is not None
    book = playbook(ctx)
    lines = [
        ctx.tr._(
            "Case {number} · your part as {role}:",
            number=case.number,
            role=_role(ctx, task.role),
        )
    ]
    lines += [f"• {title}" for title in part_titles(book, ctx.part, ctx.tr)]
    ctx.say("\n".join(lines))
    report.start_part(ctx)


def finish_part(ctx: Ctx) -> None:
    """The holder confirmed their part: the task is done; the last part done moves the case on
    to closing."""
    from bot.engine import menu

    case, task = ctx.case, ctx.task
    assert case is not None and task is not None
    book = playbook(ctx)
    answers = answers_on_path(ctx)
    tasks.finish(ctx.session, case, task, by=ctx.staff_id, now=ctx.now)
    ctx.say(ctx.tr._("Your part of case {number} is recorded. Thank you.", number=case.number))
    restyle(ctx, case)
    closing.reset(ctx)
    following = next_stage(ctx, case, book, answers, after=task.stage)
    if following is not None:
        ctx.say(
            ctx.tr._(
                "Case {number} goes on to the {role}.",
                number=case.number,
                role=_role(ctx, following.role),
            )
        )
        menu.home(ctx)
    else:
        to_closing(ctx, case, book)


def to_closing(ctx: Ctx, case: Case, book: Playbook) -> None:
    """Nothing more is asked of anyone: the roles that close the case get a task to close it;
    a person who may close it now is asked at once."""
    from bot.engine import menu

    for role in book.closed_by:
        task = tasks.create(
            ctx.session, case, kind=TaskKind.CLOSE, role=role, actor_id=None, now=ctx.now
        )
        announce(ctx, case, task)
    if may_close(ctx.staff, case, book):
        ask_close(ctx, case, None)
    else:
        if book.closed_by:
            ctx.say(
                ctx.tr._(
                    "The {roles} will review and close case {number}.",
                    roles=ctx.tr.join([_role(ctx, r) for r in book.closed_by]),
                    number=case.number,
                )
            )
        menu.home(ctx)


# --- closing and reopening ------------------------------------------------------------------


def ask_close(ctx: Ctx, case: Case, task: Task | None) -> None:
    """Close the case? A side trip: what was in hand is set aside and comes back after."""
    from bot.engine import sidetrip

    book = _book(ctx, case)
    if not may_close(ctx.staff, case, book) or case.status not in (
        CaseStatus.REPORTED,
        CaseStatus.IN_FOLLOW_UP,
    ):
        ctx.say(ctx.tr._("Case {number} cannot be closed by you now.", number=case.number))
        sidetrip.back(ctx, None)
        return
    if task is not None and task.state == TaskState.OPEN:
        tasks.start(ctx.session, case, task, staff_id=ctx.staff_id, now=ctx.now)
        started(ctx, case, task)
    sidetrip.begin(ctx, "closing", case)


def close(ctx: Ctx, case: Case, note: str | None) -> None:
    """Close the case: its open tasks end, what anyone set aside of it is dropped, and its
    reporter is told."""
    assert case.id is not None and ctx.site.id is not None
    cases.set_status(
        ctx.session,
        case,
        CaseStatus.CLOSED,
        actor_id=ctx.staff_id,
        now=ctx.now,
        data={"note": note} if note else None,
    )
    tasks.cancel_live(ctx.session, case, now=ctx.now)
    deadlines.stop_case(ctx.session, case.id, now=ctx.now, reason="closed")
    conversations.forget_work(ctx.session, case_id=case.id)
    restyle(ctx, case)
    if case.reporter_id != ctx.staff_id:
        outbox.enqueue(
            ctx.session,
            key=f"closed:{case.id}:{int(ctx.now.timestamp())}:s{case.reporter_id}",
            site_id=ctx.site.id,
            kind=DeliveryKind.NOTICE,
            message=CLOSED_MESSAGE,
            params={"case": case.id, "by": ctx.staff_id, **({"note": note} if note else {})},
            now=ctx.now,
            staff_id=case.reporter_id,
            case_id=case.id,
        )
        ctx.outbox = True
    ctx.say(ctx.tr._("Case {number} is closed.", number=case.number))


def reopen(ctx: Ctx, case: Case, reason: str) -> None:
    """A closed case is open again, with the reason; the roles that close it are asked again."""
    cases.set_status(
        ctx.session,
        case,
        CaseStatus.IN_FOLLOW_UP,
        actor_id=ctx.staff_id,
        now=ctx.now,
        data={"reason": reason},
        event="reopened",
    )
    ctx.say(ctx.tr._("Case {number} is open again.", number=case.number))
    book = _book(ctx, case)
    for role in book.closed_by if book is not None else ():
        task = tasks.create(
            ctx.session, case, kind=TaskKind.CLOSE, role=role, actor_id=None, now=ctx.now
        )
        announce(ctx, case, task)


# --- the buttons under a task's message -----------------------------------------------------


def on_press(ctx: Ctx, press: TaskPress) -> None:
    """ "Start" or "Hand to…" under a task's message; the press names a delivery and carries its
    secret, the task is read from the delivery and who may take it is checked now."""
    from bot.engine import alerts, current, work

    row = alerts.delivery_for(ctx, press.delivery, press.secret)
    task = tasks.get(ctx.session, int(row.params.get("task", 0))) if row is not None else None
    if task is None or row is None or row.message != TASK_MESSAGE:
        ctx.notice = ctx.tr._("That button is not valid for you; nothing was changed.")
        current.show(ctx)
        return
    if press.op == TaskPress.HAND:
        offer_hand(ctx, task)
    else:
        work.take_up(ctx, f"t{task.id}")


def offer_hand(ctx: Ctx, task: Task) -> None:
    """Whom the task can be handed to: the site's other holders of its role."""
    from bot.engine import current
    from bot.engine.screen import Screen

    tr = ctx.tr
    case = cases.get(ctx.session, task.case_id)
    if not tasks.may_take(task, ctx.staff_id, ctx.staff.roles):
        ctx.say(tr._("That task of case {number} is not yours to hand on.", number=case.number))
        current.show(ctx)
        return
    people = tasks.colleagues(ctx.session, task.site_id, task.role, besides=ctx.staff_id)
    if not people:
        ctx.say(tr._("Nobody else at this site holds the role {role}.", role=_role(ctx, task.role)))
        current.show(ctx)
        return
    from bot.staff import service as staff_service

    named = staff_service.by_ids(ctx.session, people)
    screen = Screen(
        text=tr._(
            "Hand the task of case {number} ({role}) to:",
            number=case.number,
            role=_role(ctx, task.role),
        ),
        title=tr._("Hand to…"),
    )
    for staff_id in people:
        if staff_id in named:
            screen.row((named[staff_id].name, f"hand:{task.id}.{staff_id}"))
    screen.row((tr._("← Back"), "hand:back"))
    if ctx.case is None:
        ctx.conv.screen = ScreenName.MENU
    ctx.show(screen)


def hand(ctx: Ctx, argument: str) -> None:
    """A person chosen on the "Hand to…" screen."""
    from bot.engine import current, menu

    tr = ctx.tr
    task_id, _, staff_id = argument.partition(".")
    task = tasks.get(ctx.session, int(task_id)) if task_id.isdigit() else None
    if task is None or not staff_id.isdigit():
        current.show(ctx)
        return
    to = int(staff_id)
    case = cases.get(ctx.session, task.case_id)
    if (
        not tasks.may_take(task, ctx.staff_id, ctx.staff.roles)
        or to not in tasks.colleagues(ctx.session, task.site_id, task.role, besides=ctx.staff_id)
        or not tasks.hand(ctx.session, case, task, to=to, by=ctx.staff_id, now=ctx.now)
    ):
        ctx.say(
            tr._(
                "That task of case {number} changed meanwhile; nothing was handed.",
                number=case.number,
            )
        )
        current.show(ctx)
        return
    assert task.id is not None
    conversations.forget_work(ctx.session, task_id=task.id, besides=to)
    if ctx.conv.task_id == task.id:
        closing.reset(ctx)
    announce(ctx, case, task, to=[to], handed_by=ctx.staff_id)
    restyle(ctx, case)
    from bot.staff import service as staff_service

    named = staff_service.by_ids(ctx.session, [to])
    ctx.say(
        tr._(
            "Handed to {name}; they are told now.",
            name=named[to].name if to in named else "?",
        )
    )
    if ctx.case is None:
        menu.home(ctx)
    else:
        current.show(ctx)
