"""What the renderers take: plain, frozen records that a caller fills from the database.

Nothing here reads a table or a playbook. Texts are :data:`Text`: either already in the
reader's language (``"Lost or stolen property"``) or a playbook pair ``{"zh": …, "en": …}``
that the renderer picks with ``tr.pick``. Instants are aware datetimes (UTC, as stored); they
are shown in the record's ``timezone`` (the site's) in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path

Text = str | Mapping[str, str]


class Outcome(StrEnum):
    """What became of a deadline."""

    ON_TIME = "on_time"  # met at or before the due time
    LATE = "late"  # met after the due time
    OVERDUE = "overdue"  # not met, and the due time has passed
    OPEN = "open"  # not met yet, not due yet (or nobody said)


@dataclass(frozen=True)
class AnswerLine:
    """One answer of a section: the step's label and the answer as text (may span lines)."""

    label: Text
    value: Text


@dataclass(frozen=True)
class Section:
    title: Text
    lines: tuple[AnswerLine, ...] = ()


@dataclass(frozen=True)
class Photo:
    """A stored photo: its sha256 (the media file's name) and where the bytes are."""

    sha256: str
    path: Path
    caption: Text = ""


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    title: Text = ""


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    who: str
    what: Text


@dataclass(frozen=True)
class DeadlineRecord:
    """A clock a step opened. ``late`` may say what the caller knows (an open deadline that is
    past due at report time: ``late=True``); without it the outcome follows ``met_at``."""

    title: Text
    due: datetime
    met_at: datetime | None = None
    late: bool | None = None

    @property
    def outcome(self) -> Outcome:
        if self.met_at is not None:
            late = self.late if self.late is not None else self.met_at > self.due
            return Outcome.LATE if late else Outcome.ON_TIME
        return Outcome.OVERDUE if self.late else Outcome.OPEN


@dataclass(frozen=True)
class AlertRecord:
    """An alert a procedure raised: the role ids it named (``security_chief``), its state
    (``open`` | ``acknowledged`` | ``unanswered``), who acknowledged it and when."""

    roles: tuple[str, ...]
    state: str
    raised_at: datetime
    message: Text = ""
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None


@dataclass(frozen=True)
class CaseRow:
    """One case as a line of the month's CSV. ``level`` is a complaint level id (``general`` |
    ``important`` | ``hot`` | ``major``) or None; ``status`` a case status id."""

    number: str
    procedure: Text
    site_name: Text
    timezone: str
    opened_at: datetime
    closed_at: datetime | None
    status: str
    level: str | None = None
    category: Text | None = None
    deadlines: tuple[DeadlineRecord, ...] = ()


@dataclass(frozen=True)
class CaseRecord:
    """A whole case for its PDF. ``sign_offs`` are the signers a form names ("值班人员",
    {"zh": "安防队长", "en": "Security chief"}): each gets a signature and a date line."""

    number: str
    procedure: Text
    site_name: Text
    timezone: str
    status: str
    reporter: str
    opened_at: datetime
    closed_at: datetime | None = None
    level: str | None = None
    category: Text | None = None
    sections: tuple[Section, ...] = ()
    photos: tuple[Photo, ...] = ()
    places: tuple[Place, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    deadlines: tuple[DeadlineRecord, ...] = ()
    alerts: tuple[AlertRecord, ...] = ()
    sign_offs: tuple[Text, ...] = ()

    def row(self) -> CaseRow:
        """The same case as a CSV line."""
        return CaseRow(
            number=self.number,
            procedure=self.procedure,
            site_name=self.site_name,
            timezone=self.timezone,
            opened_at=self.opened_at,
            closed_at=self.closed_at,
            status=self.status,
            level=self.level,
            category=self.category,
            deadlines=self.deadlines,
        )


@dataclass(frozen=True)
class Count:
    label: Text
    n: int


@dataclass(frozen=True)
class MonthStats:
    """A site's month. ``complaints_by_level`` maps level ids (``general``, ``important``,
    ``hot``, ``major``; others are shown as given) to counts. Medians are None when no case had
    the event."""

    site_name: Text
    timezone: str
    year: int
    month: int
    # Another span than the month of ``year``/``month`` ("the week to Dec 1, 2026"), as shown.
    period_label: str = ""
    cases_by_procedure: tuple[Count, ...] = ()
    complaints_by_level: Mapping[str, int] = field(default_factory=dict)
    complaints_by_category: tuple[Count, ...] = ()
    deadlines_on_time: int = 0
    deadlines_late: int = 0
    median_first_contact: timedelta | None = None
    median_to_close: timedelta | None = None


@dataclass(frozen=True)
class DrillStep:
    """One time-stamped line of the drill's process (演练过程), who did it, photos of it."""

    at: datetime
    text: Text
    actor: str = ""
    photos: tuple[Photo, ...] = ()


@dataclass(frozen=True)
class DrillRole:
    """A post in the drill organisation (总指挥, 组员, 警戒组…), who held it, their duties."""

    role: Text
    people: str
    duties: Text = ""


@dataclass(frozen=True)
class Shortcoming:
    """A shortcoming found (存在的不足) and its rectification: what, who, by when, done when."""

    text: Text
    rectification: Text = ""
    owner: str = ""
    deadline: date | None = None
    done_on: date | None = None


@dataclass(frozen=True)
class DrillRecord:
    """A drill record (演练记录) with the fields of catalog §11.1. ``duration`` defaults to
    ``ended_at - started_at``; ``organisation_name`` is the signing unit (签署单位)."""

    item: Text
    site_name: Text
    timezone: str
    started_at: datetime
    place: Text
    participants: Text
    purpose: Text = ""
    scenario: Text = ""
    organisation: tuple[DrillRole, ...] = ()
    preparation: Text = ""
    steps: tuple[DrillStep, ...] = ()
    evaluation: Text = ""
    shortcomings: tuple[Shortcoming, ...] = ()
    conclusion: Text = ""
    ended_at: datetime | None = None
    duration: timedelta | None = None
    organisation_name: Text = ""
    sign_offs: tuple[Text, ...] = ()

    @property
    def elapsed(self) -> timedelta | None:
        if self.duration is not None:
            return self.duration
        if self.ended_at is not None:
            return self.ended_at - self.started_at
        return None
