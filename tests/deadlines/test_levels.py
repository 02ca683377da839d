"""B1's level rises: 热点 a week after the complaint arose, 重大 a month after (month-end
clamping), 热点 for three different complainants within a rolling month (not one complainant
three times), 重要 for a complaint about a closed matter, and never lower."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.deadlines.levels import (
    CLOSED_MATTER,
    REPEAT_COMPLAINANTS,
    RULES,
    UNRESOLVED_MONTH,
    UNRESOLVED_WEEK,
    Complaint,
    Level,
    Rise,
    RiseRule,
    age_rises,
    closed_matter_rise,
    next_age_rise,
    raised,
    repeat_rise,
)
from tests.deadlines.support import BERLIN, SH, at, wall

AROSE = at(SH, 2026, 1, 31, 15, 20)


def test_levels_are_ordered_and_keyed_as_the_playbook() -> None:
    assert Level.GENERAL < Level.IMPORTANT < Level.HOT < Level.MAJOR
    assert [level.key for level in Level] == ["general", "important", "hot", "major"]
    assert Level.from_key("hot") is Level.HOT
    assert Level.MAJOR.title == {"zh": "重大投诉", "en": "Major"}


def test_each_rule_names_its_seed_line() -> None:
    assert {r.id: r.source for r in RULES} == {
        "b1_unresolved_week": "002:41",
        "b1_unresolved_month": "002:39",
        "b1_repeat_complainants": "002:41",
        "b1_closed_matter": "002:41",
    }
    assert all(r.seed and r.en for r in RULES)


def test_hot_after_a_week() -> None:
    assert age_rises(Level.GENERAL, AROSE, at(SH, 2026, 2, 7, 15, 19), SH) == []
    rises = age_rises(Level.GENERAL, AROSE, at(SH, 2026, 2, 7, 15, 20), SH)
    assert rises == [Rise(UNRESOLVED_WEEK, at(SH, 2026, 2, 7, 15, 20))]
    assert raised(Level.GENERAL, rises) is Level.HOT


def test_major_after_a_month_clamped_to_the_months_end() -> None:
    # Jan 31 + 1 month = Feb 28 (2026 is no leap year), same wall-clock time.
    assert next_age_rise(Level.HOT, AROSE, SH) == Rise(
        UNRESOLVED_MONTH, at(SH, 2026, 2, 28, 15, 20)
    )
    assert age_rises(Level.HOT, AROSE, at(SH, 2026, 2, 28, 15, 19), SH) == []
    late = age_rises(Level.GENERAL, AROSE, at(SH, 2026, 3, 15), SH)
    assert [(r.rule.id, wall(SH, r.at)) for r in late] == [
        ("b1_unresolved_week", "Sat 2026-02-07 15:20"),
        ("b1_unresolved_month", "Sat 2026-02-28 15:20"),
    ]
    leap = at(SH, 2028, 1, 31, 9)
    assert wall(SH, next_age_rise(Level.HOT, leap, SH).at) == "Tue 2028-02-29 09:00"  # type: ignore[union-attr]


def test_a_week_is_seven_calendar_days_across_dst() -> None:
    arose = at(BERLIN, 2026, 3, 25, 10)  # Berlin springs forward on 03-29
    rise = next_age_rise(Level.GENERAL, arose, BERLIN)
    assert rise is not None and wall(BERLIN, rise.at) == "Wed 2026-04-01 10:00"
    assert rise.at - arose == timedelta(days=7, hours=-1)


def test_no_age_rise_when_resolved_or_not_our_doing() -> None:
    month_later = at(SH, 2026, 3, 15)
    assert age_rises(Level.GENERAL, AROSE, month_later, SH, unresolved=False) == []
    assert age_rises(Level.GENERAL, AROSE, month_later, SH, our_side=False) == []
    assert next_age_rise(Level.GENERAL, AROSE, SH, our_side=False) is None


def test_age_rises_never_lower_a_level() -> None:
    month_later = at(SH, 2026, 3, 15)
    assert age_rises(Level.MAJOR, AROSE, month_later, SH) == []
    assert [r.level for r in age_rises(Level.HOT, AROSE, month_later, SH)] == [Level.MAJOR]
    assert next_age_rise(Level.MAJOR, AROSE, SH) is None


def complaints(*items: tuple[str, datetime]) -> list[Complaint]:
    return [Complaint(who, when) for who, when in items]


def test_three_different_complainants_within_a_rolling_month_make_it_hot() -> None:
    seen = complaints(
        ("13800000001", at(SH, 2026, 1, 31, 9)),
        ("13800000002", at(SH, 2026, 2, 14, 9)),
        ("13800000003", at(SH, 2026, 2, 28, 9)),  # Jan 31 is within the month before Feb 28
    )
    assert repeat_rise(Level.GENERAL, seen, SH) == Rise(REPEAT_COMPLAINANTS, at(SH, 2026, 2, 28, 9))
    assert repeat_rise(Level.GENERAL, seen, SH, now=at(SH, 2026, 2, 27)) is None  # not yet


def test_the_same_complainant_three_times_is_not_a_hot_spot() -> None:
    seen = complaints(*[("1号楼 302", at(SH, 2026, 3, day, 9)) for day in (1, 8, 15)])
    assert repeat_rise(Level.GENERAL, seen, SH) is None
    two_people = complaints(
        ("a", at(SH, 2026, 3, 1)), ("b", at(SH, 2026, 3, 2)), ("a", at(SH, 2026, 3, 3))
    )
    assert repeat_rise(Level.GENERAL, two_people, SH) is None


def test_complaints_more_than_a_month_apart_do_not_add_up() -> None:
    seen = complaints(
        ("a", at(SH, 2026, 3, 1, 9)),
        ("b", at(SH, 2026, 3, 20, 9)),
        ("c", at(SH, 2026, 4, 1, 9, 1)),  # a month and a minute after a
    )
    assert repeat_rise(Level.GENERAL, seen, SH) is None
    seen[-1] = Complaint("c", at(SH, 2026, 4, 1, 9))  # exactly a month: within
    assert repeat_rise(Level.GENERAL, seen, SH) == Rise(REPEAT_COMPLAINANTS, at(SH, 2026, 4, 1, 9))
    # A later window can still reach three.
    seen[-1] = Complaint("c", at(SH, 2026, 4, 1, 9, 1))
    seen.append(Complaint("d", at(SH, 2026, 4, 10)))
    assert repeat_rise(Level.GENERAL, seen, SH) == Rise(REPEAT_COMPLAINANTS, at(SH, 2026, 4, 10))


def test_the_repeat_rule_never_lowers_and_takes_a_threshold() -> None:
    seen = complaints(
        ("a", at(SH, 2026, 3, 1)), ("b", at(SH, 2026, 3, 2)), ("c", at(SH, 2026, 3, 3))
    )
    assert repeat_rise(Level.HOT, seen, SH) is None
    assert repeat_rise(Level.MAJOR, seen, SH) is None
    assert repeat_rise(Level.IMPORTANT, seen, SH) is not None
    assert repeat_rise(Level.GENERAL, seen, SH, threshold=4) is None
    assert repeat_rise(Level.GENERAL, seen[:2], SH, threshold=2) is not None


def test_a_complaint_about_a_closed_matter_is_important() -> None:
    received = at(SH, 2026, 3, 5, 10)
    assert closed_matter_rise(Level.GENERAL, matter_closed=True, at=received) == Rise(
        CLOSED_MATTER, received
    )
    assert closed_matter_rise(Level.GENERAL, matter_closed=False, at=received) is None
    for higher in (Level.IMPORTANT, Level.HOT, Level.MAJOR):
        assert closed_matter_rise(higher, matter_closed=True, at=received) is None


@given(st.sampled_from(list(Level)), st.lists(st.sampled_from(RULES)))
def test_raised_is_never_lower(level: Level, rules: list[RiseRule]) -> None:
    result = raised(level, [Rise(rule, AROSE) for rule in rules])
    assert result >= level
    assert result == max([level, *(rule.level for rule in rules)])


@pytest.mark.parametrize("level", list(Level))
def test_no_rule_lowers_any_level(level: Level) -> None:
    late = at(SH, 2027, 1, 1)
    seen = complaints(("a", AROSE), ("b", AROSE), ("c", AROSE))
    rises = [
        *age_rises(level, AROSE, late, SH),
        repeat_rise(level, seen, SH),
        closed_matter_rise(level, matter_closed=True, at=AROSE),
    ]
    assert all(r.level > level for r in rises if r is not None)
