"""Who the rota names: weekly shifts across midnight, swaps that take precedence, holes, and a
time zone with daylight saving."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.rota import schedule
from bot.rota.models import RotaShift, RotaSwap

SH = "Asia/Shanghai"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def shift(staff: int, weekday: int, start: str, end: str) -> RotaShift:
    a, b = schedule.parse_clock(start), schedule.parse_clock(end)
    assert a is not None and b is not None
    return RotaShift(
        site_id=1, role="duty_manager", staff_id=staff, weekday=weekday, start=a, end=b % 1440,
        created_at=NOW,
    )  # fmt: skip


def local(zone: str, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(zone)).astimezone(UTC)  # type: ignore[misc, arg-type]


def test_a_night_shift_covers_the_next_morning() -> None:
    friday_night = [shift(7, 4, "20:00", "08:00")]  # 2026-11-27 is a Friday
    assert schedule.on_duty(friday_night, [], local(SH, 2026, 11, 27, 19, 59), SH) == []
    assert schedule.on_duty(friday_night, [], local(SH, 2026, 11, 27, 20, 0), SH) == [7]
    assert schedule.on_duty(friday_night, [], local(SH, 2026, 11, 28, 3, 0), SH) == [7]
    assert schedule.on_duty(friday_night, [], local(SH, 2026, 11, 28, 8, 0), SH) == []
    assert schedule.on_duty(friday_night, [], local(SH, 2026, 11, 29, 3, 0), SH) == []


def test_a_swap_replaces_the_weekly_rota_while_it_lasts() -> None:
    week = [shift(1, d, "00:00", "24:00") for d in range(7)]
    swap = RotaSwap(
        site_id=1, role="duty_manager", staff_id=2,
        starts_at=local(SH, 2026, 12, 3, 20, 0), ends_at=local(SH, 2026, 12, 4, 8, 0),
        created_at=NOW,
    )  # fmt: skip
    assert schedule.on_duty(week, [swap], local(SH, 2026, 12, 3, 19, 0), SH) == [1]
    assert schedule.on_duty(week, [swap], local(SH, 2026, 12, 4, 3, 0), SH) == [2]
    assert schedule.on_duty(week, [swap], local(SH, 2026, 12, 4, 8, 0), SH) == [1]
    change = schedule.next_change(week, [swap], local(SH, 2026, 12, 3, 12, 0), SH)
    assert change == swap.starts_at


def test_holes_are_found_to_the_minute() -> None:
    days = [shift(1, d, "08:00", "20:00") for d in range(7)]
    start = local(SH, 2026, 12, 1, 12, 0)
    holes = schedule.holes(days, [], start, start + timedelta(days=1), SH)
    assert holes == [(local(SH, 2026, 12, 1, 20, 0), local(SH, 2026, 12, 2, 8, 0))]


def test_wall_clock_shifts_hold_across_daylight_saving() -> None:
    berlin = "Europe/Berlin"  # clocks go back on Sunday 2026-10-25
    sunday = [shift(3, 6, "08:00", "20:00")]
    before = local(berlin, 2026, 10, 25, 7, 59)
    start = local(berlin, 2026, 10, 25, 8, 0)
    assert schedule.on_duty(sunday, [], before, berlin) == []
    assert schedule.on_duty(sunday, [], start, berlin) == [3]
    assert schedule.next_change(sunday, [], before, berlin) == start
    assert start.hour == 7  # 08:00 CET is 07:00 UTC after the change (it was 06:00 before)


def test_days_and_clock_times_are_read_strictly() -> None:
    assert schedule.parse_days("mon-fri") == [0, 1, 2, 3, 4]
    assert schedule.parse_days("sat,sun") == [5, 6]
    assert schedule.parse_days("fri-mon") == [4, 5, 6, 0]
    assert schedule.parse_days("daily") == list(range(7))
    assert schedule.parse_days("1-3") == [0, 1, 2]
    assert schedule.parse_days("someday") is None
    assert schedule.parse_clock("08:00") == 480 and schedule.parse_clock("24:00") == 1440
    for bad in ("8", "25:00", "08:60", "０８:00", "8:5"):
        assert schedule.parse_clock(bad) is None, bad
