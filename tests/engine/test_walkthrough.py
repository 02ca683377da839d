"""A whole report through every step kind, then what it left in the database."""

from __future__ import annotations

from datetime import timedelta

from bot.cases import service as cases
from bot.cases.models import CaseStatus
from bot.escalation import service as alerts
from tests.support import World, png


async def test_every_step_kind_end_to_end(world: World) -> None:
    chat = world.chat()
    await chat.say("/start")
    assert "Report an incident" in chat.labels()[0]
    await chat.press("Report an incident")
    await chat.press("Other")
    await chat.press("All step kinds")
    assert "Case 2611-001 opened" in chat.text
    assert "Step 1 of" in chat.question.text

    await chat.press("Done")  # instruction
    await chat.press("Blue")  # choice -> branch
    assert "Which blue?" in chat.question.text
    await chat.say("navy")
    await chat.press("Pen")  # checklist toggles in place
    assert chat.question.replace
    assert "☑ Pen" in chat.labels()
    await chat.press("Key")
    await chat.press("Done")
    await chat.press("Yes")  # yes/no with actions
    await chat.press("Skip")  # optional text
    await chat.say("250")  # number
    assert "Big amount" in chat.question.text  # no threshold set: the branch shows
    await chat.press("Done")
    await chat.press("Now")
    await chat.photo(png(1))
    assert "1 photo received" in chat.question.text
    await chat.photo(png(2))
    await chat.press("Done")
    await chat.place(31.2304, 121.4737)
    await chat.say("Wang Fang")
    await chat.say("cleaner")
    await chat.press("Skip this detail")
    assert "Wang Fang" in chat.question.text
    await chat.press("Done")

    assert chat.question.title == "Review"
    summary = chat.text
    for expected in (
        "navy",
        "Pen, Key",
        "250 yuan",
        "2 photos",
        "31.230400, 121.473700",
        "Wang Fang (Role: cleaner)",
        "— skipped",
        "【Part one】",
    ):
        assert expected in summary, expected
    await chat.press("Confirm")
    assert "2611-001 is recorded" in chat.text

    with world.db.transaction() as session:
        case = cases.by_number(session, world.site_id, "2611-001")
        assert case is not None and case.id is not None
        assert case.status == CaseStatus.REPORTED
        assert case.classification == "important"
        assert case.reported_at == world.clock.now() and case.closed_at is None
        answers = cases.current_answers(session, case.id)
        assert answers["colour"].value == "blue"
        assert answers["items"].value == ["pen", "key"]
        assert answers["amount"].value == 250
        assert answers["note"].skipped and answers["note"].value is None
        assert answers["seen_at"].value == world.clock.now().isoformat()
        assert answers["where"].value == {"lat": 31.2304, "lon": 121.4737}
        assert answers["witnesses"].value == [{"name": "Wang Fang", "role": "cleaner"}]
        photos = answers["pictures"].value
        assert len(photos) == 2
        for photo in photos:
            path = world.media_dir / photo["sha256"][:2] / photo["sha256"]
            assert path.is_file()
        notes = alerts.of_case(session, case.id)
        assert [(n.step_id, n.roles) for n in notes] == [
            ("urgent", ["security_chief"]),
            ("witnesses", ["duty_manager"]),
        ]
        deadlines = cases.deadlines(session, case.id)
        assert deadlines[0].key == "first_contact"
        assert deadlines[0].due_at == world.clock.now() + timedelta(minutes=30)
        # Answering the amount met it (until: amount), on time.
        assert (deadlines[0].status, deadlines[0].met_at) == ("met", world.clock.now())
        kinds = [event.kind for event in cases.timeline(session, case.id)]
        assert kinds[0] == "opened" and set(kinds[kinds.index("reported") + 1 :]) <= {
            "task_created",
            "close_task_created",
        }
        assert kinds.count("attachment_added") == 2
        assert "classified" in kinds and "skipped" in kinds and "deadline_met" in kinds
