"""Statistics and the month's CSV rows from the tables, on SQLite and PostgreSQL: drills and
cancelled cases left out, complaint levels and categories, deadlines on time or late, medians."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from bot.cases.models import CaseStatus
from bot.flows.registry import Registry
from bot.i18n import Catalogs
from bot.managers.monthly import month_rows
from bot.managers.periods import period_of
from bot.managers.stats import site_stats
from bot.reports.charts import stats_text
from bot.reports.csv_export import cases_csv
from bot.storage.db import Database
from tests.managers import seeding
from tests.support import playbooks

NOW = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)
NOV = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
DONE = CaseStatus.CLOSED  # submitted and closed: no longer open


def with_drills() -> Registry:
    """The test playbooks, with "alarm" taken as a drill."""
    registry = playbooks()
    loaded = dict(registry.playbooks)
    alarm = loaded["alarm"]
    loaded["alarm"] = replace(alarm, playbook=alarm.playbook.model_copy(update={"group": "drills"}))
    return Registry(loaded)


def test_periods() -> None:
    today = date(2026, 12, 1)
    week = period_of("week", today)
    assert week is not None and (week.first, week.end) == (date(2026, 11, 25), date(2026, 12, 2))
    month = period_of("", today)
    assert month is not None and (month.first, month.end) == (today, date(2027, 1, 1))
    assert period_of("2026-12", today) == period_of("month", today)
    year = period_of("year", today)
    assert year is not None and (year.first, year.end) == (date(2026, 1, 1), date(2027, 1, 1))
    assert period_of("2026-13", today) is None and period_of("soon", today) is None


async def test_month_statistics(db: Database) -> None:
    registry = with_drills()
    with db.transaction() as s:
        site = seeding.site(s, "sh", "Asia/Shanghai", NOW)
        li = seeding.person(s, site, "Li Wei", "guard", now=NOW)
        hour = timedelta(hours=1)
        for n, level in enumerate(("hot", "hot", "major", "general")):
            complaint = seeding.case(
                s,
                site,
                li,
                NOV + n * hour,
                playbook="complaint",
                status=DONE,
                closed_after=(n + 1) * hour,  # 1, 2, 3, 4 hours: median 2.5 hours
                level=level,
                answers={"category_property": "security" if n < 3 else "fees"},
            )
            met = complaint.opened_at + timedelta(minutes=10 * (n + 1))
            seeding.deadline(
                s, complaint, "first_response", met + (hour if n == 0 else -hour), met=met
            )
            seeding.deadline(
                s,
                complaint,
                "first_contact",
                met + hour,
                met=met,
                until="first_contact_at",
            )
        seeding.case(s, site, li, NOV, status=DONE, closed_after=100 * hour)
        seeding.case(s, site, li, NOV, status="cancelled")  # left out
        seeding.case(s, site, li, NOV, playbook="alarm", status=DONE)  # a drill: left out
        rehearsal = seeding.case(s, site, li, NOV, status=DONE)  # rehearsed as a drill: out
        rehearsal.is_drill = True
        s.add(rehearsal)
        # 07:30 on 1 December in Shanghai, 30 November in UTC: December's.
        seeding.case(s, site, li, datetime(2026, 11, 30, 23, 30, tzinfo=UTC), status=DONE)
        november = period_of("2026-11", NOW.date())
        assert november is not None
        stats = site_stats(s, site, registry, november)
    assert {c.label["en"]: c.n for c in stats.cases_by_procedure} == {  # type: ignore[index]
        registry.get("complaint").title["en"]: 4,  # type: ignore[index]
        registry.get("lost_property").title["en"]: 1,  # type: ignore[index]
    }
    assert dict(stats.complaints_by_level) == {"hot": 2, "major": 1, "general": 1}
    categories = {c.label["en"]: c.n for c in stats.complaints_by_category}  # type: ignore[index]
    assert categories == {"Security": 3, "Management fees": 1}
    assert (stats.deadlines_on_time, stats.deadlines_late) == (5, 3)
    assert stats.median_first_contact == timedelta(minutes=25)  # 10, 20, 30, 40 minutes
    # Closed after 1, 2, 3, 4 and 100 hours: the median is the third.
    assert stats.median_to_close == timedelta(hours=3)
    en = Catalogs().translator("en", "Asia/Shanghai")
    text = "\n".join(stats_text(stats, en))
    assert "Hot spot: 2" in text and "5 cases in all" in text


async def test_month_rows_for_the_csv(db: Database) -> None:
    registry = playbooks()
    with db.transaction() as s:
        site = seeding.site(s, "sh", "Asia/Shanghai", NOW)
        li = seeding.person(s, site, "Li Wei", "guard", now=NOW)
        first = seeding.case(
            s,
            site,
            li,
            NOV,
            playbook="complaint",
            level="hot",
            answers={"category_property": "security", "detail": "=cmd()"},
        )
        seeding.deadline(s, first, "late_one", NOV + timedelta(hours=1))
        seeding.case(s, site, li, NOV + timedelta(days=1), status=DONE)
        seeding.case(s, site, li, datetime(2026, 11, 30, 23, 30, tzinfo=UTC))  # December's
        rows = month_rows(s, site, registry, 2026, 11, NOW)
    assert [r.number for r in rows] == ["2611-001", "2611-002"]
    assert rows[0].level == "hot" and rows[0].category == {"zh": "安全管理类", "en": "Security"}
    assert rows[0].deadlines[0].late is True
    en = Catalogs().translator("en", "Asia/Shanghai")
    data = cases_csv(rows, en)
    assert data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][:3] == ["Case number", "Procedure", "Site"]
    assert table[1][0] == "2611-001" and "Security" in table[1]
