"""The tamper-evident record on both back ends: an honest database verifies, and `verify` names
the first broken link after an edited event, a removed event, an edited answer, a swapped photo;
the database refuses REPLACE on SQLite, and the application role cannot truncate or alter the
timeline on PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.cases import service as cases
from bot.cases.integrity import verify
from bot.cases.models import Case
from tests.support import World, png


async def _report(world: World) -> Case:
    """A whole report through every step kind, photos included (as the walkthrough test)."""
    chat = world.chat()
    await chat.say("/start")
    await chat.press("Report an incident")
    await chat.press("Other")
    await chat.press("All step kinds")
    for label in ("Done", "Blue"):
        await chat.press(label)
    await chat.say("navy")
    for label in ("Pen", "Key", "Done", "Yes", "Skip"):
        await chat.press(label)
    await chat.say("250")
    await chat.press("Done")
    await chat.press("Now")
    await chat.photo(png(1))
    await chat.photo(png(2))
    await chat.press("Done")
    await chat.place(31.2304, 121.4737)
    await chat.say("Wang Fang")
    await chat.say("cleaner")
    await chat.press("Skip this detail")
    await chat.press("Done")
    await chat.press("Confirm")
    with world.db.transaction() as session:
        case = cases.by_number(session, world.site.id, "2611-001")  # type: ignore[arg-type]
    assert case is not None
    return case


def _check(world: World, case: Case) -> object:
    with world.db.transaction() as session:
        return verify(session, case, world.media_dir).finding


def _as_owner(world: World, *statements: str) -> None:
    """What someone with the database's owner rights could do behind the bot's back."""
    with world.db.engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)


def _triggers_off(world: World) -> list[str]:
    if world.db.is_sqlite:
        return ["DROP TRIGGER case_events_no_update", "DROP TRIGGER case_events_no_delete",
                "DROP TRIGGER answers_only_superseded"]  # fmt: skip
    return [
        "ALTER TABLE case_events DISABLE TRIGGER USER",
        "ALTER TABLE answers DISABLE TRIGGER USER",
    ]


async def test_an_honest_record_verifies(any_world: World) -> None:
    case = await _report(any_world)
    with any_world.db.transaction() as session:
        report = verify(session, case, any_world.media_dir)
    assert report.finding is None and report.events >= 10 and len(report.head) == 64


async def test_an_edited_event_is_named(any_world: World) -> None:
    case = await _report(any_world)
    with any_world.db.transaction() as session:
        target = [e for e in cases.timeline(session, case.id) if e.kind == "answered"][2]  # type: ignore[arg-type]
    edit = f"UPDATE case_events SET data = '{{\"value\": 9999}}' WHERE id = {target.id}"
    _as_owner(any_world, *_triggers_off(any_world), edit)
    finding = _check(any_world, case)
    assert (finding.what, finding.event_id) == ("event_changed", target.id)  # type: ignore[attr-defined]


async def test_a_removed_event_breaks_the_next_link(any_world: World) -> None:
    case = await _report(any_world)
    with any_world.db.transaction() as session:
        events = cases.timeline(session, case.id)  # type: ignore[arg-type]
    _as_owner(
        any_world, *_triggers_off(any_world), f"DELETE FROM case_events WHERE id = {events[3].id}"
    )
    finding = _check(any_world, case)
    assert (finding.what, finding.event_id) == ("link_broken", events[4].id)  # type: ignore[attr-defined]


async def test_an_edited_answer_and_a_swapped_photo_are_named(any_world: World) -> None:
    case = await _report(any_world)
    current = f"case_id = {case.id} AND step_id = 'colour' AND superseded_at IS NULL"
    _as_owner(
        any_world,
        *_triggers_off(any_world),
        f"UPDATE answers SET value = '\"red\"' WHERE {current}",
    )
    finding = _check(any_world, case)
    assert (finding.what, finding.step_id) == ("answer_changed", "colour")  # type: ignore[attr-defined]
    _as_owner(any_world, f"UPDATE answers SET value = '\"blue\"' WHERE {current}")
    assert _check(any_world, case) is None
    with any_world.db.transaction() as session:
        photo = cases.attachments(session, case.id)[0]  # type: ignore[arg-type]
    (any_world.media_dir / photo.sha256[:2] / photo.sha256).write_bytes(png(99))
    finding = _check(any_world, case)
    assert (finding.what, finding.sha256) == ("photo_changed", photo.sha256)  # type: ignore[attr-defined]


async def test_the_database_refuses_to_rewrite_the_record(any_world: World) -> None:
    case = await _report(any_world)
    with any_world.db.transaction() as session:
        first = cases.timeline(session, case.id)[0]  # type: ignore[arg-type]
    attempts = [
        f"UPDATE case_events SET kind = 'x' WHERE id = {first.id}",
        f"DELETE FROM case_events WHERE id = {first.id}",
        f"UPDATE answers SET value = '1' WHERE case_id = {case.id}",
        f"DELETE FROM answers WHERE case_id = {case.id}",
    ]
    if any_world.db.is_sqlite:
        attempts.append(
            "REPLACE INTO case_events (id, case_id, at, kind, data, prev_hash, hash) "
            f"VALUES ({first.id}, {case.id}, '2026-01-01 00:00:00', 'x', '{{}}', '', '')"
        )
    else:
        attempts += ["TRUNCATE case_events CASCADE", "TRUNCATE answers CASCADE"]
    for statement in attempts:
        with pytest.raises(DBAPIError):
            _as_owner(any_world, statement)
    assert _check(any_world, case) is None


async def test_the_application_role_cannot_truncate_or_alter_the_timeline(
    pg_world: World,
) -> None:
    any_world = pg_world
    case = await _report(any_world)
    for statement in (
        "TRUNCATE case_events CASCADE",
        "ALTER TABLE case_events DISABLE TRIGGER USER",
        f"UPDATE case_events SET kind = 'x' WHERE case_id = {case.id}",
        f"DELETE FROM answers WHERE case_id = {case.id}",
    ):
        with pytest.raises(DBAPIError), any_world.db.engine.begin() as connection:
            connection.execute(text("SET LOCAL ROLE dutybot_app"))
            connection.exec_driver_sql(statement)
    with any_world.db.engine.begin() as connection:  # while it may add to the record
        connection.execute(text("SET LOCAL ROLE dutybot_app"))
        assert connection.exec_driver_sql("SELECT count(*) FROM case_events").scalar()


async def test_dutybot_verify_says_intact_or_names_the_broken_link(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    case = await _report(world)
    monkeypatch.setenv("DUTYBOT_DATABASE__URL", world.db.url.render_as_string())
    monkeypatch.setenv("DUTYBOT_MEDIA__DIR", str(world.media_dir))
    monkeypatch.setenv("DUTYBOT_SITE__LOCALE", "en")
    assert await asyncio.to_thread(main, ["verify"]) == 0
    assert "hq 2611-001: intact" in capsys.readouterr().out
    with world.db.transaction() as session:
        photo = cases.attachments(session, case.id)[1]  # type: ignore[arg-type]
    (world.media_dir / photo.sha256[:2] / photo.sha256).unlink()
    assert await asyncio.to_thread(main, ["verify", "2611-001"]) == 1
    out = capsys.readouterr().out
    assert f"photo {photo.sha256[:16]} is missing" in out and "1 case is not intact" in out
    assert await asyncio.to_thread(main, ["verify", "2611-999"]) == 2
