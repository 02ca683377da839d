"""A case after its report: parts for other roles as tasks, handed on, switched between, closed,
noted and reopened; and several pieces of work in one chat."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.cases import service as cases
from bot.cases.models import CaseStatus
from bot.delivery import service as outbox
from bot.delivery.messages import Renderer
from bot.delivery.models import Delivery, DeliveryKind
from bot.engine.callbacks import CasePress, TaskPress
from bot.engine.incoming import Incoming
from bot.i18n import Catalogs
from bot.tasks import service as tasks
from bot.tasks.models import TaskKind, TaskState
from tests import support
from tests.support import Chat, World, png

CHIEF, CHIEF2, MANAGER = 3001, 3002, 3003


async def report(world: World, chat: Chat | None = None) -> tuple[Chat, int]:
    """The guard reports the test follow-up procedure; the case's id."""
    chat = chat or world.chat()
    await chat.say("test follow-up")
    await chat.press("Test follow-up")
    await chat.say("A black wallet")
    await chat.say("Lobby bar")
    assert chat.question.title == "Review", chat.text
    await chat.press("✓ Confirm")
    assert "is recorded" in chat.text
    with world.db.transaction() as session:
        assert world.guard.id is not None
        [case] = cases.by_reporter(session, world.guard.id, limit=1)
    assert case.id is not None
    return chat, case.id


def task_rows(world: World, case_id: int, staff_id: int) -> list[Delivery]:
    with world.db.transaction() as session:
        return [
            r
            for r in outbox.of_case(session, case_id)
            if r.staff_id == staff_id and r.message == "task"
        ]


def shown(world: World, row: Delivery) -> Chat:
    """The task's message as its recipient has it (rendered like the sender does)."""
    with world.db.transaction() as session:
        out = Renderer(world.registry, Catalogs()).render(session, row)
        member = support.staff_service.get(session, row.staff_id or 0)
    assert out is not None and member is not None and member.telegram_id is not None
    chat = world.chat(member.telegram_id)
    chat.last = [out]
    return chat


async def test_the_chiefs_part_is_a_task_taken_answered_and_closed(world: World) -> None:
    chief = await support.add_staff(world, CHIEF, "Zhao Chief", "security_chief")
    _, case_id = await report(world)
    with world.db.transaction() as session:
        case = cases.get(session, case_id)
        [task] = tasks.of_case(session, case_id)
    assert case.status == CaseStatus.REPORTED and case.reported_at == world.clock.now()
    assert (task.kind, task.role, task.state) == (TaskKind.PART, "security_chief", TaskState.OPEN)
    # Reported at 22:30 in Shanghai: the task waits for the end of the quiet hours (07:00).
    [row] = task_rows(world, case_id, chief.id or 0)
    assert row.kind == DeliveryKind.TASK
    assert row.next_at == datetime(2026, 11, 22, 23, 0, tzinfo=UTC)
    message = shown(world, row)
    assert "A follow-up task of case 2611-001 for the Security chief" in message.text
    assert "• CCTV review" in message.text and "Reported by Li Wei" in message.text
    assert message.labels() == ["▶ Start", "↪ Hand to…", "📂 Open case"]

    await message.press("▶ Start")
    assert "your part as Security chief" in message.text
    assert "What does the footage show?" in message.question.text
    assert "Step 1 of 2" in message.question.text
    await message.say("A man in a grey coat takes it at 21:05")
    await message.photo(png(1))
    await message.press("✓ Done")
    assert message.question.title == "Review"
    assert "A man in a grey coat" in message.text and "A black wallet" not in message.text
    await message.press("✓ Confirm")
    assert "Your part of case 2611-001 is recorded" in message.text
    # The chief closes the procedure's cases: asked at once.
    assert "Close case 2611-001?" in message.question.text
    await message.say("Wallet returned to the guest; police not needed.")
    assert "Case 2611-001 is closed." in message.text

    with world.db.transaction() as session:
        case = cases.get(session, case_id)
        events = cases.timeline(session, case_id)
        [task, closer] = tasks.of_case(session, case_id)
        notices = [r for r in outbox.of_case(session, case_id) if r.message == "case_closed"]
    assert case.status == CaseStatus.CLOSED and case.closed_at == world.clock.now()
    assert (task.state, task.holder_id) == (TaskState.DONE, chief.id)
    assert (closer.kind, closer.state) == (TaskKind.CLOSE, TaskState.CANCELLED)
    kinds = [(e.kind, e.actor_id) for e in events]
    assert ("reported", world.guard.id) in kinds and ("task_started", chief.id) in kinds
    assert ("in_follow_up", chief.id) in kinds and ("task_done", chief.id) in kinds
    assert kinds[-1] == ("closed", chief.id) and events[-1].data["note"].startswith("Wallet")
    [notice] = notices  # the guard is told
    assert notice.staff_id == world.guard.id and notice.params["by"] == chief.id

    # The record shows both people, and the chief may reopen it.
    guard = world.chat()
    await guard.say("2611-001")
    assert "Li Wei · submitted the report" in guard.text
    assert "Zhao Chief · took the task of the Security chief" in guard.text
    assert "Zhao Chief · closed the case: Wallet returned" in guard.text
    assert "Status: closed" in guard.text
    assert "↩ Reopen" not in guard.labels()  # a guard does not close cases


