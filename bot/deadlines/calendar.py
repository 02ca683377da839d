"""The site calendar: which days are working days, and working time, in the site's time zone.

Official days come from ``chinese-calendar`` (module ``chinese_calendar``): the State Council's
yearly 放假调休 notice, i.e. the public holidays **and the make-up working days** (a 调休
Saturday or Sunday is a working day). It was chosen over ``holidays`` (its ``CN`` calendar):

* both carry the official arrangement up to 2026 and agree on every day of 2004–2026 but one
  (2005-12-31, a make-up working day that chinese-calendar misses: its open issue #125);
* ``holidays`` answers for 1950–2100, but years after the latest notice are *estimated* by rule
  (fixed and lunar dates, "observed" days, no make-up working days) and nothing tells an
  estimated year from an official one; chinese-calendar raises ``NotImplementedError`` for a
  year without a notice, so :func:`official_calendar_covers` knows exactly which years are
  real (2004–2026 in 1.11.0) and the calendar can say when it falls back;
* chinese-calendar has no dependencies and is released once a year, shortly after the notice
  (1.11.0, November 2025, brought 2026): upgrading it each November is the maintenance step.

A year the package does not cover falls back to Monday–Friday (a public holiday then counts as a
working day and a make-up Saturday does not); :meth:`SiteCalendar.uncovered_years` names such
years so the caller can warn. A site's own closed days and extra working days override both.

Working time is measured on the site's **wall clock**: a working day is as long as its working
hours (08:30–17:30: nine hours), or 24 hours without working hours, even on the day a
daylight-saving change makes it 23 or 25 hours of real time. Instants in and out are
timezone-aware; instants out are in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

import chinese_calendar

ONE_DAY = timedelta(days=1)
# A calendar with no working day in ten years (every day closed) is a configuration error.
SEARCH_LIMIT = 3660


@cache
def official_calendar_covers(year: int) -> bool:
    """Whether chinese-calendar has ``year``'s official arrangement (holidays, make-up days)."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class DayKind(StrEnum):
    """Why a day is, or is not, a working day."""

    WORKDAY = "workday"  # Monday–Friday, no holiday
    WEEKEND = "weekend"  # Saturday or Sunday, no make-up day
    HOLIDAY = "holiday"  # an official public holiday (or a weekday made a holiday by 调休)
    MAKEUP_WORKDAY = "makeup_workday"  # 调休: a Saturday or Sunday worked instead
    SITE_CLOSED = "site_closed"  # the site's own closed day
    SITE_EXTRA = "site_extra"  # the site's own extra working day
    FALLBACK_WORKDAY = "fallback_workday"  # Monday–Friday in a year the package does not cover
    FALLBACK_WEEKEND = "fallback_weekend"  # Saturday or Sunday in such a year

    @property
    def working(self) -> bool:
        return self in (
            DayKind.WORKDAY,
            DayKind.MAKEUP_WORKDAY,
            DayKind.SITE_EXTRA,
            DayKind.FALLBACK_WORKDAY,
        )


@dataclass(frozen=True)
class WorkingHours:
    """Opening and closing time on a working day, wall clock, closing after opening."""

    opens: time
    closes: time

    def __post_init__(self) -> None:
        if self.opens.tzinfo is not None or self.closes.tzinfo is not None:
            raise ValueError("working hours are wall-clock times, without a time zone")
        if not self.opens < self.closes:
            raise ValueError(f"working hours must close after they open: {self}")

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        """``"08:30-17:30"`` (an en dash is accepted too)."""
        opens, sep, closes = text.replace("–", "-").partition("-")
        if not sep:
            raise ValueError(f"working hours look like 08:30-17:30, not {text!r}")
        return cls(_clock(opens), _clock(closes))

    @property
    def length(self) -> timedelta:
        day = date(2000, 1, 1)
        return datetime.combine(day, self.closes) - datetime.combine(day, self.opens)

    def __str__(self) -> str:
        return f"{self.opens:%H:%M}-{self.closes:%H:%M}"


