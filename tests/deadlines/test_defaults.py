"""The rules' default clocks: each fires at the right minute in the site's zone — Shanghai on the
eve of National Day and before the Spring Festival (working hours 08:30–17:30), Shanghai the day
before a make-up Saturday (no working hours), Berlin on the night the clocks go forward (a
weekend, Monday–Friday) — and the table itself: stable keys, sources, both languages, a reason
for every row of §8.1 that is no clock."""

from __future__ import annotations

import re

import pytest

from bot.deadlines import SiteCalendar, Span, due, remind_at
from bot.deadlines.defaults import DEFAULTS, REMIND_FRACTION, default, default_specs, usable
from bot.deadlines.specs import Kind
from tests.deadlines.support import ALL_DAY, BERLIN, BERLIN_OFFICE, OFFICE, SH, at, wall
from tests.test_typography import findings

SCENARIOS: dict[str, tuple[SiteCalendar, tuple[int, ...]]] = {
    "national_day_eve": (OFFICE, (2026, 9, 30, 17, 50)),  # Wed, after closing
    "before_makeup_saturday": (ALL_DAY, (2026, 10, 9, 10, 15)),  # Fri; Sat 10-10 is worked
    "berlin_dst_night": (BERLIN_OFFICE, (2026, 3, 28, 22, 40)),  # Sat; CET → CEST at 02:00
    "spring_festival_eve": (OFFICE, (2026, 2, 13, 17, 50)),  # Fri; Sat 02-14 worked, 15–23 off
}
NAMES = list(SCENARIOS)

# key: the due (or earliest) time in each scenario, 2026, site wall clock. "00:00" is 24:00 of
# the day before.
EXPECTED: dict[str, tuple[str, str, str, str]] = {
    "b3_submit_order":
        ("Wed 09-30 18:00", "Fri 10-09 10:25", "Sat 03-28 22:50", "Fri 02-13 18:00"),
    "b3_plan_agreement":
        ("Wed 09-30 18:00", "Fri 10-09 10:25", "Sat 03-28 22:50", "Fri 02-13 18:00"),
    "b3_first_contact_phone":
        ("Wed 09-30 18:10", "Fri 10-09 10:35", "Sat 03-28 23:00", "Fri 02-13 18:10"),
    "b3_first_contact_on_site":
        ("Wed 09-30 18:00", "Fri 10-09 10:25", "Sat 03-28 22:50", "Fri 02-13 18:00"),
    "b3_callback":
        ("Wed 09-30 18:30", "Fri 10-09 10:55", "Sat 03-28 23:20", "Fri 02-13 18:30"),
    "b3_result_return":
        ("Thu 10-01 05:50", "Fri 10-09 22:15", "Sun 03-29 11:40", "Sat 02-14 05:50"),
    "b3_second_contact":
        ("Thu 10-01 17:50", "Sat 10-10 10:15", "Sun 03-29 23:40", "Sat 02-14 17:50"),
    "b3_first_response_dissatisfied":
        ("Wed 09-30 18:20", "Fri 10-09 10:45", "Sat 03-28 23:10", "Fri 02-13 18:20"),
    "b3_first_response_very_dissatisfied":
        ("Wed 09-30 18:10", "Fri 10-09 10:35", "Sat 03-28 23:00", "Fri 02-13 18:10"),
    "b3_first_response_major":
        ("Wed 09-30 18:00", "Fri 10-09 10:25", "Sat 03-28 22:50", "Fri 02-13 18:00"),
    "b3_first_response_crisis":
        ("Wed 09-30 18:00", "Fri 10-09 10:25", "Sat 03-28 22:50", "Fri 02-13 18:00"),
    "b3_second_response":
        ("Thu 10-01 17:50", "Sat 10-10 10:15", "Sun 03-29 23:40", "Sat 02-14 17:50"),
    "b1_hot_after_week":
        ("Wed 10-07 17:50", "Fri 10-16 10:15", "Sat 04-04 22:40", "Fri 02-20 17:50"),
    "b1_major_after_month":
        ("Fri 10-30 17:50", "Mon 11-09 10:15", "Tue 04-28 22:40", "Fri 03-13 17:50"),
    "b9_same_day_check":
        ("Thu 10-01 00:00", "Sat 10-10 00:00", "Sun 03-29 00:00", "Sat 02-14 00:00"),
    "b8_repair_callback":
        ("Thu 10-01 00:00", "Sat 10-10 00:00", "Sun 03-29 00:00", "Sat 02-14 00:00"),
    "b8_other_callback":
        ("Thu 10-15 00:00", "Sat 10-24 00:00", "Sun 04-12 00:00", "Sat 02-28 00:00"),
    "b8_packaging_opinion":
        ("Fri 10-09 17:30", "Sun 10-11 00:00", "Tue 03-31 17:30", "Tue 02-24 17:30"),
    "b4_enquiry_reply":
        ("Thu 10-01 17:50", "Sat 10-10 10:15", "Sun 03-29 23:40", "Sat 02-14 17:50"),
    "b10_investigation_start":
        ("Thu 10-08 17:30", "Sun 10-11 00:00", "Mon 03-30 17:30", "Sat 02-14 17:30"),
    "b10_satisfactory_reply":
        ("Fri 10-09 17:30", "Tue 10-13 00:00", "Tue 03-31 17:30", "Tue 02-24 17:30"),
    "b13_handling_opinion":
        ("Thu 10-08 17:30", "Sun 10-11 00:00", "Mon 03-30 17:30", "Sat 02-14 17:30"),
    "b11_written_reply":
        ("Fri 10-09 17:30", "Tue 10-13 00:00", "Tue 03-31 17:30", "Tue 02-24 17:30"),
    "b11_complex_reply":
        ("Tue 10-13 17:30", "Fri 10-16 00:00", "Fri 04-03 17:30", "Fri 02-27 17:30"),
    "b7_resolve":
        ("Tue 10-06 00:00", "Thu 10-15 00:00", "Fri 04-03 00:00", "Thu 02-19 00:00"),
    "b7_major_reply":
        ("Sun 10-11 00:00", "Tue 10-20 00:00", "Wed 04-08 00:00", "Tue 02-24 00:00"),
    "b20_off_hours":
        ("Thu 10-08 17:30", "Sat 10-10 00:00", "Mon 03-30 17:30", "Sat 02-14 17:30"),
    "c3_verify_report":
        ("Thu 10-01 17:50", "Sat 10-10 10:15", "Sun 03-29 23:40", "Sat 02-14 17:50"),
}  # fmt: skip


