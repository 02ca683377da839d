"""Clock arithmetic: when a clock is due, when to remind, and where it stands at an instant.

Pure functions of a :class:`~bot.deadlines.specs.DeadlineSpec`, the answered start instant, the
:class:`~bot.deadlines.calendar.SiteCalendar`, and the pauses and extensions the caller stored.
Every instant in and out is timezone-aware; out is UTC.

Pauses and extensions are taken in time order (a pause by its start, an extension by when it was
granted): a pause that starts while the clock runs moves the due time by the paused time (the
clock's own measure: real time, wall-clock days, or working time); one that starts after the
clock ran out changes nothing; an extension moves the due time as it stands then.
"""

from __future__ import annotations

import calendar as gregorian
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import NamedTuple, Protocol

from bot.deadlines.calendar import ONE_DAY, SiteCalendar, aware
from bot.deadlines.specs import (
    PAUSE_WAITING_ON_CUSTOMER,
    DayReading,
    DeadlineSpec,
    Extension,
    Kind,
    Pause,
    Span,
    Unit,
)


class State(StrEnum):
    WAITING = "waiting"  # running; before the reminder (due-by) or the earliest time
    DUE_SOON = "due_soon"  # due-by, past its reminder, not yet due
    DUE_NOW = "due_now"  # earliest-time clock past its earliest time, not yet done
    OVERDUE = "overdue"  # due-by, past due, not done
    PAUSED = "paused"  # stopped by a pause that counts (waiting on the customer)
    MET_ON_TIME = "met_on_time"
    MET_LATE = "met_late"
    TOO_EARLY = "too_early"  # done before an earliest time: it does not count


class Status(NamedTuple):
    state: State
    overdue_by: timedelta | None  # real time past due: OVERDUE and MET_LATE only


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end: Jan 31 + 1 → Feb 28/29."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, gregorian.monthrange(year, month)[1]))


def clock_start(spec: DeadlineSpec, start: datetime, calendar: SiteCalendar) -> datetime:
    """When the clock starts running: ``start``, or with B20's off-hours rule the next opening."""
    start = aware(start).astimezone(UTC)
    return calendar.next_working_instant(start) if spec.off_hours_start else start


def due(
    spec: DeadlineSpec,
    start: datetime,
    calendar: SiteCalendar,
    *,
    pauses: Iterable[Pause] = (),
    extensions: Iterable[Extension] = (),
    now: datetime | None = None,
) -> datetime:
    """The due instant (due-by) or the earliest instant (earliest), UTC.

    A pause still open is taken to end at ``now`` (the due time if the clock resumed now);
    without ``now`` an open pause is an error.
    """
    return _run(spec, start, calendar, pauses, extensions, now).due


def remind_at(
    spec: DeadlineSpec,
    start: datetime,
    calendar: SiteCalendar,
    *,
    pauses: Iterable[Pause] = (),
    extensions: Iterable[Extension] = (),
    now: datetime | None = None,
) -> datetime | None:
    """When to remind: at ``remind_fraction`` of the clock's running time (pauses excluded,
    extensions included) for a due-by clock, None without a fraction; at the earliest time for
    an earliest clock."""
    return _run(spec, start, calendar, pauses, extensions, now).reminder(spec)


def status(
    spec: DeadlineSpec,
    start: datetime,
    now: datetime,
    calendar: SiteCalendar,
    *,
    met_at: datetime | None = None,
    pauses: Iterable[Pause] = (),
    extensions: Iterable[Extension] = (),
) -> Status:
    """Where the clock stands at ``now``; ``met_at`` is when the thing was done, if it was."""
    now = aware(now)
    run = _run(spec, start, calendar, pauses, extensions, now)
    if met_at is not None:
        met_at = aware(met_at)
        if spec.kind is Kind.EARLIEST:
            return Status(State.TOO_EARLY if met_at < run.due else State.MET_ON_TIME, None)
        if met_at <= run.due:
            return Status(State.MET_ON_TIME, None)
        return Status(State.MET_LATE, met_at - run.due)
    if run.paused_at(now):
        return Status(State.PAUSED, None)
    if spec.kind is Kind.EARLIEST:
        return Status(State.WAITING if now < run.due else State.DUE_NOW, None)
    if now > run.due:
        return Status(State.OVERDUE, now - run.due)
    reminder = run.reminder(spec)
    if reminder is not None and now >= reminder:
        return Status(State.DUE_SOON, None)
    return Status(State.WAITING, None)


