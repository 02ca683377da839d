"""Clock arithmetic with fixed instants: spans in real time, calendar days and working days,
the Friday-evening-before-a-holiday case, pauses, extensions, earliest-time clocks, status."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot.deadlines import (
    DayReading,
    DeadlineSpec,
    Extension,
    Kind,
    Pause,
    SiteCalendar,
    Span,
    State,
    Unit,
    due,
    paused,
    remind_at,
    resumed,
    status,
)
from bot.deadlines.clocks import add_months, clock_start
from tests.deadlines.support import ALL_DAY, BERLIN, BERLIN_OFFICE, OFFICE, SH, at, wall

TWO_WORKING_DAYS = DeadlineSpec(Span.working_days(2), remind_fraction=0.8)


def when(
    spec: DeadlineSpec, start: datetime, calendar: SiteCalendar = ALL_DAY, **kw: object
) -> str:
    return wall(calendar.timezone, due(spec, start, calendar, **kw))  # type: ignore[arg-type]


# -- spans --------------------------------------------------------------------------------------


def test_spans_parse_and_print() -> None:
    for text, span in [
        ("10m", Span.minutes(10)),
        ("24h", Span.hours(24)),
        ("7d", Span.days(7)),
        ("2wd", Span.working_days(2)),
        ("1mo", Span.months(1)),
    ]:
        assert Span.parse(text) == span and str(span) == text
    for bad in ("", "2", "2 weeks", "-1d", "1.5h"):
        with pytest.raises(ValueError):
            Span.parse(bad)
    assert Span(3, "days").unit is Unit.DAYS  # type: ignore[arg-type]


def test_a_spec_refuses_what_makes_no_sense() -> None:
    with pytest.raises(ValueError, match="earliest"):
        DeadlineSpec(Span.minutes(40), kind=Kind.EARLIEST, remind_fraction=0.8)
    with pytest.raises(ValueError, match="between 0 and 1"):
        DeadlineSpec(Span.hours(1), remind_fraction=1.0)
    with pytest.raises(ValueError, match="ordinal"):
        DeadlineSpec(Span.days(0), counts_start_day=True)
    with pytest.raises(ValueError, match="day and working-day"):
        DeadlineSpec(Span.hours(2), counts_start_day=True)
    assert TWO_WORKING_DAYS.with_span("3wd").span == Span.working_days(3)


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        due(TWO_WORKING_DAYS, datetime(2026, 10, 9, 17, 50), ALL_DAY)


def test_minutes_and_hours_are_real_time() -> None:
    start = at(SH, 2026, 10, 1, 23, 55)  # in the middle of the National Day holiday
    assert when(DeadlineSpec(Span.minutes(10)), start) == "Fri 2026-10-02 00:05"
    assert when(DeadlineSpec(Span.hours(24)), start) == "Fri 2026-10-02 23:55"


def test_hours_cross_a_dst_change_in_real_time_but_days_keep_the_clock() -> None:
    saturday = at(BERLIN, 2026, 3, 28, 12)  # Berlin springs forward on Sunday 03-29
    assert when(DeadlineSpec(Span.hours(24)), saturday, BERLIN_OFFICE) == "Sun 2026-03-29 13:00"
    same_time = DeadlineSpec(Span.days(1), day_reading=DayReading.SAME_TIME)
    assert when(same_time, saturday, BERLIN_OFFICE) == "Sun 2026-03-29 12:00"
    autumn = at(BERLIN, 2026, 10, 24, 12)  # falls back on Sunday 10-25
    assert when(DeadlineSpec(Span.hours(24)), autumn, BERLIN_OFFICE) == "Sun 2026-10-25 11:00"
    assert when(same_time, autumn, BERLIN_OFFICE) == "Sun 2026-10-25 12:00"


# -- working days --------------------------------------------------------------------------------

FRIDAY_EVENINGS = [
    # received (site time)   all day: by 24:00 of   office: by 17:30 of   why
    ((2026, 9, 18), "2026-09-21", "make-up Sunday 09-20 is day 1"),
    ((2026, 2, 13), "2026-02-24", "make-up Saturday 02-14, then Spring Festival 02-15..23"),
    ((2026, 10, 9), "2026-10-12", "make-up Saturday 10-10 is day 1"),
    ((2026, 4, 3), "2026-04-08", "Qingming 04-04..06"),
    ((2026, 9, 24), "2026-09-29", "a Thursday before Mid-Autumn 09-25..27"),
    ((2026, 9, 30), "2026-10-09", "the eve of National Day 10-01..07"),
]


@pytest.mark.parametrize(("received", "last_day", "why"), FRIDAY_EVENINGS)
def test_two_working_days_from_17_50_before_a_public_holiday(
    received: tuple[int, int, int], last_day: str, why: str
) -> None:
    start = at(SH, *received, 17, 50)
    end = date.fromisoformat(last_day)
    assert due(TWO_WORKING_DAYS, start, ALL_DAY) == ALL_DAY.end_of_day(end), why
    assert ALL_DAY.day_ending_at(due(TWO_WORKING_DAYS, start, ALL_DAY)) == end
    assert due(TWO_WORKING_DAYS, start, OFFICE) == at(SH, end.year, end.month, end.day, 17, 30)


def test_the_day_received_is_not_counted_however_early() -> None:
    monday_morning = at(SH, 2026, 10, 12, 0, 1)
    assert when(TWO_WORKING_DAYS, monday_morning, OFFICE) == "Wed 2026-10-14 17:30"
    monday_evening = at(SH, 2026, 10, 12, 23, 59)
    assert when(TWO_WORKING_DAYS, monday_evening, OFFICE) == "Wed 2026-10-14 17:30"


def test_same_time_reading_counts_working_time() -> None:
    spec = DeadlineSpec(Span.working_days(1), day_reading=DayReading.SAME_TIME)
    assert when(spec, at(SH, 2026, 10, 12, 10), OFFICE) == "Tue 2026-10-13 10:00"
    assert when(spec, at(SH, 2026, 9, 30, 10), OFFICE) == "Thu 2026-10-08 10:00"
    assert when(spec, at(SH, 2026, 10, 3, 10), OFFICE) == "Thu 2026-10-08 17:30"  # a holiday
    assert when(spec, at(SH, 2026, 10, 9, 10), ALL_DAY) == "Sat 2026-10-10 10:00"  # make-up


def test_start_of_day_reading_is_the_opening() -> None:
    spec = DeadlineSpec(Span.working_days(1), kind=Kind.EARLIEST)
    assert spec.reading is DayReading.START_OF_DAY
    assert when(spec, at(SH, 2026, 9, 30, 10), OFFICE) == "Thu 2026-10-08 08:30"


def test_an_ordinal_working_day_counts_the_day_received() -> None:
    second = DeadlineSpec(Span.working_days(2), counts_start_day=True)  # 第2个工作日
    assert when(second, at(SH, 2026, 10, 12, 10), OFFICE) == "Tue 2026-10-13 17:30"
    assert when(second, at(SH, 2026, 10, 12, 18), OFFICE) == "Wed 2026-10-14 17:30"  # after hours
    assert when(second, at(SH, 2026, 10, 3, 10), OFFICE) == "Fri 2026-10-09 17:30"  # holiday


def test_zero_working_days_is_the_end_of_today_or_the_next_working_day() -> None:
    today = DeadlineSpec(Span.working_days(0))
    assert when(today, at(SH, 2026, 10, 12, 10), OFFICE) == "Mon 2026-10-12 17:30"
    assert when(today, at(SH, 2026, 10, 12, 18), OFFICE) == "Tue 2026-10-13 17:30"
    assert when(today, at(SH, 2026, 10, 4, 18), OFFICE) == "Thu 2026-10-08 17:30"


def test_a_site_closed_day_and_extra_working_day_count() -> None:
    site = SiteCalendar.of(SH, closed=[date(2026, 10, 12)], extra=[date(2026, 10, 11)])
    # Friday 10-09 17:50: Sat 10-10 (make-up) day 1, Sun 10-11 (site extra) day 2.
    assert site.day_ending_at(due(TWO_WORKING_DAYS, at(SH, 2026, 10, 9, 17, 50), site)) == date(
        2026, 10, 11
    )
    # Saturday 10-10 evening: 10-11 day 1, 10-12 closed, 10-13 day 2.
    assert site.day_ending_at(due(TWO_WORKING_DAYS, at(SH, 2026, 10, 10, 20), site)) == date(
        2026, 10, 13
    )


def test_an_uncovered_year_counts_monday_to_friday() -> None:
    # 2100-01-01 is a Friday; in the fallback it is an ordinary working day.
    assert when(TWO_WORKING_DAYS, at(SH, 2099, 12, 31, 10)) == "Tue 2100-01-05 00:00"


# -- calendar days and months ----------------------------------------------------------------


def test_calendar_days_end_at_24_00_the_day_received_not_counted() -> None:
    five = DeadlineSpec(Span.days(5))
    assert when(five, at(SH, 2026, 10, 1, 9)) == "Wed 2026-10-07 00:00"  # = end of 10-06
    same_day = DeadlineSpec(Span.days(0))
    assert when(same_day, at(SH, 2026, 10, 1, 9), OFFICE) == "Fri 2026-10-02 00:00"


def test_rolling_a_calendar_span_off_a_holiday() -> None:
    five = DeadlineSpec(Span.days(5), roll_to_working_day=True)
    # 10-01 + 5 = 10-06 (holiday) → 10-08, the first working day after National Day.
    assert ALL_DAY.day_ending_at(due(five, at(SH, 2026, 10, 1, 9), ALL_DAY)) == date(2026, 10, 8)


@pytest.mark.parametrize(
    ("start", "months", "landing"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
    ],
)
def test_months_clamp_to_the_months_end(start: date, months: int, landing: date) -> None:
    assert add_months(start, months) == landing


def test_a_month_clock_at_the_same_time() -> None:
    month = DeadlineSpec(Span.months(1), day_reading=DayReading.SAME_TIME)
    assert when(month, at(SH, 2026, 1, 31, 15, 20)) == "Sat 2026-02-28 15:20"


# -- off-hours start (B20) ---------------------------------------------------------------------

NEXT_WORKING_DAY = DeadlineSpec(Span.working_days(0), off_hours_start=True)


def test_received_at_night_counts_from_the_next_opening() -> None:
    tuesday_night = at(SH, 2026, 10, 13, 23)
    assert wall(SH, clock_start(NEXT_WORKING_DAY, tuesday_night, OFFICE)) == "Wed 2026-10-14 08:30"
    assert when(NEXT_WORKING_DAY, tuesday_night, OFFICE) == "Wed 2026-10-14 17:30"
    assert when(NEXT_WORKING_DAY, at(SH, 2026, 10, 14, 2), OFFICE) == "Wed 2026-10-14 17:30"
    assert when(NEXT_WORKING_DAY, at(SH, 2026, 10, 14, 10), OFFICE) == "Wed 2026-10-14 17:30"


def test_received_on_a_holiday_counts_from_the_first_working_day_after() -> None:
    assert when(NEXT_WORKING_DAY, at(SH, 2026, 10, 2, 15), OFFICE) == "Thu 2026-10-08 17:30"
    # Without working hours only non-working days are off hours.
    assert when(NEXT_WORKING_DAY, at(SH, 2026, 10, 2, 15), ALL_DAY) == "Fri 2026-10-09 00:00"
    hours = DeadlineSpec(Span.hours(2), off_hours_start=True)
    assert when(hours, at(SH, 2026, 2, 16, 22), OFFICE) == "Tue 2026-02-24 10:30"


# -- pauses ---------------------------------------------------------------------------------------


def test_a_pause_moves_a_real_time_clock_by_the_paused_time() -> None:
    spec = DeadlineSpec(Span.hours(24))
    start = at(SH, 2026, 10, 12, 9)
    pause = Pause(at(SH, 2026, 10, 12, 10), at(SH, 2026, 10, 12, 13), "waiting_on_customer")
    assert when(spec, start, pauses=[pause]) == "Tue 2026-10-13 12:00"


def test_paused_working_time_does_not_count_but_paused_night_changes_nothing() -> None:
    start = at(SH, 2026, 10, 12, 9)  # Monday; due Wednesday 17:30
    day_pause = Pause(at(SH, 2026, 10, 12, 10), at(SH, 2026, 10, 12, 13))
    assert when(TWO_WORKING_DAYS, start, OFFICE, pauses=[day_pause]) == "Thu 2026-10-15 11:30"
    night = Pause(at(SH, 2026, 10, 12, 18), at(SH, 2026, 10, 13, 8))
    assert when(TWO_WORKING_DAYS, start, OFFICE, pauses=[night]) == "Wed 2026-10-14 17:30"


def test_a_pause_across_the_due_time_resumes_with_what_was_left() -> None:
    spec = DeadlineSpec(Span.minutes(40))
    start = at(SH, 2026, 10, 12, 9)
    pause = Pause(at(SH, 2026, 10, 12, 9, 30), at(SH, 2026, 10, 12, 11))  # 10 minutes left
    assert when(spec, start, pauses=[pause]) == "Mon 2026-10-12 11:10"


def test_a_pause_after_the_clock_ran_out_changes_nothing() -> None:
    spec = DeadlineSpec(Span.minutes(10))
    start = at(SH, 2026, 10, 12, 9)
    late = Pause(at(SH, 2026, 10, 12, 9, 15), at(SH, 2026, 10, 12, 12))
    assert when(spec, start, pauses=[late]) == "Mon 2026-10-12 09:10"
    assert status(spec, start, at(SH, 2026, 10, 12, 10), ALL_DAY, pauses=[late]) == (
        State.OVERDUE,
        timedelta(minutes=50),
    )


def test_overlapping_pauses_count_once() -> None:
    spec = DeadlineSpec(Span.hours(1))
    start = at(SH, 2026, 10, 12, 9)
    a = Pause(at(SH, 2026, 10, 12, 9, 10), at(SH, 2026, 10, 12, 9, 40))
    b = Pause(at(SH, 2026, 10, 12, 9, 30), at(SH, 2026, 10, 12, 9, 50))
    assert when(spec, start, pauses=[a, b]) == "Mon 2026-10-12 10:40"


def test_pause_and_resume() -> None:
    spec = DeadlineSpec(Span.hours(2), remind_fraction=0.5)
    start = at(SH, 2026, 10, 12, 9)
    pauses = paused((), at(SH, 2026, 10, 12, 10), by="Li")
    with pytest.raises(ValueError, match="already paused"):
        paused(pauses, at(SH, 2026, 10, 12, 10, 5))
    during = at(SH, 2026, 10, 12, 12)
    assert status(spec, start, during, ALL_DAY, pauses=pauses) == (State.PAUSED, None)
    with pytest.raises(ValueError, match="open pause needs now"):
        due(spec, start, ALL_DAY, pauses=pauses)
    # If it resumed now, an hour would be left.
    assert wall(SH, due(spec, start, ALL_DAY, pauses=pauses, now=during)) == "Mon 2026-10-12 13:00"
    pauses = resumed(pauses, at(SH, 2026, 10, 12, 14))
    with pytest.raises(ValueError, match="not paused"):
        resumed(pauses, at(SH, 2026, 10, 12, 15))
    assert pauses[0].by == "Li" and pauses[0].reason == "waiting_on_customer"
    assert when(spec, start, pauses=pauses) == "Mon 2026-10-12 15:00"
    # Reminder at half the running time: 1 hour, the paused 4 hours not counted.
    assert wall(SH, remind_at(spec, start, ALL_DAY, pauses=pauses)) == "Mon 2026-10-12 10:00"  # type: ignore[arg-type]
    assert status(spec, start, at(SH, 2026, 10, 12, 14, 30), ALL_DAY, pauses=pauses) == (
        State.DUE_SOON,
        None,
    )


def test_a_pause_opened_now_already_pauses() -> None:
    spec = DeadlineSpec(Span.hours(2))
    start, now = at(SH, 2026, 10, 12, 9), at(SH, 2026, 10, 12, 10)
    assert status(spec, start, now, ALL_DAY, pauses=paused((), now)).state is State.PAUSED


def test_a_reminder_skips_a_pause() -> None:
    spec = DeadlineSpec(Span.hours(10), remind_fraction=0.8)
    start = at(SH, 2026, 10, 12, 0)
    pause = Pause(at(SH, 2026, 10, 12, 4), at(SH, 2026, 10, 12, 6))
    assert wall(SH, remind_at(spec, start, ALL_DAY, pauses=[pause])) == "Mon 2026-10-12 10:00"  # type: ignore[arg-type]
    assert when(spec, start, pauses=[pause]) == "Mon 2026-10-12 12:00"


# -- extensions ----------------------------------------------------------------------------------


def gm(granted: datetime, **kw: object) -> Extension:
    return Extension(granted, "general_manager", approved_by="Wang", **kw)  # type: ignore[arg-type]


def test_an_extension_by_a_span_moves_the_due_time() -> None:
    start = at(SH, 2026, 10, 12, 9)  # due Wed 10-14 17:30
    by_a_day = gm(at(SH, 2026, 10, 14, 16), by=Span.working_days(1), reason="电话打不通")
    assert when(TWO_WORKING_DAYS, start, OFFICE, extensions=[by_a_day]) == "Thu 2026-10-15 17:30"
    reply = DeadlineSpec(Span.hours(24))
    by_hours = gm(at(SH, 2026, 10, 12, 20), by=Span.hours(12))
    assert when(reply, start, extensions=[by_hours]) == "Tue 2026-10-13 21:00"


def test_an_end_of_day_extension_counts_from_the_day_that_ends() -> None:
    start = at(SH, 2026, 10, 12, 9)  # all day: due 24:00 Wed 10-14
    by_a_day = gm(at(SH, 2026, 10, 14, 16), by=Span.working_days(1))
    assert ALL_DAY.day_ending_at(
        due(TWO_WORKING_DAYS, start, ALL_DAY, extensions=[by_a_day])
    ) == date(2026, 10, 15)


def test_an_extension_to_a_date_or_an_instant() -> None:
    start = at(SH, 2026, 10, 12, 9)
    to_day = gm(at(SH, 2026, 10, 13, 9), until=date(2026, 10, 16))
    assert when(TWO_WORKING_DAYS, start, OFFICE, extensions=[to_day]) == "Fri 2026-10-16 17:30"
    assert when(TWO_WORKING_DAYS, start, ALL_DAY, extensions=[to_day]) == "Sat 2026-10-17 00:00"
    to_instant = gm(at(SH, 2026, 10, 13, 9), until=at(SH, 2026, 10, 16, 20))
    assert when(TWO_WORKING_DAYS, start, OFFICE, extensions=[to_instant]) == "Fri 2026-10-16 20:00"


def test_an_extension_never_brings_the_due_time_forward() -> None:
    start = at(SH, 2026, 10, 12, 9)
    earlier = gm(at(SH, 2026, 10, 12, 10), until=date(2026, 10, 12))
    assert when(TWO_WORKING_DAYS, start, OFFICE, extensions=[earlier]) == "Wed 2026-10-14 17:30"


def test_pauses_before_an_extension_to_a_date_are_in_it_and_later_ones_still_count() -> None:
    start = at(SH, 2026, 10, 12, 9)
    before = Pause(at(SH, 2026, 10, 12, 10), at(SH, 2026, 10, 12, 13))
    to_day = gm(at(SH, 2026, 10, 13, 9), until=date(2026, 10, 16))
    assert when(TWO_WORKING_DAYS, start, OFFICE, pauses=[before], extensions=[to_day]) == (
        "Fri 2026-10-16 17:30"
    )
    after = Pause(at(SH, 2026, 10, 15, 10), at(SH, 2026, 10, 15, 12))
    assert when(TWO_WORKING_DAYS, start, OFFICE, pauses=[after], extensions=[to_day]) == (
        "Mon 2026-10-19 10:30"
    )


def test_an_extension_after_the_clock_ran_out() -> None:
    spec = DeadlineSpec(Span.minutes(10))
    start = at(SH, 2026, 10, 12, 9)
    late = gm(at(SH, 2026, 10, 12, 9, 30), by=Span.hours(1))
    assert when(spec, start, extensions=[late]) == "Mon 2026-10-12 10:10"
    assert status(spec, start, at(SH, 2026, 10, 12, 10), ALL_DAY, extensions=[late]).state is (
        State.WAITING
    )


def test_an_extension_is_either_by_or_until() -> None:
    with pytest.raises(ValueError):
        Extension(at(SH, 2026, 10, 12, 9), "general_manager")
    with pytest.raises(ValueError):
        Extension(at(SH, 2026, 10, 12, 9), "general_manager", Span.hours(1), date(2026, 10, 13))


# -- status ----------------------------------------------------------------------------------


def test_a_due_by_clock_from_waiting_to_overdue() -> None:
    spec = DeadlineSpec(Span.hours(24), remind_fraction=0.8)
    start = at(SH, 2026, 10, 12, 9)

    def state(now: datetime, met: datetime | None = None) -> tuple[State, timedelta | None]:
        return tuple(status(spec, start, now, ALL_DAY, met_at=met))  # type: ignore[return-value]

    assert state(at(SH, 2026, 10, 13, 4)) == (State.WAITING, None)
    assert state(at(SH, 2026, 10, 13, 4, 12)) == (State.DUE_SOON, None)  # 80 % of 24 h
    assert state(at(SH, 2026, 10, 13, 9)) == (State.DUE_SOON, None)  # at the due time
    assert state(at(SH, 2026, 10, 13, 9, 1)) == (State.OVERDUE, timedelta(minutes=1))
    assert state(at(SH, 2026, 10, 14), at(SH, 2026, 10, 13, 9)) == (State.MET_ON_TIME, None)
    assert state(at(SH, 2026, 10, 14), at(SH, 2026, 10, 13, 11)) == (
        State.MET_LATE,
        timedelta(hours=2),
    )


def test_an_earliest_clock_too_early_or_on_time() -> None:
    callback = DeadlineSpec(Span.minutes(40), kind=Kind.EARLIEST)
    start = at(SH, 2026, 10, 12, 9)
    five = at(SH, 2026, 10, 12, 9, 5)
    assert status(callback, start, five, ALL_DAY, met_at=five) == (State.TOO_EARLY, None)
    assert status(callback, start, five, ALL_DAY) == (State.WAITING, None)
    forty = at(SH, 2026, 10, 12, 9, 40)
    assert status(callback, start, forty, ALL_DAY) == (State.DUE_NOW, None)
    assert status(callback, start, forty, ALL_DAY, met_at=forty) == (State.MET_ON_TIME, None)
    later = at(SH, 2026, 10, 12, 13)
    assert status(callback, start, later, ALL_DAY, met_at=later) == (State.MET_ON_TIME, None)
    assert remind_at(callback, start, ALL_DAY) == forty


def test_no_reminder_without_a_fraction() -> None:
    spec = DeadlineSpec(Span.hours(1))
    start = at(SH, 2026, 10, 12, 9)
    assert remind_at(spec, start, ALL_DAY) is None
    assert status(spec, start, at(SH, 2026, 10, 12, 9, 59), ALL_DAY).state is State.WAITING


def test_a_working_day_reminder_falls_in_working_hours() -> None:
    start = at(SH, 2026, 9, 30, 17, 50)  # due Fri 10-09 17:30, 18 working hours
    assert wall(SH, remind_at(TWO_WORKING_DAYS, start, OFFICE)) == "Fri 2026-10-09 13:54"  # type: ignore[arg-type]
