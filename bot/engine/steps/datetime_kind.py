"""A moment: the "Now" button, or a typed time such as 22:15, 11-21 22:15, 2026-11-21 22:15."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal
from zoneinfo import ZoneInfo

from pydantic import BeforeValidator, Field

from bot.engine.steps.base import (
    Answered,
    Invalid,
    OwnProblem,
    Result,
    Rows,
    Stay,
    StepBase,
    StepIO,
    fold,
)
from bot.i18n import Translator

if TYPE_CHECKING:
    from bot.flows.schema import Playbook

_NOW_WORDS = {"now", "现在", "刚才", "此刻"}
# Optional date (Y-M-D or M-D, with - / . or 年月日), then H:M (":" or 点/时, optional 分).
_PATTERN = re.compile(
    r"^(?:(?:(?P<y>\d{4})[-/.年])?(?P<mo>\d{1,2})[-/.月](?P<d>\d{1,2})日?\s*)?"
    r"(?P<h>\d{1,2})\s*[:点时]\s*(?P<mi>\d{1,2})?\s*分?$"
)
_FUTURE_TOLERANCE = timedelta(minutes=5)
# The plausible range of a typed moment. A year outside it is a typo ("0026-11-21",
# "2062-11-21"), never an incident: nothing a duty handler records happened before 1970 (the
# Unix epoch, below which time libraries and clients misbehave), and year 1 or year 9999 would
# overflow when converted with the site's time zone. Where a step allows the future (a planned
# call-back or visit), the procedures schedule nothing more than a year ahead.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
FUTURE_LIMIT = timedelta(days=366)


class Implausible(Exception):
    """A readable time outside the plausible range (``too_early``: before 1970)."""

    def __init__(self, too_early: bool) -> None:
        super().__init__("too early" if too_early else "too far ahead")
        self.too_early = too_early


def parse_moment(text: str, now: datetime, tz: ZoneInfo, past_only: bool) -> datetime | None:
    """A typed local time as an aware UTC datetime; None when it cannot be read.

    Raises :class:`Implausible` for a date before 1970 or in a year after the next one (checked
    before any time-zone arithmetic, which would overflow near year 1 or 9999).
    """
    match = _PATTERN.match(fold(text))
    if not match:
        return None
    local_now = now.astimezone(tz)
    parts = match.groupdict()
    try:
        hour, minute = int(parts["h"]), int(parts["mi"] or 0)
        if parts["mo"] is None:
            moment = local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
            if past_only and moment > local_now + _FUTURE_TOLERANCE:
                moment -= timedelta(days=1)  # "23:50" typed at 00:10 means last night
        else:
            year = int(parts["y"]) if parts["y"] else local_now.year
            if year < EARLIEST.year:
                raise Implausible(too_early=True)
            if year > local_now.year + 1:
                raise Implausible(too_early=False)
            moment = datetime(year, int(parts["mo"]), int(parts["d"]), hour, minute, tzinfo=tz)
            if not parts["y"] and past_only and moment - local_now > timedelta(days=180):
                moment = moment.replace(year=year - 1)  # "12-31 23:50" typed on 1 January
    except ValueError:
        return None
    moment = moment.astimezone(UTC)
    if moment < EARLIEST:
        raise Implausible(too_early=True)  # 1970-01-01 00:00 east of Greenwich
    return moment


def _step_ids(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class DateTimeStep(StepBase):
    kind: Literal["datetime"]
    past_only: bool = True  # an incident time cannot lie in the future
    # Earlier time steps this moment cannot come before (the foreman arrives after the report
    # was received). An answer out of order is not refused, but asked about: "Keep" or "Change".
    not_before: Annotated[list[str], BeforeValidator(_step_ids)] = Field(default_factory=list)

    expects: ClassVar[str | None] = "datetime"

    def body(self, io: StepIO) -> list[str]:
        pending = _moment(io.draft.get("pending"))
        conflict = None if pending is None else self._conflict(io, pending)
        if pending is None or conflict is None:
            return []
        earlier, label, other = conflict
        shown = io.tr.datetime(pending, "short")
        if earlier:
            return [
                io.tr._(
                    "{time} is earlier than {label} ({other}). Keep it?",
                    time=shown,
                    label=label,
                    other=other,
                )
            ]
        return [
            io.tr._(
                "{time} is later than {label} ({other}). Keep it?",
                time=shown,
                label=label,
                other=other,
            )
        ]

    def buttons(self, io: StepIO) -> Rows:
        if io.draft.get("pending") is not None:
            return [[(io.tr._("✓ Keep"), "order:keep"), (io.tr._("✎ Change"), "order:change")]]
        return [[(io.tr._("🕒 Now"), "now")]]

    def hint(self, io: StepIO) -> str | None:
        if io.draft.get("pending") is not None:
            return io.tr._("Press “Keep” or “Change”, or type another time.")
        return io.tr._("Press “Now”, or type a time such as 22:15 or 11-21 22:15.")

    def on_action(self, io: StepIO, action: str) -> Result | None:
        pending = io.draft.get("pending")
        if action == "now":
            return self._checked(io, io.now)
        if action == "order:keep" and pending is not None:
            return Answered(pending)
        if action == "order:change" and pending is not None:
            io.draft.pop("pending")
            return Stay()
        return None

    def _checked(self, io: StepIO, moment: datetime) -> Result:
        """The answer, unless it contradicts another time of the report: then ask first."""
        if self._conflict(io, moment) is None:
            io.draft.pop("pending", None)
            return Answered(moment.isoformat())
        io.draft["pending"] = moment.isoformat()
        return Stay()

    def _conflict(self, io: StepIO, moment: datetime) -> tuple[bool, str, str] | None:
        """(earlier?, the other step's label, its time) for the first time ``moment``
        contradicts: one of ``not_before`` that is later, or a step naming this one in its
        ``not_before`` that is earlier."""
        if io.book is None:
            return None
        for other in io.book.steps:
            if not isinstance(other, DateTimeStep) or other.id not in io.answers:
                continue
            when = _moment(io.answers[other.id])
            if when is None:
                continue
            if other.id in self.not_before and moment < when:
                earlier = True
            elif self.id in other.not_before and moment > when:
                earlier = False
            else:
                continue
            return earlier, io.tr.pick(other.label or other.text), io.tr.datetime(when, "short")
        return None

    def problems(self, book: Playbook, index: int) -> Iterator[OwnProblem]:
        positions = {step.id: number for number, step in enumerate(book.steps)}
        for number, name in enumerate(self.not_before):
            where, field = ("not_before", number), f"not_before[{number}]"
            if name not in positions:
                yield where, field, f"unknown step {name!r}"
            elif positions[name] >= index:
                yield where, field, f"names {name!r}, which is not asked before it"
            elif not isinstance(book.steps[positions[name]], DateTimeStep):
                yield where, field, f"names {name!r}, which is not a datetime step"

    def on_text(self, io: StepIO, text: str) -> Result:
        if fold(text) in _NOW_WORDS:
            return self._checked(io, io.now)
        try:
            moment = parse_moment(text, io.now, io.tr.tz, self.past_only)
        except Implausible as implausible:
            if implausible.too_early:
                return Invalid(io.tr._("That date is before 1970. Please check the year."))
            return self._too_late(io)
        if moment is None:
            return Invalid(
                io.tr._(
                    "“{text}” is not a time I can read. Try 22:15 or 11-21 22:15.",
                    text=text.strip()[:40],
                )
            )
        latest = io.now + (_FUTURE_TOLERANCE if self.past_only else FUTURE_LIMIT)
        if moment > latest:
            return self._too_late(io)
        return self._checked(io, moment)

    def _too_late(self, io: StepIO) -> Invalid:
        if self.past_only:
            return Invalid(io.tr._("That time is in the future. Please check it."))
        return Invalid(io.tr._("That date is more than a year ahead. Please check the year."))

    def format(self, tr: Translator, value: Any) -> str:
        try:
            return tr.datetime(datetime.fromisoformat(value))
        except (TypeError, ValueError, OverflowError):
            return str(value)  # a value recorded before the bounds existed: shown as stored


def _moment(value: Any) -> datetime | None:
    """A recorded time as an aware datetime; None for anything else."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else None