@dataclass(frozen=True)
class SiteCalendar:
    """A site's working days and hours.

    ``public_holidays`` False ignores China's calendar (Monday–Friday, plus the site's own days):
    for a site abroad. ``hours`` None: a working day is worked all day (00:00–24:00).
    """

    timezone: str = "Asia/Shanghai"
    closed_days: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)
    hours: WorkingHours | None = None
    public_holidays: bool = True

    def __post_init__(self) -> None:
        ZoneInfo(self.timezone)  # raises for an unknown zone
        object.__setattr__(self, "closed_days", frozenset(self.closed_days))
        object.__setattr__(self, "extra_working_days", frozenset(self.extra_working_days))
        both = self.closed_days & self.extra_working_days
        if both:
            raise ValueError(f"days both closed and extra working: {sorted(both)}")

    @classmethod
    def of(
        cls,
        timezone: str = "Asia/Shanghai",
        *,
        closed: Iterable[date] = (),
        extra: Iterable[date] = (),
        hours: WorkingHours | str | None = None,
        public_holidays: bool = True,
    ) -> SiteCalendar:
        """Build from plain settings: lists of dates, hours as ``"08:30-17:30"``."""
        if isinstance(hours, str):
            hours = WorkingHours.parse(hours)
        return cls(timezone, frozenset(closed), frozenset(extra), hours, public_holidays)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    # -- days -------------------------------------------------------------------------------

    def covers(self, year: int) -> bool:
        """Whether ``year``'s working days are known (not the Monday–Friday fallback)."""
        return not self.public_holidays or official_calendar_covers(year)

    def uncovered_years(self, first: date, last: date) -> list[int]:
        """Years from ``first`` to ``last`` that fall back to Monday–Friday (for a warning)."""
        return [y for y in range(first.year, last.year + 1) if not self.covers(y)]

    def day_kind(self, day: date) -> DayKind:
        if day in self.closed_days:
            return DayKind.SITE_CLOSED
        if day in self.extra_working_days:
            return DayKind.SITE_EXTRA
        weekend = day.weekday() >= 5
        if not self.public_holidays:
            return DayKind.WEEKEND if weekend else DayKind.WORKDAY
        if not official_calendar_covers(day.year):
            return DayKind.FALLBACK_WEEKEND if weekend else DayKind.FALLBACK_WORKDAY
        if chinese_calendar.is_workday(day):
            return DayKind.MAKEUP_WORKDAY if weekend else DayKind.WORKDAY
        return DayKind.WEEKEND if weekend and not _official_holiday(day) else DayKind.HOLIDAY

    def is_working_day(self, day: date) -> bool:
        return self.day_kind(day).working

    def working_day_on_or_after(self, day: date) -> date:
        for offset in range(SEARCH_LIMIT):
            candidate = day + offset * ONE_DAY
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"no working day within {SEARCH_LIMIT} days of {day}")

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return self.working_day_on_or_after(day + ONE_DAY)

    def add_working_days(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (``day`` itself not counted); 0: ``day``
        if it is a working day, else the next one."""
        if count < 0:
            raise ValueError("count must not be negative")
        landing = self.working_day_on_or_after(day) if count == 0 else day
        for _ in range(count):
            landing = self.next_working_day(landing)
        return landing

    # -- instants ---------------------------------------------------------------------------

    def wall(self, instant: datetime) -> datetime:
        """The site's wall-clock time of an aware instant, without a time zone."""
        return aware(instant).astimezone(self.zone).replace(tzinfo=None)

    def instant(self, wall: datetime) -> datetime:
        """The UTC instant of a wall-clock time (in a DST overlap the earlier one; a time in
        the gap of a spring-forward is read with the offset before the change)."""
        return wall.replace(tzinfo=self.zone).astimezone(UTC)

    def local_date(self, instant: datetime) -> date:
        return self.wall(instant).date()

    def start_of_day(self, day: date) -> datetime:
        """00:00 of ``day``, site time, as a UTC instant."""
        return self.instant(datetime.combine(day, time()))

    def end_of_day(self, day: date) -> datetime:
        """24:00 of ``day`` (= 00:00 of the next day), site time, as a UTC instant."""
        return self.start_of_day(day + ONE_DAY)

    def day_ending_at(self, instant: datetime) -> date | None:
        """The day whose 24:00 ``instant`` is (local 00:00 is the end of the day before), else
        None: show an end-of-day due time as "9 Oct, 24:00", not "10 Oct, 00:00"."""
        wall = self.wall(instant)
        return wall.date() - ONE_DAY if wall.time() == time() else None

    def opening(self, day: date) -> datetime:
        """When work starts on ``day``: its opening time, or 00:00 without working hours."""
        return self.instant(self._period(day)[0])

    def closing(self, day: date) -> datetime:
        """When work ends on ``day``: its closing time, or 24:00 without working hours."""
        return self.instant(self._period(day)[1])

    @property
    def working_day_length(self) -> timedelta:
        return self.hours.length if self.hours else ONE_DAY

    def in_working_time(self, instant: datetime) -> bool:
        wall = self.wall(instant)
        if not self.is_working_day(wall.date()):
            return False
        opens, closes = self._period(wall.date())
        return opens <= wall < closes

    def next_working_instant(self, instant: datetime) -> datetime:
        """``instant`` if it is in working time, else the next opening (UTC)."""
        if self.in_working_time(instant):
            return aware(instant).astimezone(UTC)
        wall = self.wall(instant)
        day = wall.date()
        if self.is_working_day(day) and wall < self._period(day)[0]:
            return self.opening(day)
        return self.opening(self.next_working_day(day))

    def working_time(self, start: datetime, end: datetime) -> timedelta:
        """Working time in [start, end), on the wall clock; zero when ``end`` is not later."""
        a, b = self.wall(start), self.wall(end)
        total = timedelta()
        for opens, closes in self._periods_from(a.date()):
            if opens >= b:
                break
            if closes > a:
                total += min(closes, b) - max(opens, a)
        return total

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The earliest instant by which ``amount`` of working time has passed since ``start``
        (UTC). Zero: ``start`` itself."""
        if amount < timedelta():
            raise ValueError("amount must not be negative")
        if not amount:
            return aware(start).astimezone(UTC)
        a = self.wall(start)
        remaining = amount
        for opens, closes in self._periods_from(a.date()):
            if closes <= a:
                continue
            begin = max(opens, a)
            available = closes - begin
            if remaining <= available:
                return self.instant(begin + remaining)
            remaining -= available
        raise AssertionError("unreachable: _periods_from is endless or raises")

    # -- inside -----------------------------------------------------------------------------

    def _period(self, day: date) -> tuple[datetime, datetime]:
        if self.hours is None:
            return datetime.combine(day, time()), datetime.combine(day + ONE_DAY, time())
        return datetime.combine(day, self.hours.opens), datetime.combine(day, self.hours.closes)

    def _periods_from(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """Wall-clock working periods from ``day`` on, endless (raises past the search limit)."""
        current = self.working_day_on_or_after(day)
        while True:
            yield self._period(current)
            current = self.next_working_day(current)


def aware(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"an aware datetime is needed, not {instant!r}")
    return instant


def _clock(text: str) -> time:
    hour, sep, minute = text.strip().partition(":")
    if not (sep and hour.isdigit() and minute.isdigit() and len(minute) == 2):
        raise ValueError(f"a time of day looks like 08:30, not {text.strip()!r}")
    return time(int(hour), int(minute))


def _official_holiday(day: date) -> bool:
    """A weekend day named in the notice (e.g. the Spring Festival's Sunday) is a holiday."""
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    return bool(on_holiday and name)
