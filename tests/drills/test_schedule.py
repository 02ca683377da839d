"""Reminder times and recurrence in the site's zone: month ends, a zone without daylight
saving (Shanghai) and one with it (Berlin), and the 31st of a month that has none."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.drills.scenarios import canonical
from bot.drills.schedule import add_months, before, due_reminder, occurrences, reminder_times
from bot.drills.settings import DEFAULT_REMINDERS, parse_offset

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def at(tz: ZoneInfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=tz).astimezone(UTC)


def test_reminders_across_a_month_end_in_shanghai() -> None:
    drill = at(SHANGHAI, 2027, 3, 1, 9, 30)
    times = [t for _o, t in reminder_times(drill, DEFAULT_REMINDERS, SHANGHAI)]
    assert times == [
        at(SHANGHAI, 2027, 2, 22, 9, 30),
        at(SHANGHAI, 2027, 2, 28, 9, 30),
        at(SHANGHAI, 2027, 3, 1, 8, 30),
    ]


def test_whole_days_keep_the_wall_clock_time_across_daylight_saving() -> None:
    # Berlin moves to summer time on 28 March 2027: the drill is at 15:00 CEST (13:00 UTC),
    # its 7-day reminder at 15:00 CET (14:00 UTC), not 13:00 UTC (which would be 14:00 local).
    drill = at(BERLIN, 2027, 3, 31, 15, 0)
    assert drill == datetime(2027, 3, 31, 13, 0, tzinfo=UTC)
    week = before(drill, timedelta(days=7), BERLIN)
    assert week == datetime(2027, 3, 24, 14, 0, tzinfo=UTC)
    assert week.astimezone(BERLIN).hour == 15
    # An hour is an hour, whatever the clocks do.
    assert before(drill, timedelta(hours=1), BERLIN) == drill - timedelta(hours=1)
    # The night of the change: 1 day before 28 March 03:30 CEST is 27 March 03:30 CET.
    night = at(BERLIN, 2027, 3, 28, 3, 30)
    assert before(night, timedelta(days=1), BERLIN).astimezone(BERLIN).hour == 3


def test_the_reminder_due_is_the_latest_one_not_a_burst_of_stale_ones() -> None:
    drill = at(SHANGHAI, 2026, 12, 8, 15, 0)
    planned = at(SHANGHAI, 2026, 11, 20, 10, 0)
    # The bot was down from before the 7-day reminder until after the 1-day one.
    late = at(SHANGHAI, 2026, 12, 7, 16, 0)
    offset, _due = due_reminder(drill, DEFAULT_REMINDERS, SHANGHAI, now=late, since=planned) or (
        None,
        None,
    )
    assert offset == timedelta(days=1)
    # Planned two days before: the 7-day reminder fell due before it existed and is not sent.
    short = at(SHANGHAI, 2026, 12, 6, 15, 0)
    assert due_reminder(drill, DEFAULT_REMINDERS, SHANGHAI, now=short, since=short) is None
    # Nothing once the drill has begun.
    assert due_reminder(drill, DEFAULT_REMINDERS, SHANGHAI, now=drill, since=planned) is None


def test_recurrence_keeps_the_day_and_local_time() -> None:
    first = at(BERLIN, 2027, 1, 31, 15, 0)
    series = occurrences(first, 1, at(BERLIN, 2027, 5, 1), BERLIN)
    local = [d.astimezone(BERLIN) for d in series]
    assert [(d.month, d.day, d.hour) for d in local] == [
        (1, 31, 15),
        (2, 28, 15),
        (3, 31, 15),
        (4, 30, 15),
    ]
    half_yearly = occurrences(at(SHANGHAI, 2026, 12, 8, 15), 6, at(SHANGHAI, 2028, 1, 1), SHANGHAI)
    assert [d.astimezone(SHANGHAI).date().isoformat() for d in half_yearly] == [
        "2026-12-08",
        "2027-06-08",
        "2027-12-08",
    ]
    assert add_months(at(SHANGHAI, 2027, 8, 31, 9), 6, SHANGHAI) == at(SHANGHAI, 2028, 2, 29, 9)
    assert occurrences(first, 0, at(BERLIN, 2030, 1, 1), BERLIN) == [first]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7d", timedelta(days=7)), ("1h", timedelta(hours=1)), (30, timedelta(minutes=30))],
)
def test_offsets(text: str | int, expected: timedelta) -> None:
    assert parse_offset(text) == expected


@pytest.mark.parametrize("text", ["0m", "61d", "soon", "-1h"])
def test_bad_offsets_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_offset(text)


def test_a_listed_procedure_counts_as_its_scenario() -> None:
    assert canonical("pb:fire") == "fire"
    assert canonical("pb:natural_disaster") == "flood"
    assert canonical("pb:lost_property") == "pb:lost_property"
    assert canonical("leak") == "leak"
