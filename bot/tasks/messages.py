"""What a task's message says: the case, what is asked of the role, and the task as it stands
now (taken, done, handed on), rendered each time it is sent or edited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from bot.cases import service as cases
from bot.delivery.models import Delivery
from bot.engine.brief import brief
from bot.engine.callbacks import OpenPress, TaskPress
from bot.engine.outgoing import Button, Outgoing
from bot.engine.steps import KINDS
from bot.flows.schema import Playbook
from bot.i18n import Translator
from bot.sites.models import Site
from bot.staff import service as staff_service
from bot.staff.roles import ROLES
from bot.tasks import service as tasks
from bot.tasks.models import LIVE_STATES, TaskKind, TaskState

if TYPE_CHECKING:
    from bot.delivery.messages import Renderer


def part_titles(book: Playbook, part: frozenset[str], tr: Translator) -> list[str]:
    """What a part is about: the titles of its sections (or of its steps without one)."""
    titles = {section.id: section.title for section in book.sections}
    named: list[str] = []
    for step in book.steps:
        if step.id not in part:
            continue
        text = tr.pick(titles[step.section]) if step.section in titles else None
        text = text or tr.pick(step.label or step.text)
        if text not in named:
            named.append(text)
    return named


def _task(
    renderer: Renderer, session: Session, row: Delivery, site: Site, tr: Translator
) -> Outgoing | None:
    task = tasks.get(session, int(row.params["task"]))
    if task is None or row.id is None:
        return None
    case = cases.get(session, task.case_id)
    book = (
        renderer.registry.get(case.playbook_id) if case.playbook_id in renderer.registry else None
    )
    procedure = tr.pick(book.title) if book else case.playbook_id
    role = tr._(ROLES.get(task.role, task.role))
    if task.kind == TaskKind.CLOSE:
        lines = [
            tr._("Case {number} is ready to be closed ({role}).", number=case.number, role=role)
        ]
        lines.append(tr._("Review the record and close the case, or reopen work on it."))
    else:
        lines = [
            tr._("A follow-up task of case {number} for the {role}:", number=case.number, role=role)
        ]
        if book is not None:
            stage = task.stage if task.stage is not None and task.stage < len(book.stages) else None
            if stage is not None:
                lines += [f"• {t}" for t in part_titles(book, book.stages[stage].steps, tr)]
    reporter = staff_service.get(session, case.reporter_id)
    lines += [
        "",
        tr._(
            "Reported by {name}, {time}.",
            name=reporter.name if reporter else "?",
            time=tr.datetime(case.reported_at or case.opened_at, "short"),
        ),
    ]
    if book is not None:
        lines += _facts(book, session, case.id or 0, tr)
    handed_by = row.params.get("handed_by")
    if handed_by is not None and task.holder_id == row.staff_id:
        giver = staff_service.get(session, int(handed_by))
        lines += ["", tr._("{name} handed it to you.", name=giver.name if giver else "?")]
    open_button = Button(tr._("📂 Open case"), OpenPress(row.id, row.secret).pack())
    state = _state_line(session, task, row, tr)
    if state is not None:
        lines += ["", state]
        buttons: tuple[tuple[Button, ...], ...] = ((open_button,),)
    else:
        start = Button(tr._("▶ Start"), TaskPress(row.id, row.secret, TaskPress.START).pack())
        hand = Button(tr._("↪ Hand to…"), TaskPress(row.id, row.secret, TaskPress.HAND).pack())
        buttons = ((start, hand), (open_button,))
    return Outgoing(
        text="\n".join(lines),
        title=tr._("📋 {procedure} · {number}", procedure=procedure, number=case.number),
        buttons=buttons,
    )


def _facts(book: Playbook, session: Session, case_id: int, tr: Translator) -> list[str]:
    answers = {
        k: (None if r.skipped else r.value)
        for k, r in cases.current_answers(session, case_id).items()
    }
    lines = []
    for step_id, value in brief(book, answers):
        step = book.step(step_id)
        shown = KINDS[step.kind].format(step, tr, value)
        lines.append(f"• {tr.pick(step.label or step.text)[:60]}: {shown}")
    return lines


def _state_line(session: Session, task: Any, row: Delivery, tr: Translator) -> str | None:
    """How the task stands, when it is no longer this recipient's to start; None while it is."""
    if task.state == TaskState.DONE:
        who = staff_service.get(session, task.holder_id or 0)
        return tr._(
            "✅ Done by {name} at {time}.",
            name=who.name if who else "?",
            time=tr.datetime(task.done_at, "short"),
        )
    if task.state not in LIVE_STATES:
        return tr._("The case was closed; nothing more to do.")
    if task.holder_id is not None and task.holder_id != row.staff_id:
        who = staff_service.get(session, task.holder_id)
        if task.state == TaskState.STARTED:
            return tr._(
                "▶ {name} is on it since {time}.",
                name=who.name if who else "?",
                time=tr.datetime(task.started_at, "short"),
            )
        return tr._("↪ Handed to {name}.", name=who.name if who else "?")
    return None


def _closed(
    renderer: Renderer, session: Session, row: Delivery, site: Site, tr: Translator
) -> Outgoing | None:
    case = cases.get(session, int(row.params["case"]))
    book = (
        renderer.registry.get(case.playbook_id) if case.playbook_id in renderer.registry else None
    )
    closer = staff_service.get(session, int(row.params["by"]))
    text = tr._(
        "Case {number} ({procedure}), which you reported, was closed by {name}.",
        number=case.number,
        procedure=tr.pick(book.title) if book else case.playbook_id,
        name=closer.name if closer else "?",
    )
    note = row.params.get("note")
    if note:
        text += "\n" + tr._("Closing note: {note}", note=note)
    assert row.id is not None
    return Outgoing(
        text=text,
        title=tr._("✔ Case closed"),
        buttons=((Button(tr._("📂 Open case"), OpenPress(row.id, row.secret).pack()),),),
    )


def _nobody(
    renderer: Renderer, session: Session, row: Delivery, site: Site, tr: Translator
) -> Outgoing | None:
    case = cases.get(session, int(row.params["case"]))
    role = tr._(ROLES.get(row.params["role"], row.params["role"]))
    return Outgoing(
        text=tr._(
            "Nobody at {site} holds the role {role}, so the follow-up task of case {number} "
            "reached nobody. Please invite someone for the role (/invite).",
            site=site.name,
            role=role,
            number=case.number,
        ),
        title=tr._("⚠ A task reached nobody"),
    )


RENDERERS = {"task": _task, "case_closed": _closed, "task_nobody": _nobody}
