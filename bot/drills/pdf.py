"""The drill record (演练记录) as a PDF: the drill's rows turned into a
:class:`bot.reports.models.DrillRecord` and laid out by :func:`bot.reports.pdf.drill_pdf`."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.drills import records, scenarios
from bot.drills import service as drills
from bot.drills.models import Drill
from bot.flows.registry import Registry
from bot.i18n import Translator
from bot.reports.models import DrillRecord, DrillRole, DrillStep, Photo, Shortcoming
from bot.reports.pdf import drill_pdf
from bot.sites import service as sites
from bot.staff import service as staff_service
from bot.storage.media import MediaStore


def record(
    session: Session, drill: Drill, tr: Translator, registry: Registry, media: MediaStore
) -> DrillRecord:
    """What the PDF shows, read from the drill's rows, in the reader's language."""
    assert drill.id is not None
    site = sites.get(session, drill.site_id)
    people = drills.participants(session, drill)
    names = {s.id: s.name for s in people}

    def name(staff_id: int | None) -> str:
        if staff_id is None:
            return ""
        if staff_id not in names:
            member = staff_service.get(session, staff_id)
            names[staff_id] = member.name if member else "?"
        return names[staff_id]

    answers = drills.responses(session, drill.id)
    present = [s.name for s in people if answers.get(s.id or 0) and answers[s.id or 0].present]
    absent = [s.name for s in people if s.name not in present]
    participants = tr.join(s.name for s in people) or "—"
    if any(a.present is not None for a in answers.values()):
        participants = tr._(
            "Present: {present}. Absent: {absent}.",
            present=tr.join(present) or "—",
            absent=tr.join(absent) or "—",
        )
    organisation = [DrillRole(tr._("Commander"), name(drill.commander_id))]
    organisation += [
        DrillRole(
            str(g.get("name", "")),
            tr.join(name(int(i)) for i in g.get("people", [])),
            str(g.get("duties", "")),
        )
        for g in drill.groups
    ]
    steps = [
        DrillStep(
            at=e.at,
            text=e.text or tr._("(photo)"),
            actor=name(e.actor_id),
            photos=tuple(
                Photo(p["sha256"], media.path_for(p["sha256"]))
                for p in e.photos
                if media.path_for(p["sha256"]).exists()
            ),
        )
        for e in records.entries(session, drill.id)
    ]
    fixes = [
        Shortcoming(
            text=f.text,
            rectification=tr._("Confirmed with a photo") if f.done_at else "",
            owner=name(f.owner_id),
            deadline=f.due_on,
            done_on=f.done_at.astimezone(tr.tz).date() if f.done_at else None,
        )
        for f in records.shortcomings(session, drill.id)
    ]
    preparation = "\n".join(
        [tr._("Steps to rehearse (from the procedure):")] * bool(drill.steps)
        + [f"{n}. {tr.pick(step)}" for n, step in enumerate(drill.steps, 1)]
    )
    evaluation = drill.evaluation
    if drill.equipment:
        evaluation = "\n".join(
            x for x in (evaluation, tr._("Equipment checked: {what}", what=drill.equipment)) if x
        )
    return DrillRecord(
        item=scenarios.name(drill.scenario, tr, registry),
        site_name=site.name,
        timezone=site.timezone,
        started_at=drill.started_at or drill.starts_at,
        ended_at=drill.ended_at,
        place=drill.place,
        participants=participants,
        purpose=drill.purpose,
        scenario=drill.assumption,
        organisation=tuple(organisation),
        preparation=preparation,
        steps=tuple(steps),
        evaluation=evaluation,
        shortcomings=tuple(fixes),
        conclusion=drill.conclusion,
        organisation_name=site.name,
    )


def render(
    session: Session,
    drill: Drill,
    tr: Translator,
    registry: Registry,
    media: MediaStore,
    *,
    now: datetime,
) -> bytes:
    return drill_pdf(record(session, drill, tr, registry, media), tr, generated_at=now)
