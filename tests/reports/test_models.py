"""The records' own logic: what became of a deadline, a case as a CSV row, a drill's length."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.reports.models import DeadlineRecord, Outcome
from tests.reports import samples

DUE = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)


def test_a_deadline_met_by_its_due_time_is_on_time_and_later_is_late() -> None:
    assert DeadlineRecord("x", DUE, met_at=DUE).outcome is Outcome.ON_TIME
    assert DeadlineRecord("x", DUE, met_at=DUE + timedelta(seconds=1)).outcome is Outcome.LATE
    assert DeadlineRecord("x", DUE).outcome is Outcome.OPEN
    assert DeadlineRecord("x", DUE, late=True).outcome is Outcome.OVERDUE
    # What the caller knows wins: a deadline it counted late stays late.
    assert DeadlineRecord("x", DUE, met_at=DUE, late=True).outcome is Outcome.LATE


def test_a_case_is_also_its_csv_row() -> None:
    case = samples.case()
    row = case.row()
    assert (row.number, row.level, row.deadlines) == (case.number, "important", case.deadlines)


def test_a_drill_lasts_from_start_to_end_unless_told() -> None:
    drill = samples.drill()
    assert drill.elapsed == timedelta(minutes=101)
