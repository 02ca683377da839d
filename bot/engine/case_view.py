"""A case's whole record for a reader: answers by section, photos, places, the timeline and
what became of its alerts. Shown to whoever :func:`bot.staff.access.may_see_case` allows."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Any

from bot.cases import service as cases
from bot.cases.models import STATUS_NAMES, Case, CaseEvent, CaseStatus
from bot.deadlines.messages import event_text as deadline_event_text
from bot.engine import sidetrip
from bot.engine.closing import reason_text
from bot.engine.context import Ctx
from bot.engine.incoming import Place
from bot.engine.navigation import effective_answers
from bot.engine.outgoing import Outgoing, PhotoOut
from bot.engine.summary import chunk, summary_lines
from bot.escalation import service as alerts
from bot.escalation.models import AlertStatus
from bot.flows.schema import Playbook
from bot.i18n import Translator
from bot.staff import service as staff_service
from bot.staff.roles import ROLES

MAX_TIMELINE = 60
MAX_PHOTOS = 30  # three albums; the rest are counted, not sent


def status_name(tr: Translator, status: str) -> str:
    return tr._(STATUS_NAMES[status]) if status in STATUS_NAMES else status


# A case number as people type it: 2612-003 (full-width digits and dash read the same).
CASE_NUMBER = re.compile(r"^\d{4}-\d{3,6}$")


def case_number(typed: str) -> str | None:
    """The case number someone typed, or None when it is not one."""
    folded = unicodedata.normalize("NFKC", typed).strip().replace("－", "-").replace("—", "-")
    return folded if CASE_NUMBER.match(folded) else None


def show(ctx: Ctx, case: Case | None, number: str | None) -> None:
    """Show a case's record to the person of ``ctx`` if they may see it; else one answer for a
    case that is not theirs to see and for one that does not exist, so nothing leaks: the
    number they typed, or (for a button) no number at all."""
    if case is not None and sidetrip.may_see(ctx, case):
        ctx.out.extend(record(ctx, case))
        return
    if number is None:
        ctx.say(ctx.tr._("That is not a case you may see."))
    else:
        ctx.say(ctx.tr._("There is no case {number} that you may see.", number=number))


def record(ctx: Ctx, case: Case) -> list[Outgoing]:
    """The messages that show ``case`` to the person of ``ctx``, in their language."""
    assert case.id is not None
    tr, session = ctx.tr, ctx.session
    stored = {
        step: (None if row.skipped else row.value)
        for step, row in (cases.current_answers(session, case.id)).items()
    }
    book = ctx.registry.get(case.playbook_id) if case.playbook_id in ctx.registry else None
    events = cases.timeline(session, case.id)
    people = staff_service.by_ids(
        session,
        [case.reporter_id]
        + [e.actor_id for e in events if e.actor_id is not None]
        + [i for e in events for i in e.data.get("staff", [])],
    )
    reporter = people[case.reporter_id].name if case.reporter_id in people else "?"
    if book is not None:
        answers = effective_answers(book, stored, ctx.site.settings)
        lines = summary_lines(book, case, tr, answers, reporter)
    else:
        answers = stored
        lines = [tr._("Case {number}", number=case.number), case.playbook_id]
    status = status_name(tr, case.status)
    reason = _cancel_reason(tr, events) if case.status == CaseStatus.CANCELLED else None
    lines.insert(1, tr._("Status: {status}", status=tr.aside(status, reason) if reason else status))
    lines += ["", tr._("【Alerts】"), *_alert_lines(ctx, case, people)]
    lines += ["", tr._("【Timeline】"), *_timeline(tr, events, people, book)]
    out = [Outgoing(text=part, private=True) for part in chunk(lines)]
    out[-1] = replace(out[-1], buttons=sidetrip.buttons(ctx, case))
    photos = [
        PhotoOut(a.sha256, a.telegram_file_id)
        for a in cases.attachments(session, case.id)
        if _on_path(a.step_id, answers)
    ]
    if photos:
        shown = tuple(photos[:MAX_PHOTOS])
        note = tr.n_("{n} photo", "{n} photos", len(photos))
        if len(photos) > MAX_PHOTOS:
            note += " " + tr._("(the first {n} are shown)", n=MAX_PHOTOS)
        out.append(Outgoing(text=note, photos=shown, private=True))
    for place in _places(answers):
        out.append(Outgoing(text="", place=place, private=True))
    return out


def _cancel_reason(tr: Translator, events: list[CaseEvent]) -> str | None:
    cancelled = [e for e in events if e.kind == CaseStatus.CANCELLED]
    return reason_text(tr, cancelled[-1].data) if cancelled else None


def _on_path(step_id: str, answers: dict[str, Any]) -> bool:
    return step_id in answers or step_id == sidetrip.NOTES_STEP


def _places(answers: dict[str, Any]) -> list[Place]:
    found = []
    for value in answers.values():
        if isinstance(value, dict) and "lat" in value and "lon" in value:
            found.append(
                Place(value["lat"], value["lon"], value.get("title"), value.get("address"))
            )
    return found


def _alert_lines(ctx: Ctx, case: Case, people: dict[int, Any]) -> list[str]:
    tr = ctx.tr
    assert case.id is not None
    lines = []
    for alert in alerts.of_case(ctx.session, case.id):
        named = tr.join([tr._(ROLES.get(r, r)) for r in alert.roles])
        if alert.status == AlertStatus.ACKNOWLEDGED and alert.acknowledged_at is not None:
            who = people.get(alert.acknowledged_by or 0)
            if who is None and alert.acknowledged_by is not None:
                found = staff_service.by_ids(ctx.session, [alert.acknowledged_by])
                who = found.get(alert.acknowledged_by)
            state = tr._(
                "acknowledged by {name} at {time}",
                name=who.name if who else "?",
                time=tr.datetime(alert.acknowledged_at, "short"),
            )
        elif alert.status == AlertStatus.UNANSWERED:
            state = tr._("nobody acknowledged")
        else:
            state = tr._("waiting for an acknowledgement")
        lines.append(f"• {named}: {state}")
    return lines or [tr._("none")]


# Answering is many small events; a run of them by one person reads as one line.
_ROUTINE = ("answered", "answer_changed", "skipped", "attachment_added", "action")


def _timeline(
    tr: Translator, events: list[CaseEvent], people: dict[int, Any], book: Playbook | None
) -> list[str]:
    lines = []
    run: list[CaseEvent] = []

    def flush() -> None:
        if not run:
            return
        answers = sum(e.kind != "attachment_added" and e.kind != "action" for e in run)
        photos = sum(e.kind == "attachment_added" for e in run)
        parts = []
        if answers:
            parts.append(tr.n_("answered {n} question", "answered {n} questions", answers))
        if photos:
            parts.append(tr.n_("added {n} photo", "added {n} photos", photos))
        if parts:
            span = tr.datetime(run[0].at, "short")
            if run[-1].at != run[0].at:
                span += "–" + tr.time(run[-1].at)
            lines.append(f"{span} · {_who(run[0], people)} · {tr.join(parts)}")
        run.clear()

    for event in events:
        if event.kind in _ROUTINE:
            if run and run[0].actor_id != event.actor_id:
                flush()
            run.append(event)
            continue
        flush()
        text = _event_text(tr, event, people, book)
        if text is not None:
            lines.append(f"{tr.datetime(event.at, 'short')} · {_who(event, people)} · {text}")
    flush()
    if len(lines) > MAX_TIMELINE:
        hidden = len(lines) - MAX_TIMELINE
        lines = [
            tr.n_("… {n} earlier entry", "… {n} earlier entries", hidden),
            *lines[-MAX_TIMELINE:],
        ]
    return lines


def _who(event: CaseEvent, people: dict[int, Any]) -> str:
    return people[event.actor_id].name if event.actor_id in people else "dutybot"


def _names(tr: Translator, event: CaseEvent, people: dict[int, Any]) -> str:
    names = [people[i].name for i in event.data.get("staff", []) if i in people]
    names += [str(chat) for chat in event.data.get("chats", [])]
    return tr.join(names) or "—"


def _event_text(
    tr: Translator, event: CaseEvent, people: dict[int, Any], book: Playbook | None
) -> str | None:
    data, kind = event.data, event.kind
    role = tr._(ROLES.get(data.get("role", ""), data.get("role", "")))
    texts: dict[str, str] = {
        "opened": tr._("opened the case"),
        "alert_raised": tr._("pinged {names}", names=_names(tr, event, people)),
        "alert_escalated": tr._(
            "nobody acknowledged in time; escalated to {names}", names=_names(tr, event, people)
        ),
        "alert_repeated": tr._("pinged {names} again", names=_names(tr, event, people)),
        "alert_acknowledged": tr._("acknowledged the alert"),
        "alert_unanswered": tr._("nobody acknowledged the alert; its chain has ended"),
        "completed": tr._("submitted the report"),
        "reported": tr._("submitted the report"),
        "in_follow_up": tr._("the follow-up began"),
        "task_created": tr._("a task went to the {role}", role=role),
        "close_task_created": tr._("the {role} was asked to close the case", role=role),
        "task_started": tr._("took the task of the {role}", role=role),
        "task_handed": tr._(
            "handed the task of the {role} to {names}", role=role, names=_names(tr, event, people)
        ),
        "task_done": tr._("finished the part of the {role}", role=role),
        "close_task_done": tr._("finished the closing task"),
        "closed": tr._("closed the case"),
        "note": tr._("noted: {text}", text=str(data.get("text", ""))),
        "cancelled": tr._("cancelled the report"),
        "cancelled_why": tr._("cancelled the report: {reason}", reason=reason_text(tr, data) or ""),
        "classified": tr._("classified it as {level}", level=str(data.get("to"))),
        "deadline_met": tr._("met the deadline “{key}” late", key=str(data.get("key")))
        if data.get("late")
        else tr._("met the deadline “{key}”", key=str(data.get("key"))),
        "procedure_updated": tr._("the procedure was updated"),
    }
    if kind == "alert_gap":
        if data.get("gap") == "rota":
            return tr._("nobody on duty as {role}; the alert went on up the chain", role=role)
        return tr._("nobody holds the role {role}; the alert went on up the chain", role=role)
    reason = reason_text(tr, data) if kind == "cancelled" else None
    if reason:
        return tr._("cancelled the report: {reason}", reason=reason)
    if kind == "closed" and data.get("note"):
        return tr._("closed the case: {note}", note=str(data["note"]))
    if kind == "reopened":
        return tr._("reopened the case: {reason}", reason=str(data.get("reason", "")))
    return texts.get(kind) or deadline_event_text(tr, kind, data)
