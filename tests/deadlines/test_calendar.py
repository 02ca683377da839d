"""The site calendar: China's 2026 holidays and make-up working days as the State Council's notice
gives them, the fallback for a year the package does not cover, the site's own days, and working
time on the wall clock across a daylight-saving change."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.deadlines.calendar import DayKind, SiteCalendar, WorkingHours, official_calendar_covers
from tests.deadlines.support import ALL_DAY, BERLIN, BERLIN_OFFICE, OFFICE, SH, at, wall

# 国务院办公厅关于2026年部分节假日安排的通知: the holidays and the make-up working days.
HOLIDAYS_2026 = {
    "New Year": ("2026-01-01", "2026-01-03"),
    "Spring Festival": ("2026-02-15", "2026-02-23"),
    "Qingming": ("2026-04-04", "2026-04-06"),
    "Labour Day": ("2026-05-01", "2026-05-05"),
    "Dragon Boat": ("2026-06-19", "2026-06-21"),
    "Mid-Autumn": ("2026-09-25", "2026-09-27"),
    "National Day": ("2026-10-01", "2026-10-07"),
}
MAKEUP_2026 = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]


def days(first: str, last: str) -> list[date]:
    a, b = date.fromisoformat(first), date.fromisoformat(last)
    return [a + timedelta(days=i) for i in range((b - a).days + 1)]


@pytest.mark.parametrize("name", HOLIDAYS_2026)
def test_every_day_of_a_2026_holiday_is_off(name: str) -> None:
    for day in days(*HOLIDAYS_2026[name]):
        assert not ALL_DAY.is_working_day(day), day
        assert ALL_DAY.day_kind(day) in (DayKind.HOLIDAY, DayKind.WEEKEND), day


@pytest.mark.parametrize("day", MAKEUP_2026)
def test_a_makeup_weekend_day_is_a_working_day(day: str) -> None:
    d = date.fromisoformat(day)
    assert d.weekday() >= 5  # a Saturday or Sunday worked instead (调休)
    assert ALL_DAY.day_kind(d) is DayKind.MAKEUP_WORKDAY
    assert ALL_DAY.is_working_day(d)


def test_the_national_day_week_and_its_makeup_days() -> None:
    sept, octo = days("2026-09-19", "2026-09-30"), days("2026-10-01", "2026-10-12")
    working = [d.isoformat() for d in sept + octo if ALL_DAY.is_working_day(d)]
    assert working == [
        "2026-09-20",  # Sunday, make-up
        "2026-09-21", "2026-09-22", "2026-09-23", "2026-09-24",
        # 25–27 Mid-Autumn
        "2026-09-28", "2026-09-29", "2026-09-30",
        # 1–7 National Day
        "2026-10-08", "2026-10-09",
        "2026-10-10",  # Saturday, make-up
        "2026-10-12",
    ]  # fmt: skip
    assert ALL_DAY.next_working_day(date(2026, 9, 30)) == date(2026, 10, 8)


def test_known_dates_of_2025_agree_with_its_notice() -> None:
    # 2025: National Day and Mid-Autumn together 10-01..08; make-up 09-28 (Sun) and 10-11 (Sat).
    assert not any(ALL_DAY.is_working_day(d) for d in days("2025-10-01", "2025-10-08"))
    assert ALL_DAY.is_working_day(date(2025, 9, 28))
    assert ALL_DAY.is_working_day(date(2025, 10, 11))
    # Spring Festival 2025: 01-28..02-04 off, 01-26 (Sun) and 02-08 (Sat) worked.
    assert not ALL_DAY.is_working_day(date(2025, 1, 28))
    assert ALL_DAY.is_working_day(date(2025, 1, 26))
    assert ALL_DAY.is_working_day(date(2025, 2, 8))


def test_an_uncovered_year_falls_back_to_monday_to_friday_and_says_so() -> None:
    assert official_calendar_covers(2026)
    assert not official_calendar_covers(2100)
    assert ALL_DAY.covers(2026) and not ALL_DAY.covers(2100)
    assert ALL_DAY.uncovered_years(date(2099, 12, 1), date(2101, 1, 5)) == [2099, 2100, 2101]
    assert ALL_DAY.uncovered_years(date(2026, 1, 1), date(2026, 12, 31)) == []
    new_year = date(2100, 1, 1)  # a Friday: a holiday in fact, a working day in the fallback
    assert ALL_DAY.day_kind(new_year) is DayKind.FALLBACK_WORKDAY
    assert ALL_DAY.day_kind(date(2100, 1, 2)) is DayKind.FALLBACK_WEEKEND
    # Without China's calendar every year is "covered": Monday–Friday is the rule, not a guess.
    assert BERLIN_OFFICE.covers(2100)


def test_the_sites_own_days_override_the_official_calendar() -> None:
    site = SiteCalendar.of(
        SH, closed=[date(2026, 10, 9)], extra=[date(2026, 10, 3), date(2026, 10, 11)]
    )
    assert site.day_kind(date(2026, 10, 9)) is DayKind.SITE_CLOSED  # a Friday
    assert site.day_kind(date(2026, 10, 3)) is DayKind.SITE_EXTRA  # National Day
    assert site.day_kind(date(2026, 10, 11)) is DayKind.SITE_EXTRA  # a Sunday
    assert site.next_working_day(date(2026, 10, 8)) == date(2026, 10, 10)  # 10-09 closed
    with pytest.raises(ValueError, match="both closed and extra"):
        SiteCalendar.of(SH, closed=[date(2026, 1, 5)], extra=[date(2026, 1, 5)])


def test_a_site_abroad_ignores_chinas_calendar() -> None:
    assert BERLIN_OFFICE.is_working_day(date(2026, 10, 1))  # National Day: a Thursday
    assert not BERLIN_OFFICE.is_working_day(date(2026, 10, 10))  # no make-up Saturday


def test_working_hours_parse_and_refuse_nonsense() -> None:
    assert str(WorkingHours.parse("08:30–17:30")) == "08:30-17:30"
    assert WorkingHours.parse("8:30-17:30").length == timedelta(hours=9)
    for bad in ("17:30-08:30", "09:00-09:00", "0830"):
        with pytest.raises(ValueError):
            WorkingHours.parse(bad)
    with pytest.raises(Exception, match="Mars"):
        SiteCalendar("Mars/Olympus")


def test_working_time_skips_nights_weekends_and_holidays() -> None:
    friday = at(SH, 2026, 9, 30, 16, 30)  # Wednesday before National Day, an hour to closing
    assert OFFICE.working_time(friday, at(SH, 2026, 10, 8, 9, 30)) == timedelta(hours=2)
    assert OFFICE.add_working_time(friday, timedelta(hours=2)) == at(SH, 2026, 10, 8, 9, 30)
    assert OFFICE.add_working_time(friday, timedelta(hours=1)) == at(SH, 2026, 9, 30, 17, 30)
    assert OFFICE.add_working_time(friday, timedelta()) == friday
    # A whole working day without hours is 00:00–24:00.
    assert ALL_DAY.working_time(at(SH, 2026, 10, 9, 12), at(SH, 2026, 10, 12, 12)) == timedelta(
        hours=12 + 24 + 12
    )


def test_next_working_instant_is_the_next_opening() -> None:
    assert wall(SH, OFFICE.next_working_instant(at(SH, 2026, 10, 9, 17, 50))) == (
        "Sat 2026-10-10 08:30"
    )
    assert wall(SH, OFFICE.next_working_instant(at(SH, 2026, 10, 9, 7))) == "Fri 2026-10-09 08:30"
    assert OFFICE.next_working_instant(at(SH, 2026, 10, 9, 9)) == at(SH, 2026, 10, 9, 9)
    assert wall(SH, ALL_DAY.next_working_instant(at(SH, 2026, 10, 3, 9))) == (
        "Thu 2026-10-08 00:00"
    )


def test_working_time_is_measured_on_the_wall_clock_across_dst() -> None:
    # Berlin springs forward on Sunday 2026-03-29 (02:00 → 03:00); this site works that weekend.
    site = SiteCalendar.of(
        BERLIN, extra=[date(2026, 3, 28), date(2026, 3, 29)], public_holidays=False
    )
    saturday_noon, sunday_noon = at(BERLIN, 2026, 3, 28, 12), at(BERLIN, 2026, 3, 29, 12)
    assert sunday_noon - saturday_noon == timedelta(hours=23)  # real time
    assert site.working_time(saturday_noon, sunday_noon) == timedelta(hours=24)  # wall clock
    one_day = site.add_working_time(saturday_noon, site.working_day_length)
    assert wall(BERLIN, one_day) == "Sun 2026-03-29 12:00"


def test_end_of_day_is_24_00_and_reads_as_the_day_it_ends() -> None:
    end = ALL_DAY.end_of_day(date(2026, 10, 9))
    assert wall(SH, end) == "Sat 2026-10-10 00:00"
    assert ALL_DAY.day_ending_at(end) == date(2026, 10, 9)
    assert ALL_DAY.day_ending_at(at(SH, 2026, 10, 9, 17, 30)) is None
    assert wall(SH, OFFICE.closing(date(2026, 10, 9))) == "Fri 2026-10-09 17:30"
