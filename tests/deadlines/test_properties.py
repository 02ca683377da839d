"""Properties over random starts, spans, readings, calendars, pauses and extensions: a due time
is never before its start, pausing never makes it earlier, a longer span never ends sooner, an
extension never brings it forward, and a reminder falls between the start and the due time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

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
    clock_start,
    due,
    remind_at,
    status,
)
from tests.deadlines.support import ALL_DAY, BERLIN_OFFICE, OFFICE, SH

SITE = SiteCalendar.of(
    SH, closed=[date(2026, 10, 12)], extra=[date(2026, 10, 11)], hours="09:00-18:00"
)
CALENDARS = st.sampled_from([ALL_DAY, OFFICE, BERLIN_OFFICE, SITE])
MAX_AMOUNT = {
    Unit.SECONDS: 200000,
    Unit.MINUTES: 3000,
    Unit.HOURS: 300,
    Unit.DAYS: 60,
    Unit.WORKING_DAYS: 20,
    Unit.MONTHS: 14,
}
# 2025–2027: official years and a fallback year, both DST changes in Berlin.
instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


@st.composite
def specs(draw: st.DrawFn, unit: Unit | None = None) -> DeadlineSpec:
    unit = unit or draw(st.sampled_from(list(Unit)))
    amount = draw(st.integers(0, MAX_AMOUNT[unit]))
    kind = draw(st.sampled_from(list(Kind)))
    ordinal = unit in (Unit.DAYS, Unit.WORKING_DAYS) and amount >= 1 and draw(st.booleans())
    return DeadlineSpec(
        Span(amount, unit),
        kind=kind,
        day_reading=draw(st.none() | st.sampled_from(list(DayReading))),
        counts_start_day=ordinal,
        remind_fraction=draw(st.none() | st.floats(0.05, 0.95)) if kind is Kind.DUE_BY else None,
        off_hours_start=draw(st.booleans()),
        roll_to_working_day=draw(st.booleans()),
    )


@st.composite
def pause_lists(draw: st.DrawFn, start: datetime) -> list[Pause]:
    pauses = []
    for _ in range(draw(st.integers(0, 3))):
        begin = start + timedelta(minutes=draw(st.integers(-600, 20 * 1440)))
        length = timedelta(minutes=draw(st.integers(0, 5 * 1440)))
        pauses.append(Pause(begin, begin + length))
    return pauses


@settings(max_examples=300)
@given(specs(), instants, CALENDARS)
def test_due_is_never_before_the_start(
    spec: DeadlineSpec, start: datetime, cal: SiteCalendar
) -> None:
    end = due(spec, start, cal)
    assert end >= clock_start(spec, start, cal) >= start
    assert end.tzinfo is UTC


@settings(max_examples=300)
@given(st.data(), specs(), instants, CALENDARS)
def test_pausing_never_makes_a_deadline_earlier(
    data: st.DataObject, spec: DeadlineSpec, start: datetime, cal: SiteCalendar
) -> None:
    pauses = data.draw(pause_lists(start))
    assert due(spec, start, cal, pauses=pauses) >= due(spec, start, cal)
    # and adding one more pause to those never makes it earlier either
    more = data.draw(pause_lists(start))
    assert due(spec, start, cal, pauses=pauses + more) >= due(spec, start, cal, pauses=pauses)


@settings(max_examples=300)
@given(st.data(), st.sampled_from(list(Unit)), instants, CALENDARS)
def test_a_longer_span_never_ends_sooner(
    data: st.DataObject, unit: Unit, start: datetime, cal: SiteCalendar
) -> None:
    spec = data.draw(specs(unit))
    longer = spec.with_span(Span(spec.span.amount + data.draw(st.integers(0, 10)), unit))
    assert due(longer, start, cal) >= due(spec, start, cal)


@settings(max_examples=200)
@given(st.data(), specs(), instants, CALENDARS)
def test_an_extension_never_brings_the_due_time_forward(
    data: st.DataObject, spec: DeadlineSpec, start: datetime, cal: SiteCalendar
) -> None:
    granted = start + timedelta(minutes=data.draw(st.integers(0, 30 * 1440)))
    if data.draw(st.booleans()):
        unit = data.draw(st.sampled_from(list(Unit)))
        ext = Extension(granted, "general_manager", by=Span(data.draw(st.integers(0, 5)), unit))
    else:
        until = start + timedelta(minutes=data.draw(st.integers(-5 * 1440, 30 * 1440)))
        ext = Extension(granted, "general_manager", until=until)
    pauses = data.draw(pause_lists(start))
    assert due(spec, start, cal, pauses=pauses, extensions=[ext]) >= due(
        spec, start, cal, pauses=pauses
    )


@settings(max_examples=200)
@given(st.data(), specs(), instants, CALENDARS)
def test_a_reminder_falls_between_start_and_due_and_status_agrees(
    data: st.DataObject, spec: DeadlineSpec, start: datetime, cal: SiteCalendar
) -> None:
    pauses = data.draw(pause_lists(start))
    end = due(spec, start, cal, pauses=pauses)
    reminder = remind_at(spec, start, cal, pauses=pauses)
    if reminder is not None:
        assert clock_start(spec, start, cal) <= reminder <= end
    after = end + timedelta(seconds=1)
    state = status(spec, start, after, cal, pauses=pauses).state
    if not any(p.start <= after < p.end for p in pauses if p.end is not None):
        assert state in (State.OVERDUE, State.DUE_NOW)
