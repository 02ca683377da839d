"""What a clock is, as plain frozen values the caller can store: spans, specs, pauses, extensions.

Readings chosen where the rules are ambiguous (each a field, so a site can choose otherwise):

* **Minutes and hours are real elapsed time**: "24小时" from 10:00 the day before a
  daylight-saving change ends at 11:00 or 09:00 on the wall clock.
* **Days and months are calendar days in the site's time zone** (15 days after 10:00 is 10:00,
  whatever DST does). A month is the same day of the month, clamped to the month's end
  (Jan 31 + 1 month = Feb 28, or 29), as 《民法典》 art. 202 reads "一个月".
* **"Within N working days" ends at the end of the N-th working day after the start's day**,
  the day of the start not counted: how a complaint officer counts "二个工作日内给予客户满意回复",
  and the Civil Code's rule for periods (《民法典》 art. 201: 开始的当日不计入; art. 203: 截止时间为
  二十四时, 有业务时间的, 停止业务活动的时间为截止时间). The end of a working day is the site's
  closing time, or 24:00 without working hours. ``DayReading.SAME_TIME`` reads it instead as N
  working days of working time (Monday 10:00 + 1 → Tuesday 10:00).
* **An ordinal rule** ("第2个工作日", "交货期第2天") counts the start's day as day 1
  (``counts_start_day``): the 2nd working day after a Monday complaint is Tuesday.
* **A due-by clock is met on time when the thing is done at or before the due instant**; an
  earliest clock ("40分钟后打电话") is met by the first action at or after its earliest instant,
  an earlier one does not count (too early).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum


class Unit(StrEnum):
    SECONDS = "seconds"  # for trying a site's clocks in real time, not a rule's unit
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"


_SUFFIX = {
    Unit.SECONDS: "s",
    Unit.MINUTES: "m",
    Unit.HOURS: "h",
    Unit.DAYS: "d",
    Unit.WORKING_DAYS: "wd",
    Unit.MONTHS: "mo",
}
_SPAN = re.compile(r"^\s*(\d{1,6})\s*(mo|wd|m|h|d|s)\s*$")


@dataclass(frozen=True)
class Span:
    """An amount of a unit: ``Span.parse("2wd")`` is two working days."""

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", Unit(self.unit))
        if not isinstance(self.amount, int) or isinstance(self.amount, bool) or self.amount < 0:
            raise ValueError(f"a span is a whole number of {self.unit} ≥ 0, not {self.amount!r}")

    @classmethod
    def minutes(cls, amount: int) -> Span:
        return cls(amount, Unit.MINUTES)

    @classmethod
    def hours(cls, amount: int) -> Span:
        return cls(amount, Unit.HOURS)

    @classmethod
    def days(cls, amount: int) -> Span:
        return cls(amount, Unit.DAYS)

    @classmethod
    def working_days(cls, amount: int) -> Span:
        return cls(amount, Unit.WORKING_DAYS)

    @classmethod
    def months(cls, amount: int) -> Span:
        return cls(amount, Unit.MONTHS)

    @classmethod
    def parse(cls, text: str) -> Span:
        """``10m``, ``24h``, ``7d``, ``2wd`` (working days), ``1mo`` (calendar months); ``30s``
        (seconds: a site shortens its clocks to try them in real time)."""
        match = _SPAN.match(text)
        if not match:
            raise ValueError(f"a span looks like 10m, 24h, 7d, 2wd or 1mo, not {text!r}")
        suffix = match.group(2)
        unit = next(u for u, s in _SUFFIX.items() if s == suffix)
        return cls(int(match.group(1)), unit)

    @property
    def elapsed(self) -> timedelta | None:
        """Seconds, minutes and hours as a duration; None for the calendar units."""
        if self.unit is Unit.SECONDS:
            return timedelta(seconds=self.amount)
        if self.unit is Unit.MINUTES:
            return timedelta(minutes=self.amount)
        if self.unit is Unit.HOURS:
            return timedelta(hours=self.amount)
        return None

    @property
    def day_based(self) -> bool:
        return self.elapsed is None

    def __str__(self) -> str:
        return f"{self.amount}{_SUFFIX[self.unit]}"


class Kind(StrEnum):
    DUE_BY = "due_by"  # "reply within 24 h": done at or before the due instant
    EARLIEST = "earliest"  # "call back 40 minutes after": done at or after the earliest instant


class DayReading(StrEnum):
    """Where a day-based span lands on its last day."""

    END_OF_DAY = "end_of_day"  # closing time (working days) or 24:00 (calendar days, months)
    START_OF_DAY = "start_of_day"  # opening time (working days) or 00:00
    SAME_TIME = "same_time"  # the start's wall-clock time; working days: N days of working time


PAUSE_WAITING_ON_CUSTOMER = "waiting_on_customer"


@dataclass(frozen=True)
class DeadlineSpec:
    """A clock: from which event, how long, and what meeting it means.

    ``starts_at`` names the event whose *answered* time starts the clock ("received": when the
    complaint was received, as the handler answered it, not when they typed it); the caller
    looks it up. ``off_hours_start`` is B20's rule (002:111): a start at night (outside the
    working hours) or on a non-working day counts from the next opening. Without working hours
    only non-working days are off hours. ``roll_to_working_day`` moves a calendar-day or month
    span that lands on a non-working day to the next working day (《民法典》 art. 203).
    """

    span: Span
    kind: Kind = Kind.DUE_BY
    starts_at: str = "received"
    day_reading: DayReading | None = None  # None: END_OF_DAY for due-by, START_OF_DAY earliest
    counts_start_day: bool = False
    remind_fraction: float | None = None
    off_hours_start: bool = False
    roll_to_working_day: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))
        if self.day_reading is not None:
            object.__setattr__(self, "day_reading", DayReading(self.day_reading))
        if self.remind_fraction is not None:
            if self.kind is Kind.EARLIEST:
                raise ValueError("an earliest-time clock reminds at its earliest time")
            if not 0 < self.remind_fraction < 1:
                raise ValueError(f"remind_fraction is between 0 and 1, not {self.remind_fraction}")
        if self.counts_start_day:
            if self.span.unit not in (Unit.DAYS, Unit.WORKING_DAYS):
                raise ValueError("counts_start_day is for day and working-day spans")
            if self.span.amount < 1:
                raise ValueError("an ordinal day (第N天) starts at 1")

    @property
    def reading(self) -> DayReading:
        if self.day_reading is not None:
            return self.day_reading
        return DayReading.END_OF_DAY if self.kind is Kind.DUE_BY else DayReading.START_OF_DAY

    def with_span(self, span: Span | str) -> DeadlineSpec:
        """The same clock with a site's own span (a site shortens or lengthens a default)."""
        return replace(self, span=Span.parse(span) if isinstance(span, str) else span)


@dataclass(frozen=True)
class Pause:
    """The clock stood still from ``start`` until ``end`` (None: still paused).

    Paused time does not count: real time for minute and hour clocks, wall-clock time for
    calendar-day clocks, working time for working-day clocks. A pause that starts after the
    clock ran out does not help it.
    """

    start: datetime
    end: datetime | None = None
    reason: str = PAUSE_WAITING_ON_CUSTOMER
    by: str | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError("a pause ends after it starts")


@dataclass(frozen=True)
class Extension:
    """An approved 投诉延期处理申请 (B3, 001:156: 报总经理审核): the due time moves ``by`` a span
    (from the due time as it stands when granted; a day-based span lands as the clock's day
    reading says) or ``until`` an instant or a day (a day: its end, closing time where the site
    has working hours). An extension never brings the due time forward; pauses after it still
    count.
    """

    granted_at: datetime
    approved_by_role: str
    by: Span | None = None
    until: datetime | date | None = None
    approved_by: str | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if (self.by is None) == (self.until is None):
            raise ValueError("an extension moves the due time either by a span or until a date")


EXTENSION_FORM = {"zh": "投诉延期处理申请", "en": "Complaint delay request"}
EXTENSION_APPROVER = "general_manager"  # 001:156 报总经理审核