def paused(
    pauses: Sequence[Pause],
    at: datetime,
    reason: str = PAUSE_WAITING_ON_CUSTOMER,
    by: str | None = None,
) -> tuple[Pause, ...]:
    """The pauses with a new open one from ``at`` (the clock stops)."""
    if any(p.end is None for p in pauses):
        raise ValueError("the clock is already paused")
    return (*pauses, Pause(aware(at), None, reason, by))


def resumed(pauses: Sequence[Pause], at: datetime) -> tuple[Pause, ...]:
    """The pauses with the open one ended at ``at`` (the clock runs again)."""
    if not any(p.end is None for p in pauses):
        raise ValueError("the clock is not paused")
    return tuple(Pause(p.start, aware(at), p.reason, p.by) if p.end is None else p for p in pauses)


# -- inside -------------------------------------------------------------------------------------


class _Measure(Protocol):
    def between(self, start: datetime, end: datetime) -> timedelta: ...

    def advance(self, start: datetime, amount: timedelta) -> datetime: ...


@dataclass(frozen=True)
class _RealTime:
    def between(self, start: datetime, end: datetime) -> timedelta:
        return max(end - start, timedelta())

    def advance(self, start: datetime, amount: timedelta) -> datetime:
        return start + amount


@dataclass(frozen=True)
class _WallTime:
    calendar: SiteCalendar

    def between(self, start: datetime, end: datetime) -> timedelta:
        return max(self.calendar.wall(end) - self.calendar.wall(start), timedelta())

    def advance(self, start: datetime, amount: timedelta) -> datetime:
        return max(start, self.calendar.instant(self.calendar.wall(start) + amount))


@dataclass(frozen=True)
class _WorkingTime:
    calendar: SiteCalendar

    def between(self, start: datetime, end: datetime) -> timedelta:
        return self.calendar.working_time(start, end)

    def advance(self, start: datetime, amount: timedelta) -> datetime:
        return self.calendar.add_working_time(start, amount)


def _measure(unit: Unit, calendar: SiteCalendar) -> _Measure:
    if unit is Unit.WORKING_DAYS:
        return _WorkingTime(calendar)
    if unit in (Unit.DAYS, Unit.MONTHS):
        return _WallTime(calendar)
    return _RealTime()


@dataclass(frozen=True)
class _Run:
    start: datetime
    due: datetime
    counted: tuple[tuple[datetime, datetime], ...]  # pauses that moved the due time
    open_until: datetime | None  # an open pause that counts, closed at this "now"
    measure: _Measure

    def paused_at(self, now: datetime) -> bool:
        return any(a <= now < b for a, b in self.counted) or (
            self.open_until is not None and now >= self.open_until
        )

    def reminder(self, spec: DeadlineSpec) -> datetime | None:
        if spec.kind is Kind.EARLIEST:
            return self.due
        if spec.remind_fraction is None:
            return None
        running = self.measure.between(self.start, self.due) - sum(
            (self.measure.between(a, b) for a, b in self.counted), timedelta()
        )
        remaining = running * spec.remind_fraction
        at = self.start
        for a, b in self.counted:
            stretch = self.measure.between(at, a)
            if stretch >= remaining:
                break
            remaining -= stretch
            at = b
        return min(self.measure.advance(at, remaining), self.due)


def _run(
    spec: DeadlineSpec,
    start: datetime,
    calendar: SiteCalendar,
    pauses: Iterable[Pause],
    extensions: Iterable[Extension],
    now: datetime | None,
) -> _Run:
    t0 = clock_start(spec, start, calendar)
    measure = _measure(spec.span.unit, calendar)
    at = after(
        spec.span,
        t0,
        calendar,
        spec.reading,
        counts_start_day=spec.counts_start_day,
        roll=spec.roll_to_working_day,
    )
    intervals, open_start = _intervals(pauses, t0, now)
    events: list[tuple[datetime, int, tuple[datetime, datetime] | Extension]] = [
        (a, 0, (a, b)) for a, b in intervals
    ]
    events += [(aware(e.granted_at), 1, e) for e in extensions]
    counted: list[tuple[datetime, datetime]] = []
    open_until = None
    for _, _, event in sorted(events, key=lambda item: (item[0], item[1])):
        if isinstance(event, Extension):
            at = max(at, _extend(spec, at, event, calendar))
            continue
        a, b = event
        if a >= at:
            continue  # the clock had run out: pausing it now changes nothing
        if b <= at:
            at = measure.advance(at, measure.between(a, b))
        else:
            at = measure.advance(b, measure.between(a, at))
        counted.append((a, b))
        if open_start is not None and a <= open_start <= b:
            open_until = b
    return _Run(t0, at, tuple(counted), open_until, measure)


