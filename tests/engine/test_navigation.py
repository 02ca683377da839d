"""Back, skip, keep, cancel, stale buttons, resume after a restart, and bad input."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from bot.cases import service as cases
from bot.cases.models import Answer, CaseStatus
from bot.engine.conversation import Engine
from bot.engine.incoming import Incoming
from bot.flows.registry import load_registry
from bot.i18n import Catalogs
from bot.storage.media import MediaStore
from tests.support import TEST_PLAYBOOKS, Chat, World, png


async def start_all_kinds(chat: Chat) -> None:
    await chat.say("/start")
    await chat.press("Report an incident")
    await chat.press("Other")
    await chat.press("All step kinds")


async def case_answers(world: World, number: str = "2611-001") -> dict[str, Answer]:
    with world.db.transaction() as session:
        case = cases.by_number(session, world.site_id, number)
        assert case is not None and case.id is not None
        return cases.current_answers(session, case.id)


async def test_back_changes_an_answer_and_keeps_its_history(world: World) -> None:
    chat = world.chat()
    await start_all_kinds(chat)
    await chat.press("Done")
    await chat.press("Red")
    assert "Items" in chat.question.text
    await chat.press("Back")
    assert "Colour?" in chat.question.text
    assert "Recorded answer: Red" in chat.question.text
    await chat.press("Blue")
    assert "Which blue?" in chat.question.text  # the branch opened by the new answer
    with world.db.transaction() as session:
        rows = (session.exec(select(Answer).where(Answer.step_id == "colour"))).all()
    assert [(r.value, r.superseded_at is None) for r in rows] == [("red", False), ("blue", True)]


async def test_keep_answer_moves_on_without_a_new_row(world: World) -> None:
    chat = world.chat()
    await start_all_kinds(chat)
    await chat.press("Done")
    await chat.press("Red")
    await chat.press("Back")
    await chat.press("Keep answer")
    assert "Items" in chat.question.text
    with world.db.transaction() as session:
        rows = (session.exec(select(Answer).where(Answer.step_id == "colour"))).all()
    assert len(rows) == 1


async def test_progress_counts_the_branch_once_it_is_known(world: World) -> None:
    chat = world.chat()
    await start_all_kinds(chat)
    await chat.press("Done")
    assert "Step 2 of 11" in chat.question.text
    await chat.press("Blue")
    assert "Step 3 of 12" in chat.question.text


async def test_required_step_cannot_be_skipped_and_optional_can(world: World) -> None:
    chat = world.chat()
    await start_all_kinds(chat)
    assert "Skip" not in chat.labels()
    await chat.say("/skip")
    assert "required and cannot be skipped" in chat.text
    assert "Please confirm" in chat.question.text
    await chat.press("Done")
    await chat.press("Red")
    await chat.press("Pen")
    await chat.press("Done")
    await chat.press("No")
    assert "Skip" in chat.labels()
    await chat.say("/skip")
    assert "Amount" in chat.question.text
    assert (await case_answers(world))["note"].skipped


async def test_invalid_input_is_explained_and_the_question_repeated(world: World) -> None:
    chat = world.chat()
    await start_all_kinds(chat)
    await chat.press("Done")
    await chat.say("green")
    assert "choose one of the options" in chat.text
    assert "Colour?" in chat.question.text
    await chat.say("2")  # the option's number works too
    await chat.say("a very long shade of blue")
    assert "limit is 10" in chat.text
    await chat.say("navy")
    await chat.press("Done")
    assert "at least 1 item" in chat.text  # checklist minimum
    await chat.press("Cup")
    await chat.press("Done")
    await chat.say("maybe")
    assert "Yes or No" in chat.text
    await chat.say("是")
    await chat.say("note")
    await chat.say("5000")
    assert "at most 1,000" in chat.text
    await chat.say("12.5")
    assert "whole number" in chat.text
    await chat.say("abc")
    assert "not a number" in chat.text
    await chat.say("1,000元")
    assert "Big amount" in chat.question.text
    await chat.press("Done")
    await chat.say("25:99")
    assert "not a time I can read" in chat.text
    await chat.say("11-23 10:00")
    assert "in the future" in chat.text
    await chat.say("21:15")
    await chat.say("here is a photo")
    assert "send a photo" in chat.text
    await chat.photo(b"GIF? no, plain text pretending")
    assert "not a photo I can use" in chat.text
    assert "✓ Done" not in chat.labels()  # no "Done" before the photo it needs
    await chat.photo(png(7))
    await chat.press("Done")
    await chat.place(95.0, 10.0)
    assert "out of range" in chat.text
    await chat.say("Lobby, 3F")
    answers = await case_answers(world)
    assert answers["amount"].value == 1000
    assert answers["seen_at"].value == "2026-11-22T13:15:00+00:00"  # 21:15 Shanghai
    assert answers["where"].value == {"text": "Lobby, 3F"}
    assert answers["blue_detail"].value == "navy"


async def test_photo_on_a_text_step_is_kept_and_the_question_repeated(world: World) -> None:
    chat = world.chat()
    await start_all_kinds(chat)
    await chat.photo(png(3))
    assert "kept with the case" in chat.text
    assert "Please confirm" in chat.question.text
    with world.db.transaction() as session:
        case = cases.by_number(session, world.site_id, "2611-001")
        assert case is not None and case.id is not None
        kept = cases.attachments(session, case.id)
    assert [a.step_id for a in kept] == ["ack"]


async def test_stale_button_is_answered_and_the_question_repeated(world: World) -> None:
    chat = world.chat()
    await start_all_kinds(chat)
    old = chat.token("Done")
    await chat.press("Done")
    await chat.press("Red")
    chat.last = await world.engine.handle(Incoming.press(chat.user, old))
    assert chat.last[-1].notice == "That button is no longer active."
    assert "older message" in chat.text
    assert "Items" in chat.question.text
    assert "ack" in await case_answers(world)  # nothing recorded was touched


async def test_cancel_asks_first_then_keeps_the_case(world: World) -> None:
    chat = world.chat()
    await start_all_kinds(chat)
    await chat.press("Done")
    await chat.press("Cancel report")
    await chat.press("No, continue")
    assert "Colour?" in chat.question.text
    await chat.say("/cancel")
    await chat.press("Started by mistake")
    assert "cancelled" in chat.text
    with world.db.transaction() as session:
        case = cases.by_number(session, world.site_id, "2611-001")
        assert case is not None and case.id is not None
        assert case.status == CaseStatus.CANCELLED
        assert (cases.current_answers(session, case.id))["ack"].value is True
    await chat.press("My reports")
    assert "2611-001 · All step kinds · cancelled" in chat.text


async def test_resume_after_restart_exactly_where_it_was(world: World) -> None:
    chat = world.chat()
    await start_all_kinds(chat)
    await chat.press("Done")
    await chat.press("Blue")
    await chat.say("navy")
    await chat.press("Pen")  # a checklist half done
    restarted = world.restarted().chat()
    await restarted.say("/start")
    assert "2611-001" in restarted.text and "step 4 of 12" in restarted.text
    await restarted.press("Continue")
    assert "☑ Pen" in restarted.labels()
    await restarted.press("Done")
    assert "Urgent?" in restarted.question.text


async def test_a_second_report_gets_the_next_number(world: World) -> None:
    chat = world.chat()
    await start_all_kinds(chat)
    await chat.say("/cancel")
    await chat.press("Started by mistake")
    await chat.press("Report an incident")
    await chat.say("wallet stolen")
    assert chat.labels()[0] == "Security · Lost or stolen property"
    await chat.press("Security · Lost or stolen property")
    assert "Case 2611-002 opened" in chat.text


async def test_stranger_learns_nothing(world: World) -> None:
    chat = world.chat(telegram_id=999, language="zh-hans")
    await chat.say("/start")
    assert len(chat.last) == 1 and not chat.last[0].buttons
    assert "2611" not in chat.text
    english = world.chat(telegram_id=998, language="en")
    await english.say("wallet stolen")
    assert "registered" in english.text


async def test_repeated_event_id_is_handled_once(world: World) -> None:
    chat = world.chat()
    await chat.say("/start")
    token = chat.token("Report an incident")
    press = Incoming.press(chat.user, token, source="telegram", event_id=77)
    first = await world.engine.handle(press)
    second = await world.engine.handle(press)
    assert first and second == []


async def test_the_picker_is_a_short_grouped_list(world: World) -> None:
    chat = world.chat()
    await chat.say("/start")
    await chat.press("Report an incident")
    groups = chat.labels()
    assert groups[:4] == ["🛡 Security", "🏨 Hotel emergencies", "📣 Complaints", "📋 Other"]
    await chat.press("Hotel emergencies")
    titles = chat.labels()
    assert "Fire alarm and initial fire" in titles and "← All groups" in titles
    assert not any("Lost or stolen" in t for t in titles)
    await chat.press("All groups")
    assert chat.labels() == groups
    await chat.say("电梯困人")
    assert chat.labels()[0].startswith("Hotel emergencies · ")


async def test_done_under_an_earlier_copy_of_the_photo_question_still_works(world: World) -> None:
    chat = world.chat()
    await start_all_kinds(chat)
    for label in ("Done", "Red", "Pen", "Done", "No", "Skip"):
        await chat.press(label)
    await chat.say("5")
    await chat.press("Done")
    await chat.press("Now")
    await chat.photo(png(1))
    first_done = chat.token("Done")  # the photo question as shown after the first photo
    await chat.photo(png(2))
    chat.last = await world.engine.handle(Incoming.press(chat.user, first_done))
    assert "Where?" in chat.question.text
    assert len((await case_answers(world))["pictures"].value) == 2
    stale = chat.token("Back")
    await chat.place(31.2, 121.4)  # a new step: the old question's buttons are stale now
    chat.last = await world.engine.handle(Incoming.press(chat.user, stale))
    assert chat.last[-1].notice == "That button is no longer active."


async def test_language_follows_choice_then_phone_then_site(world: World) -> None:
    chinese_phone = world.chat(language="zh-hans")
    await chinese_phone.say("/start")
    assert "📝 报告事件" in chinese_phone.labels()
    french_phone = world.chat(language="fr")
    await french_phone.say("/start")
    assert "📝 Report an incident" in french_phone.labels()  # the site speaks English
    await chinese_phone.say("/lang")
    await chinese_phone.press("English")
    await chinese_phone.say("/start")
    assert "📝 Report an incident" in chinese_phone.labels()


async def test_a_playbook_changed_under_an_open_report_goes_on(
    world: World, tmp_path: Path
) -> None:
    chat = world.chat()
    await start_all_kinds(chat)
    await chat.press("Done")
    await chat.press("Red")
    assert "Items" in chat.question.text  # the guard is on the checklist
    folder = tmp_path / "site"
    folder.mkdir()
    original = (TEST_PLAYBOOKS / "all_kinds.yaml").read_text(encoding="utf-8")
    start = original.index("  - id: items\n")
    end = original.index("  - id: urgent\n")
    changed = (original[:start] + original[end:]).replace("version: 1", "version: 2", 1)
    (folder / "all_kinds.yaml").write_text(changed, encoding="utf-8")
    registry, _ = load_registry(folder)
    updated = Engine(
        db=world.db,
        registry=registry,
        media=MediaStore(world.media_dir),
        catalogs=Catalogs(),
        clock=world.clock,
    )
    pen = chat.token("Pen")
    chat = Chat(updated, chat.user)
    chat.last = await updated.handle(Incoming.press(chat.user, pen))  # the vanished step's button
    assert "procedure changed while report 2611-001 was open" in chat.text
    assert "Urgent?" in chat.question.text
    await chat.press("Yes")
    assert "Note" in chat.question.text
    with world.db.transaction() as session:
        case = cases.by_number(session, world.site_id, "2611-001")
        assert case is not None and case.id is not None
        assert case.playbook_version == 2
        kinds = [e.kind for e in cases.timeline(session, case.id)]
        answers = cases.current_answers(session, case.id)
    assert "procedure_updated" in kinds
    assert answers["colour"].value == "red" and answers["urgent"].value is True