async def test_a_task_handed_to_a_colleague_is_finished_by_them(world: World) -> None:
    first = await support.add_staff(world, CHIEF, "Zhao Chief", "security_chief")
    second = await support.add_staff(world, CHIEF2, "Qian Deputy", "security_chief")
    _, case_id = await report(world)
    [row] = task_rows(world, case_id, first.id or 0)
    zhao = shown(world, row)
    await zhao.press("▶ Start")
    await zhao.say("Footage half watched")
    # Handing on: from the task's message, the colleagues of the role.
    zhao.last = shown(world, row).last
    await zhao.press("↪ Hand to…")
    assert zhao.labels()[:1] == ["Qian Deputy"]
    await zhao.press("Qian Deputy")
    assert "Handed to Qian Deputy" in zhao.text
    with world.db.transaction() as session:
        [task] = tasks.of_case(session, case_id)
        events = cases.timeline(session, case_id)
    assert (task.state, task.holder_id) == (TaskState.OPEN, second.id)
    handed = [e for e in events if e.kind == "task_handed"]
    assert handed and handed[0].data["staff"] == [second.id] and handed[0].actor_id == first.id

    # Zhao's chat no longer holds it; Qian is told who handed it and starts where it stands.
    await zhao.say("/tasks")
    assert "Nothing else waits for you." in zhao.text
    [qian_row] = [r for r in task_rows(world, case_id, second.id or 0) if "handed_by" in r.params]
    qian = shown(world, qian_row)
    assert "Zhao Chief handed it to you." in qian.text
    await qian.press("▶ Start")
    assert "Recorded answer: Footage half watched" in qian.question.text
    await qian.say("Footage shows the bar's back door")
    await qian.press("Skip")
    await qian.press("✓ Confirm")
    assert "Your part of case 2611-001 is recorded" in qian.text
    assert "Close case 2611-001?" in qian.question.text
    await qian.press("← Not now")  # the closing task waits for the role
    with world.db.transaction() as session:
        [task, close] = tasks.of_case(session, case_id)
        answers = cases.current_answers(session, case_id)
    assert (task.state, task.holder_id) == (TaskState.DONE, second.id)
    assert answers["footage"].value == "Footage shows the bar's back door"
    assert (close.kind, close.state, close.holder_id) == (TaskKind.CLOSE, TaskState.OPEN, None)


async def test_two_chiefs_pressing_start_at_once_one_gets_it(any_world: World) -> None:
    world = any_world
    a = await support.add_staff(world, CHIEF, "Zhao Chief", "security_chief")
    b = await support.add_staff(world, CHIEF2, "Qian Deputy", "security_chief")
    _, case_id = await report(world)
    zhao = shown(world, task_rows(world, case_id, a.id or 0)[0])
    qian = shown(world, task_rows(world, case_id, b.id or 0)[0])
    await asyncio.gather(zhao.press("▶ Start"), qian.press("▶ Start"))
    texts = [zhao.text, qian.text]
    assert sum("your part as Security chief" in t for t in texts) == 1, texts
    assert sum("Someone else took that task" in t or "someone else's" in t for t in texts) == 1
    with world.db.transaction() as session:
        [task] = tasks.of_case(session, case_id)
        started = [e for e in cases.timeline(session, case_id) if e.kind == "task_started"]
    assert task.state == TaskState.STARTED and len(started) == 1


async def test_a_fire_reported_in_the_middle_of_a_theft_report_and_back(world: World) -> None:
    chat = world.chat()
    await chat.say("test follow-up")
    await chat.press("Test follow-up")
    await chat.say("A laptop")
    assert "Where was it?" in chat.question.text
    # A fire: the theft report waits.
    await chat.say("/report")
    assert "Report 2611-001 (Test follow-up) is in progress (step 2 of 2)." in chat.text
    await chat.press("📝 Report something else (this one waits)")
    assert "Set aside" in chat.text
    await chat.say("test alarm")
    await chat.press("Test alarm")
    assert "Case 2611-002 opened" in chat.text
    await chat.press("Fire")
    await chat.place(31.23, 121.47)
    await chat.press("Skip")
    await chat.press("✓ Confirm")
    assert "Report 2611-002 is recorded" in chat.text
    # The menu offers the theft report back, exactly where it was.
    assert "▶ Continue 2611-001 (set aside)" in chat.labels()
    await chat.press("▶ Continue 2611-001 (set aside)")
    assert "Back to 2611-001 · Test follow-up · your report, where you left it." in chat.text
    assert "Where was it?" in chat.question.text
    await chat.say("Room 1203")
    await chat.press("✓ Confirm")
    with world.db.transaction() as session:
        theft = cases.by_number(session, world.site_id, "2611-001")
        fire = cases.by_number(session, world.site_id, "2611-002")
        assert theft is not None and fire is not None and theft.id is not None
        answers = cases.current_answers(session, theft.id)
    assert theft.status == fire.status == CaseStatus.REPORTED
    assert (answers["what"].value, answers["where"].value) == ("A laptop", "Room 1203")