def _intervals(
    pauses: Iterable[Pause], t0: datetime, now: datetime | None
) -> tuple[list[tuple[datetime, datetime]], datetime | None]:
    """Pauses as merged [start, end) intervals from ``t0`` on; an open one ends at ``now``.
    Also the start of the open pause, if any."""
    spans: list[tuple[datetime, datetime]] = []
    open_start = None
    for pause in pauses:
        a = aware(pause.start)
        if pause.end is None:
            if now is None:
                raise ValueError("a clock with an open pause needs now")
            b = aware(now)
            open_start = max(a, t0)
        else:
            b = aware(pause.end)
        a = max(a, t0)
        if b > a or (pause.end is None and b == a):  # a pause opened at "now" already counts
            spans.append((a, b))
    merged: list[tuple[datetime, datetime]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged, open_start


def _extend(spec: DeadlineSpec, at: datetime, extension: Extension, cal: SiteCalendar) -> datetime:
    if extension.until is not None:
        until = extension.until
        if isinstance(until, datetime):
            return aware(until).astimezone(UTC)
        return cal.closing(until) if cal.hours else cal.end_of_day(until)
    assert extension.by is not None
    if not extension.by.amount:
        return at
    return after(extension.by, at, cal, spec.reading, roll=spec.roll_to_working_day, from_due=True)


def after(
    span: Span,
    start: datetime,
    calendar: SiteCalendar,
    reading: DayReading,
    *,
    counts_start_day: bool = False,
    roll: bool = False,
    from_due: bool = False,
) -> datetime:
    """``span`` after ``start``, without pauses (UTC, never before ``start``).

    ``from_due``: ``start`` is a due time, so 24:00 (00:00 of the next day) belongs to the day
    that ends there, for END_OF_DAY counting.
    """
    start = aware(start).astimezone(UTC)
    elapsed = span.elapsed
    if elapsed is not None:
        return start + elapsed
    n = span.amount
    if span.unit is Unit.WORKING_DAYS and reading is DayReading.SAME_TIME:
        return calendar.add_working_time(start, n * calendar.working_day_length)
    day = calendar.local_date(start)
    if from_due and reading is DayReading.END_OF_DAY and calendar.wall(start).time() == time():
        day -= ONE_DAY
    if span.unit is Unit.WORKING_DAYS:
        landing = _working_landing(calendar, day, start, n, counts_start_day)
        edge = calendar.closing if reading is DayReading.END_OF_DAY else calendar.opening
        return max(start, edge(landing))
    if span.unit is Unit.DAYS:
        landing = day + (n - 1 if counts_start_day else n) * ONE_DAY
    else:
        landing = add_months(day, n)
    if roll:
        landing = calendar.working_day_on_or_after(landing)
    if reading is DayReading.END_OF_DAY:
        result = calendar.end_of_day(landing)
    elif reading is DayReading.START_OF_DAY:
        result = calendar.start_of_day(landing)
    else:
        result = calendar.instant(datetime.combine(landing, calendar.wall(start).time()))
    return max(start, result)


def _working_landing(
    cal: SiteCalendar, day: date, start: datetime, n: int, counts_start_day: bool
) -> date:
    """The working day a working-day span lands on."""
    if counts_start_day or n == 0:
        # The start's own day counts (as day 1, or as "today") while work can still be done.
        if cal.is_working_day(day) and start < cal.closing(day):
            first = day
        else:
            first = cal.next_working_day(day)
        return cal.add_working_days(first, n - 1 if counts_start_day else 0)
    return cal.add_working_days(day, n)
