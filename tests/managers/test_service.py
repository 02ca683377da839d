"""The managers' queries over seeded cases, on SQLite and PostgreSQL: today in the site's zone
across midnight, open, overdue, find, pages and totals counted by the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.cases.models import CaseStatus
from bot.managers import service as queries
from bot.managers.service import PAGE, Search
from bot.storage.db import Database
from tests.managers import seeding

# 01:00 on 1 December in Shanghai; still 30 November in UTC and in New York.
NOW = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
DONE = CaseStatus.CLOSED  # submitted and closed: no longer open


def numbers(page: queries.Page) -> list[str]:
    return [row.number for row in page.rows]


async def test_today_is_the_sites_day_and_everything_still_open(db: Database) -> None:
    with db.transaction() as s:
        shanghai = seeding.site(s, "sh", "Asia/Shanghai", NOW)
        york = seeding.site(s, "ny", "America/New_York", NOW)
        li = seeding.person(s, shanghai, "Li Wei", "guard", now=NOW)
        bob = seeding.person(s, york, "Bob", "guard", now=NOW)
        # 00:30 on 1 December in Shanghai: today there.
        after = seeding.case(s, shanghai, li, NOW - timedelta(minutes=30), status=DONE)
        # 23:30 on 30 November in Shanghai: yesterday, and done.
        before = seeding.case(s, shanghai, li, NOW - timedelta(minutes=90), status=DONE)
        # Ten days old but still being reported.
        old_open = seeding.case(s, shanghai, li, NOW - timedelta(days=10))
        cancelled = seeding.case(s, shanghai, li, NOW - timedelta(days=9), status="cancelled")
        # The same instants are "today" in New York (30 November there from 05:00 UTC).
        ny_case = seeding.case(s, york, bob, NOW - timedelta(minutes=90), status=DONE)
        ids = {c.number: c.site_id for c in (after, before, old_open, cancelled, ny_case)}
        assert shanghai.id is not None and york.id is not None
        found = queries.today(s, shanghai.id, NOW, "Asia/Shanghai")
        assert set(numbers(found)) == {after.number, old_open.number}
        assert found.total == 2
        assert numbers(found)[0] == after.number  # newest first
        assert found.rows[0].reporter == "Li Wei"
        assert numbers(queries.today(s, york.id, NOW, "America/New_York")) == [ny_case.number]
        # An hour earlier it was still 30 November in Shanghai: the 23:30 case was today.
        earlier = queries.today(s, shanghai.id, NOW - timedelta(minutes=75), "Asia/Shanghai")
        assert before.number in numbers(earlier)
        assert ids


async def test_open_cases_are_paged_and_counted(db: Database) -> None:
    with db.transaction() as s:
        site = seeding.site(s, "sh", "Asia/Shanghai", NOW)
        li = seeding.person(s, site, "Li Wei", "guard", now=NOW)
        made = [seeding.case(s, site, li, NOW - timedelta(hours=n)) for n in range(20)]
        seeding.case(s, site, li, NOW - timedelta(hours=30), status=DONE)
        assert site.id is not None
        first = queries.open_cases(s, site.id)
        assert first.total == 20 and first.pages == 3 and len(first.rows) == PAGE
        assert numbers(first) == [c.number for c in made[:PAGE]]
        last = queries.open_cases(s, site.id, page=2)
        assert numbers(last) == [c.number for c in made[2 * PAGE :]]
        # A page past the end shows the last one (a list that shrank since it was drawn).
        assert numbers(queries.open_cases(s, site.id, page=9)) == numbers(last)


async def test_overdue_lists_deadlines_past_due_longest_first(db: Database) -> None:
    with db.transaction() as s:
        site = seeding.site(s, "sh", "Asia/Shanghai", NOW)
        li = seeding.person(s, site, "Li Wei", "guard", now=NOW)
        a = seeding.case(s, site, li, NOW - timedelta(days=2))
        b = seeding.case(s, site, li, NOW - timedelta(days=1), status=CaseStatus.REPORTED)
        c = seeding.case(s, site, li, NOW - timedelta(days=1), status="cancelled")
        seeding.deadline(s, a, "a_recent", NOW - timedelta(minutes=5))
        seeding.deadline(s, a, "a_future", NOW + timedelta(hours=1))
        seeding.deadline(s, a, "a_met", NOW - timedelta(hours=5), met=NOW - timedelta(hours=6))
        seeding.deadline(s, b, "b_old", NOW - timedelta(hours=20))  # reported, call-back due
        seeding.deadline(s, c, "c_cancelled", NOW - timedelta(hours=20))
        assert site.id is not None
        found = queries.overdue(s, site.id, NOW)
        assert [(r.number, (r.deadline or {})["en"]) for r in found.rows] == [
            (b.number, "Deadline b_old"),
            (a.number, "Deadline a_recent"),
        ]
        assert found.total == 2
        assert found.rows[0].due_at == NOW - timedelta(hours=20)


async def test_find_by_number_reporter_answer_procedure_and_dates(db: Database) -> None:
    with db.transaction() as s:
        site = seeding.site(s, "sh", "Asia/Shanghai", NOW)
        other = seeding.site(s, "far", "Asia/Shanghai", NOW)
        li = seeding.person(s, site, "Li Wei", "guard", now=NOW)
        zhou = seeding.person(s, site, "周敏", "guard", now=NOW)
        far = seeding.person(s, other, "Li Wei", "guard", now=NOW)
        wallet = seeding.case(
            s, site, li, NOW - timedelta(days=3), answers={"what": "黑色钱包 lost near Gate 3"}
        )
        fire = seeding.case(s, site, zhou, NOW - timedelta(days=40), playbook="fire")
        seeding.case(s, other, far, NOW, answers={"what": "黑色钱包"})
        assert site.id is not None

        def find(*words: str, **kw: object) -> list[str]:
            search = Search(words=words, **kw)  # type: ignore[arg-type]
            return numbers(queries.find(s, site.id or 0, search))

        assert find("钱包") == [wallet.number]  # Chinese inside a JSON answer
        assert find("GATE") == [wallet.number]
        assert find("li", "wei") == [wallet.number]  # every word, the reporter's name
        assert find("周敏") == [fire.number]
        assert find(wallet.number) == [wallet.number]
        assert find("nothing-like-it") == []
        assert find("fire", procedures=[("fire",)]) == [fire.number]
        assert find("100%_") == []  # LIKE's wildcards are taken literally
        recent = NOW - timedelta(days=10)
        assert numbers(queries.find(s, site.id, Search(since=recent))) == [wallet.number]
        assert numbers(queries.find(s, site.id, Search(until=recent))) == [fire.number]


async def test_todays_pages_run_from_todays_cases_into_older_open_ones(db: Database) -> None:
    with db.transaction() as s:
        site = seeding.site(s, "sh", "Asia/Shanghai", NOW)
        li = seeding.person(s, site, "Li Wei", "guard", now=NOW)
        fresh = [
            seeding.case(s, site, li, NOW - timedelta(minutes=n + 1), status=DONE) for n in range(5)
        ]
        older = [seeding.case(s, site, li, NOW - timedelta(days=n + 1)) for n in range(6)]
        seeding.case(s, site, li, NOW - timedelta(days=3), status=DONE)  # neither
        assert site.id is not None
        first = queries.today(s, site.id, NOW, "Asia/Shanghai")
        second = queries.today(s, site.id, NOW, "Asia/Shanghai", page=1)
    expected = [c.number for c in fresh + older]
    assert first.total == second.total == 11 and (first.pages, second.page) == (2, 1)
    assert numbers(first) + numbers(second) == expected


async def test_find_searches_a_window_of_the_newest_cases(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "SCAN", 3)
    with db.transaction() as s:
        site = seeding.site(s, "sh", "Asia/Shanghai", NOW)
        li = seeding.person(s, site, "Li Wei", "guard", now=NOW)
        made = [seeding.case(s, site, li, NOW - timedelta(days=n)) for n in range(5)]
        assert site.id is not None
        recent = queries.find(s, site.id, Search(words=("li",)))
        assert recent.partial and recent.total == 3
        assert numbers(recent) == [c.number for c in made[:3]]
        back = Search(words=("li",), until=NOW - timedelta(days=2, hours=12))
        older = queries.find(s, site.id, back)
        assert not older.partial and numbers(older) == [c.number for c in made[3:]]


async def test_overdue_pages_and_a_page_past_the_end(db: Database) -> None:
    with db.transaction() as s:
        site = seeding.site(s, "sh", "Asia/Shanghai", NOW)
        li = seeding.person(s, site, "Li Wei", "guard", now=NOW)
        for n in range(PAGE + 2):
            made = seeding.case(s, site, li, NOW - timedelta(days=1))
            seeding.deadline(s, made, f"d{n}", NOW - timedelta(hours=20 - n))
        assert site.id is not None
        second = queries.overdue(s, site.id, NOW, page=1)
        assert (second.total, second.page, len(second.rows)) == (PAGE + 2, 1, 2)
        assert queries.overdue(s, site.id, NOW, page=7) == second
        assert queries.overdue(s, site.id, NOW - timedelta(days=2)).total == 0