def test_every_usable_default_has_expected_times() -> None:
    assert set(EXPECTED) == {clock.key for clock in usable()}


@pytest.mark.parametrize("key", sorted(EXPECTED))
@pytest.mark.parametrize("scenario", NAMES)
def test_each_default_fires_at_the_right_minute(key: str, scenario: str) -> None:
    calendar, parts = SCENARIOS[scenario]
    spec = default(key).spec
    assert spec is not None
    got = wall(calendar.timezone, due(spec, at(calendar.timezone, *parts), calendar))
    assert got.replace(" 2026-", " ") == EXPECTED[key][NAMES.index(scenario)], got


def test_the_berlin_hours_clocks_run_in_real_time_across_the_change() -> None:
    start = at(BERLIN, 2026, 3, 28, 22, 40)
    assert due(default("c3_verify_report").spec, start, BERLIN_OFFICE) - start == (  # type: ignore[arg-type]
        Span.hours(24).elapsed
    )


def test_due_by_defaults_remind_at_80_percent_and_earliest_ones_at_their_time() -> None:
    start = at(SH, 2026, 9, 30, 17, 50)
    reply = default("b4_enquiry_reply").spec
    assert reply is not None and reply.remind_fraction == REMIND_FRACTION == 0.8
    assert wall(SH, remind_at(reply, start, OFFICE)) == "Thu 2026-10-01 13:02"  # type: ignore[arg-type]
    two_days = default("b10_satisfactory_reply").spec
    assert two_days is not None  # 18 working hours from the next opening; 80 % is 14.4 h
    assert wall(SH, remind_at(two_days, start, OFFICE)) == "Fri 2026-10-09 13:54"  # type: ignore[arg-type]
    callback = default("b3_callback").spec
    assert callback is not None and callback.kind is Kind.EARLIEST
    assert remind_at(callback, start, OFFICE) == due(callback, start, OFFICE)


def test_a_site_changes_a_default_span_and_keeps_the_rest() -> None:
    spec = default("b10_satisfactory_reply").spec
    assert spec is not None
    longer = spec.with_span("3wd")
    assert longer.remind_fraction == spec.remind_fraction and longer.reading == spec.reading
    start = at(SH, 2026, 9, 30, 17, 50)
    assert wall(SH, due(longer, start, OFFICE)) == "Sat 2026-10-10 17:30"


# -- the table -----------------------------------------------------------------------------------

# procedures.md §8.1: the rows marked ★★★ or ★★.
STARRED_ROWS = {*range(1, 25), 26, 31, 32, 33, 42, 44, 45, 46, 47, 48}


def test_every_starred_row_of_the_catalog_is_there() -> None:
    rows = {clock.row for clock in DEFAULTS}
    assert rows >= STARRED_ROWS


def test_keys_are_stable_identifiers_and_unique() -> None:
    keys = [clock.key for clock in DEFAULTS]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]{2,63}", key) for key in keys)
    assert set(default_specs()) == {clock.key for clock in usable()}


def test_each_has_a_source_titles_and_either_a_spec_or_a_reason() -> None:
    for clock in DEFAULTS:
        assert re.fullmatch(r"00[0-4]:\d+(-\d+)?", clock.source), clock.key
        assert clock.zh and clock.en and clock.title == {"zh": clock.zh, "en": clock.en}
        assert (clock.spec is None) != (clock.unusable is None), clock.key
        assert clock.stars in (0, 1, 2, 3)
    with pytest.raises(ValueError):
        type(DEFAULTS[0])("x_key", 1, "B3", "001:154", 3, "中", "en", None)


def test_the_chinese_titles_follow_the_typography_rules() -> None:
    for clock in DEFAULTS:
        assert findings(clock.zh) == [], clock.key


@pytest.mark.parametrize("clock", [c for c in DEFAULTS if c.spec is None], ids=lambda c: c.key)
def test_unusable_rows_say_why(clock: object) -> None:
    assert len(getattr(clock, "unusable", "")) > 10
