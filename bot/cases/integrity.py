"""Checking a case's record against its hash chain: the first broken link, if any.

Recomputes every event's hash from its content and the hash before it, checks that each event
points at the one before it, that the answers on record are the ones the timeline last recorded,
and that every photo file still has the sha256 its event recorded. Read-only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlmodel import Session, col, select

from bot.cases.chain import GENESIS, event_hash
from bot.cases.models import Answer, Attachment, Case, CaseEvent

ANSWERING = ("answered", "answer_changed", "skipped")
Problem = Literal[
    "event_changed", "link_broken", "answer_changed", "photo_changed", "photo_missing"
]


@dataclass(frozen=True)
class Finding:
    """What is wrong, where (the CLI words it)."""

    what: Problem
    event_id: int | None = None
    step_id: str | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class Report:
    case: Case
    events: int
    head: str
    finding: Finding | None  # the first broken link; None when the record is intact


def verify(session: Session, case: Case, media_root: Path) -> Report:
    assert case.id is not None
    events = list(
        session.exec(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(col(CaseEvent.id))
        ).all()
    )
    previous = GENESIS
    recorded: dict[str, Any] = {}
    photos: dict[str, int] = {}
    for event in events:
        assert event.id is not None
        if event.prev_hash != previous:
            return Report(case, len(events), previous, Finding("link_broken", event.id))
        expected = event_hash(
            previous,
            case_id=event.case_id,
            at=event.at,
            actor_id=event.actor_id,
            kind=event.kind,
            step_id=event.step_id,
            data=event.data,
        )
        if event.hash != expected:
            return Report(case, len(events), previous, Finding("event_changed", event.id))
        previous = event.hash
        if event.kind in ANSWERING and event.step_id is not None:
            recorded[event.step_id] = None if event.kind == "skipped" else event.data.get("value")
        if event.kind == "attachment_added" and isinstance(event.data.get("sha256"), str):
            photos[event.data["sha256"]] = event.id
    finding = _answers(session, case.id, recorded) or _photos(session, case.id, photos, media_root)
    return Report(case, len(events), previous, finding)


def _answers(session: Session, case_id: int, recorded: dict[str, Any]) -> Finding | None:
    current = session.exec(
        select(Answer).where(Answer.case_id == case_id, col(Answer.superseded_at).is_(None))
    ).all()
    for answer in current:
        value = None if answer.skipped else answer.value
        if answer.step_id not in recorded or recorded[answer.step_id] != value:
            return Finding("answer_changed", step_id=answer.step_id)
    return None


def _photos(
    session: Session, case_id: int, recorded: dict[str, int], media_root: Path
) -> Finding | None:
    files = session.exec(select(Attachment).where(Attachment.case_id == case_id)).all()
    for file in files:
        if file.sha256 not in recorded:
            return Finding("photo_changed", sha256=file.sha256)
        path = media_root / file.sha256[:2] / file.sha256
        if not path.is_file():
            return Finding("photo_missing", recorded[file.sha256], sha256=file.sha256)
        if hashlib.sha256(path.read_bytes()).hexdigest() != file.sha256:
            return Finding("photo_changed", recorded[file.sha256], sha256=file.sha256)
    return None


def cases_to_verify(session: Session, site_id: int | None, number: str | None) -> list[Case]:
    query = select(Case)
    if site_id is not None:
        query = query.where(Case.site_id == site_id)
    if number is not None:
        query = query.where(Case.number == number)
    return list(session.exec(query.order_by(col(Case.id))).all())