async def test_tasks_lists_what_waits_and_survives_a_restart(world: World) -> None:
    chief = await support.add_staff(world, CHIEF, "Zhao Chief", "security_chief")
    _, first = await report(world)
    _, second = await report(world)
    zhao = world.chat(CHIEF)
    await zhao.say("/tasks")
    assert "【For your role】" in zhao.text
    assert "1. 2611-001 · Test follow-up · part of the Security chief" in zhao.text
    assert "2. 2611-002 · Test follow-up · part of the Security chief" in zhao.text
    await zhao.press("▶ 1. 2611-001")
    await zhao.say("Footage of the lobby")
    # The second task while the first waits, then a restart.
    await zhao.say("/tasks")
    assert "Now: 2611-001 · Test follow-up · part of the Security chief" in zhao.text
    await zhao.press("▶ 1. 2611-002")
    assert "What does the footage show?" in zhao.question.text
    restarted = world.restarted()
    zhao = restarted.chat(CHIEF)
    await zhao.say("/tasks")
    assert "【Set aside】" in zhao.text and "Now: 2611-002" in zhao.text
    await zhao.press("▶ 1. 2611-001")
    assert "Back to 2611-001" in zhao.text and "Stills (optional)" in zhao.question.text
    with world.db.transaction() as session:
        held = tasks.held_by(session, chief.id or 0)
    assert sorted(t.case_id for t in held) == [first, second]


async def test_notes_and_photos_after_submission_close_and_reopen(world: World) -> None:
    manager = await support.add_staff(world, MANAGER, "Sun Manager", "manager")
    _, case_id = await report(world)
    sun = world.chat(MANAGER)
    await sun.say("2611-001")
    assert sun.labels()[:2] == ["📝 Add a note", "✔ Close case"]
    await sun.press("📝 Add a note")
    assert "Type a note for case 2611-001" in sun.question.text
    await sun.photo(png(3))
    assert "1 photo added to case 2611-001." in sun.text
    await sun.say("The guest called: the wallet was found in a taxi.")
    assert "Note added to case 2611-001." in sun.text
    await sun.say("2611-001")
    await sun.press("✔ Close case")
    await sun.press("✔ Close without a note")
    assert "Case 2611-001 is closed." in sun.text
    await sun.say("2611-001")
    await sun.press("↩ Reopen")
    await sun.say("   ")
    assert "Please type it" in sun.text
    await sun.say("The taxi driver kept the cash")
    assert "Case 2611-001 is open again." in sun.text
    with world.db.transaction() as session:
        case = cases.get(session, case_id)
        events = cases.timeline(session, case_id)
        photos = cases.attachments(session, case_id)
        live = tasks.live_of_case(session, case_id)
    assert case.status == CaseStatus.IN_FOLLOW_UP and case.closed_at is None
    kinds = [e.kind for e in events]
    assert kinds.count("closed") == 1 and kinds[-2:] == ["reopened", "close_task_created"]
    assert [e.data["text"] for e in events if e.kind == "note"] == [
        "The guest called: the wallet was found in a taxi."
    ]
    assert len(photos) == 1 and photos[0].created_by == manager.id
    assert [t.kind for t in live] == [TaskKind.CLOSE]
    # The guard (the reporter) may read it but neither close nor reopen it.
    guard = world.chat()
    await guard.say("2611-001")
    assert "noted: The guest called" in guard.text and "reopened the case" in guard.text
    assert "✔ Close case" not in guard.labels()
    forged = CasePress(case_id, CasePress.CLOSE).pack()
    guard.last = await world.engine.handle(Incoming.press(guard.user, forged))
    assert "cannot be closed by you" in guard.text
    with world.db.transaction() as session:
        assert cases.get(session, case_id).status == CaseStatus.IN_FOLLOW_UP


async def test_a_task_taken_away_meanwhile_is_not_answered(world: World) -> None:
    a = await support.add_staff(world, CHIEF, "Zhao Chief", "security_chief")
    await support.add_staff(world, MANAGER, "Sun Manager", "manager")
    _, case_id = await report(world)
    zhao = shown(world, task_rows(world, case_id, a.id or 0)[0])
    await zhao.press("▶ Start")
    # The manager closes the case while the chief is on his part.
    sun = world.chat(MANAGER)
    await sun.say("2611-001")
    await sun.press("✔ Close case")
    assert "Still open: the part of the Security chief; closing ends it." in sun.question.text
    await sun.say("Duplicate of an earlier report")
    world.clock.advance(timedelta(minutes=1))
    await zhao.say("Footage shows nothing")
    assert "Case 2611-001 was closed; your task is over." in zhao.text
    with world.db.transaction() as session:
        answers = cases.current_answers(session, case_id)
    assert "footage" not in answers
    # A forged or stale task button changes nothing.
    forged = TaskPress(999, "x" * 8, TaskPress.START).pack()
    zhao.last = await world.engine.handle(Incoming.press(zhao.user, forged))
    assert zhao.last[-1].notice == "That button is not valid for you; nothing was changed."
