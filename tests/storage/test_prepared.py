"""Prepared statements (bot/storage/prepared.py) on both back ends: what they write reads back
through the ORM as the ORM would have written it, and what they read is what the ORM reads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, event, select
from sqlmodel import Session

from bot.cases import service as cases
from bot.cases.models import Answer, Case, CaseCounter
from bot.cases.numbering import next_serial
from bot.sites import service as sites
from bot.staff import service as staff_service
from bot.staff.models import Staff
from bot.storage.db import Database
from bot.storage.prepared import Prepared, loaded
from tests.conftest import START

ANSWERS = Answer.__table__  # type: ignore[attr-defined]
COUNTERS = CaseCounter.__table__  # type: ignore[attr-defined]


def a_case(session: Session) -> Case:
    site = sites.create(
        session, code="hq", name="HQ", timezone="Asia/Shanghai", locale="en", now=START
    )
    member = staff_service.add(
        session, telegram_id=7, name="Li", roles=["guard"], site_id=site.id or 0, locale="en",
        now=START,
    )  # fmt: skip
    return cases.open_case(
        session, site=site, playbook_id="x", playbook_version=1, reporter_id=member.id or 0,
        now=START,
    )  # fmt: skip


async def test_values_go_in_and_come_out_as_the_orm_has_them(db: Database) -> None:
    """Aware UTC datetimes, JSON and booleans, written by a prepared INSERT and read by the ORM,
    and the other way round."""
    insert = Prepared(
        ANSWERS.insert().values(
            case_id=bindparam("case"),
            step_id=bindparam("step"),
            value=bindparam("value"),
            skipped=bindparam("skipped"),
            answered_by=bindparam("by"),
            answered_at=bindparam("at"),
        )
    )
    query = Prepared(
        select(ANSWERS.c.value, ANSWERS.c.skipped, ANSWERS.c.answered_at).where(
            ANSWERS.c.case_id == bindparam("case"), ANSWERS.c.step_id == bindparam("step")
        )
    )
    value: dict[str, Any] = {"items": ["钱包", 2], "ok": True, "note": None}
    with db.transaction() as session:
        case = a_case(session)
        by = case.reporter_id
        at = START + timedelta(minutes=5)
        changed = insert.run(
            session, case=case.id, step="what", value=value, skipped=False, by=by, at=at
        )
        assert changed == 1
        session.add(
            Answer(
                case_id=case.id or 0,
                step_id="orm",
                value=[1, "二"],
                skipped=True,
                answered_by=by,
                answered_at=at,
            )
        )
    with db.transaction() as session:
        (written,) = [a for a in cases.answer_history(session, case.id or 0) if a.step_id == "what"]
        assert written.value == value and written.skipped is False
        assert written.answered_at == at and written.answered_at.utcoffset() == timedelta(0)
        assert query.rows(session, case=case.id, step="orm") == [([1, "二"], True, at)]
        (row,) = query.mappings(session, case=case.id, step="what")
        assert row == {"value": value, "skipped": False, "answered_at": at}
        assert query.first(session, case=case.id, step="none") is None
        assert query.scalar(session, case=case.id, step="what") == value


async def test_an_upsert_is_each_dialects_own(db: Database) -> None:
    """The case counter's upsert is built from each dialect's insert (ON CONFLICT differs)."""
    with db.transaction() as session:
        site = sites.create(session, code="b", name="B", timezone="UTC", locale="en", now=START)
        taken = [next_serial(session, site.id or 0, "2611") for _ in range(3)]
        taken.append(next_serial(session, site.id or 0, "2612"))
    assert taken == [1, 2, 3, 1]


async def test_a_statement_for_one_dialect_is_skipped_on_the_other(db: Database) -> None:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(statement)

    lock = Prepared(select(COUNTERS.c.last).with_for_update(), only="postgresql")
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        with db.transaction() as session:
            changed = lock.run(session)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    locks = [s for s in seen if "case_counters" in s]
    if db.is_sqlite:
        assert changed == -1 and locks == []
    else:
        assert changed != -1 and len(locks) == 1 and "FOR UPDATE" in locks[0]


async def test_inserted_and_loaded_objects_behave_as_the_orms(db: Database) -> None:
    with db.transaction() as session:
        case = a_case(session)  # opened with inserted()
        assert case.id is not None and session.get(Case, case.id) is case
        case.classification = "theft"  # a change after the insert is flushed at commit
        staff_id = case.reporter_id
    with db.transaction() as session:
        stored = session.get(Case, case.id)
        assert stored is not None and stored.classification == "theft"
        assert stored.number == case.number and stored.opened_at == START
        orm = session.get(Staff, staff_id)
        assert orm is not None
        plain = loaded(Staff, {c.name: getattr(orm, c.name) for c in Staff.__table__.c})  # type: ignore[attr-defined]
        assert plain == orm and plain.model_dump() == orm.model_dump()
        assert plain not in session  # a plain object: nothing of it is written by itself


async def test_a_failed_unit_gives_its_thread_a_fresh_connection(db: Database) -> None:
    """Each database thread keeps its connection between units; a unit that fails drops it,
    so a connection the server closed (or one left in a broken state) is used once at most."""

    def connection(session: Session) -> Any:
        return session.connection()

    kept = await db.run(connection)
    assert await db.run(connection) is kept  # kept between units
    if not db.is_sqlite:  # the server ends the kept connection
        pid: int = await db.run(
            lambda s: s.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        )
        with db.transaction() as other:
            other.connection().exec_driver_sql(f"SELECT pg_terminate_backend({pid:d})")

    def fails(session: Session) -> None:
        session.connection().exec_driver_sql("SELECT no_such_column FROM case_counters")

    try:
        await db.run(fails)
    except Exception:
        pass
    else:
        raise AssertionError("the unit should have failed")
    assert await db.run(connection) is not kept
    assert await db.run(lambda s: Prepared(select(COUNTERS.c.last)).rows(s)) == []
