"""A case gathered for its PDF report (:class:`bot.reports.models.CaseRecord`), in the reader's
language: answers by section as the summary shows them, photos on the path, places, the
timeline with who did what, deadlines and whether they were met, alerts and who acknowledged
them. Used by ``/export`` in the chat and ``dutybot export case`` on the command line."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.cases import service as cases
from bot.cases.models import Case, CaseEvent
from bot.engine.case_view import _event_text
from bot.engine.navigation import effective_answers
from bot.engine.summary import format_value
from bot.escalation import service as alerts
from bot.flows.registry import Registry
from bot.flows.schema import Playbook
from bot.i18n import N_, Translator
from bot.managers.stats import CATEGORY_STEPS, option_names
from bot.reports.models import (
    AlertRecord,
    AnswerLine,
    CaseRecord,
    DeadlineRecord,
    Photo,
    Place,
    Section,
    Text,
    TimelineEntry,
)
from bot.sites.models import Site
from bot.staff import service as staff_service
from bot.storage.media import MediaStore

# The lines a paper form of the group ends with, to be signed (catalog §2, §6: 值班人员 and the
# chief for incidents; 经办人 and the head of department for complaints).
SIGN_OFFS: dict[str, tuple[str, ...]] = {
    "complaints": (N_("Handled by"), N_("Head of department")),
    "drills": (N_("Drill coordinator"), N_("Security chief")),
}
DEFAULT_SIGN_OFFS = (N_("Person on duty"), N_("Security chief"))


def gather(
    session: Session,
    case: Case,
    *,
    site: Site,
    registry: Registry,
    media: MediaStore,
    tr: Translator,
    now: datetime,
) -> CaseRecord:
    assert case.id is not None
    book = registry.get(case.playbook_id) if case.playbook_id in registry else None
    current = cases.current_answers(session, case.id)
    stored = {step: (None if row.skipped else row.value) for step, row in current.items()}
    answers = effective_answers(book, stored, site.settings) if book is not None else stored
    events = cases.timeline(session, case.id)
    raised = alerts.of_case(session, case.id)
    people = staff_service.by_ids(
        session,
        [case.reporter_id]
        + [e.actor_id for e in events if e.actor_id is not None]
        + [i for e in events for i in e.data.get("staff", [])]
        + [a.acknowledged_by for a in raised if a.acknowledged_by is not None],
    )
    reporter = people[case.reporter_id].name if case.reporter_id in people else "?"
    category = next((answers[s] for s in CATEGORY_STEPS if answers.get(s)), None)
    return CaseRecord(
        number=case.number,
        procedure=book.title if book is not None else case.playbook_id,
        site_name=site.name,
        timezone=site.timezone,
        status=case.status,
        reporter=reporter,
        opened_at=case.opened_at,
        closed_at=case.closed_at,
        level=case.classification,
        category=option_names(registry).get(str(category)) if category else None,
        sections=_sections(book, tr, answers) if book is not None else (),
        photos=tuple(
            Photo(a.sha256, media.path_for(a.sha256))
            for a in cases.attachments(session, case.id)
            if a.step_id in answers
        ),
        places=tuple(_places(answers)),
        timeline=tuple(_timeline(tr, events, people, book)),
        deadlines=tuple(
            DeadlineRecord(
                title=d.title or d.key,
                due=d.due_at,
                met_at=d.met_at,
                late=None if d.met_at is not None else d.due_at < now,
            )
            for d in cases.deadlines(session, case.id)
            if d.due_at is not None  # a clock waiting for its start time has no due time yet
        ),
        alerts=tuple(
            AlertRecord(
                roles=tuple(a.roles),
                state=a.status,
                raised_at=a.raised_at,
                message=a.message,
                acknowledged_by=people[a.acknowledged_by].name
                if a.acknowledged_by in people
                else None,
                acknowledged_at=a.acknowledged_at,
            )
            for a in raised
        ),
        sign_offs=tuple(
            tr._(line) for line in SIGN_OFFS.get(book.group if book else "", DEFAULT_SIGN_OFFS)
        ),
    )


def _sections(book: Playbook, tr: Translator, answers: dict[str, Any]) -> tuple[Section, ...]:
    titles: dict[str, Text] = {section.id: section.title for section in book.sections}
    sections: list[Section] = []
    current: str | None = None
    lines: list[AnswerLine] = []

    def close() -> None:
        if lines:
            title = titles.get(current or "", "") if current else tr.pick(book.title)
            sections.append(Section(title=title or (current or ""), lines=tuple(lines)))

    for step in book.steps:
        if step.id not in answers:
            continue
        if step.section != current and (lines or step.section):
            close()
            lines = []
            current = step.section
        label = tr.pick(step.label or step.text)
        lines.append(AnswerLine(label, format_value(step, tr, answers[step.id])))
    close()
    return tuple(sections)


def _places(answers: dict[str, Any]) -> list[Place]:
    return [
        Place(value["lat"], value["lon"], value.get("title") or value.get("address") or "")
        for value in answers.values()
        if isinstance(value, dict) and "lat" in value and "lon" in value
    ]


_ROUTINE = {"answered": N_("answered: {step}"), "answer_changed": N_("changed the answer: {step}")}


def _timeline(
    tr: Translator, events: list[CaseEvent], people: dict[int, Any], book: Playbook | None
) -> list[TimelineEntry]:
    entries = []
    for event in events:
        who = people[event.actor_id].name if event.actor_id in people else "dutybot"
        if event.kind in _ROUTINE:
            step = _step_label(tr, book, event.step_id)
            what: str | None = tr._(_ROUTINE[event.kind], step=step)
        elif event.kind == "skipped":
            what = tr._("skipped: {step}", step=_step_label(tr, book, event.step_id))
        elif event.kind == "attachment_added":
            what = tr._("added a photo: {step}", step=_step_label(tr, book, event.step_id))
        else:
            what = _event_text(tr, event, people, book)
        if what:
            entries.append(TimelineEntry(event.at, who, what))
    return entries


def _step_label(tr: Translator, book: Playbook | None, step_id: str | None) -> str:
    if book is None or step_id is None:
        return step_id or "—"
    try:
        step = book.step(step_id)
    except KeyError:
        return step_id
    return tr.pick(step.label or step.text)
