"""The A1 lost/stolen property procedure as a guard goes through it in Telegram, with the police
branch, photos (one alone, two as an album, one more later), a shared location; and what the
confirmed case must hold afterwards. Used by the in-process and the `dutybot run` tests."""

from __future__ import annotations

from sqlmodel import select

from bot.cases import service as cases
from bot.cases.models import Case, CaseStatus
from bot.escalation import service as alerts
from bot.staff import service as staff_service
from tests.e2e.harness import Bot, Person
from tests.fakes import StoredMessage
from tests.support import png

CLOSING = "Handed to the police; the guest was told."
ACCOUNT = 'Wallet left on the <sofa> & gone within 10 min; guest says "it\'s mine"'
PHOTOS = [png(seed, size=8) for seed in (11, 12, 13, 14)]


async def report_a1(guard: Person) -> None:
    await guard.press("Report an incident")
    await guard.press("Security")
    await guard.press("Lost or stolen property")
    assert "Step 1 of" in guard.text()
    await guard.press("Stolen")
    await guard.press("Now")  # report received
    await guard.say("Zhang San")  # the reporter, field by field
    await guard.say("Resident, room 1203")
    await guard.say("13800000000")
    assert "Share a location" in guard.text()
    new = await guard.act(lambda: guard.user.send_location(31.2304, 121.4737))
    assert "When did the foreman arrive?" in new[-1].text  # type: ignore[operator]
    await guard.press("Now")  # foreman arrived
    await guard.press("Yes")  # CCTV needed: the security chief is notified (and reviews it later)
    question = guard.question().message_id
    await guard.press("Camera")  # the checklist is ticked on the same message
    await guard.press("Gloves")
    assert guard.question().message_id == question
    assert "☑ Camera" in guard.labels() and "☑ Gloves" in guard.labels()
    await guard.press("Done")
    await guard.say(ACCOUNT)
    await guard.say("Black leather wallet, ID card and about 3000 yuan")
    await guard.say("3000")
    await guard.photo(PHOTOS[0])
    assert "1 photo received" in guard.text()
    await guard.album(PHOTOS[1], PHOTOS[2])  # an album: one answer for both
    assert "3 photos received" in guard.text()
    await guard.press("Done")
    await guard.press("Done")  # chiefs notified
    assert "Skip" not in guard.labels()  # required: an explicit answer
    await guard.press("Nobody involved is present")
    await guard.press("Yes")  # the owner asks for the police
    assert "large value" in guard.text()
    await guard.press("No")
    assert "report to the police (110)" in guard.text()
    await guard.press("Done")
    await guard.press("Now")  # police called
    await guard.press("Nobody enters or leaves")
    await guard.press("Nothing is moved")
    await guard.press("Done")
    await guard.press("Public area")
    await guard.press("Safety tape is up")
    await guard.press("People are posted")  # both (000:21)
    await guard.press("Done")
    await guard.photo(PHOTOS[3])  # the cordon
    await guard.press("Done")
    await guard.press("Done")  # superiors briefed
    await guard.press("No")  # no suspect caught on the spot
    review = "\n".join(m.text or "" for m in guard.messages()[-3:])
    assert "Review" in review and ACCOUNT in review and "【Police and scene protection】" in review
    done = await guard.press("Confirm")
    assert any("is recorded" in (m.text or "") for m in done)
    # The investigation and the findings are the security chief's part: a task for them.
    assert any("It goes on to the Security chief for follow-up." in (m.text or "") for m in done)


async def follow_up_a1(chief: Person, task: StoredMessage) -> None:
    """The security chief takes the task from its message, answers the CCTV review, the
    investigation and the findings, and closes the case with a note."""
    started = await chief.act(lambda: chief.user.press("▶ Start", message_id=task.message_id))
    assert any("your part as Security chief" in (m.text or "") for m in started)
    assert "security chief reviews the CCTV footage" in chief.text()
    await chief.say("Man in a cap entered the lobby at 21:50")
    await chief.say("Wang Wu")  # one interviewee, details skipped
    for _ in range(6):
        await chief.press("Skip this detail")
    await chief.press("Done")
    await chief.press("No staff were on site at the time")
    await chief.say("The man in the cap; CCTV stills saved")
    await chief.press("Skip")  # evidence photos
    await chief.say("Suspect identity to be confirmed by the police")
    await chief.press("Done")  # leadership informed
    await chief.press("Yes")  # reported to the police after review
    assert "Please check your part" in chief.text()
    done = await chief.press("Confirm")
    assert any("Your part of case" in (m.text or "") for m in done)
    assert "Close case" in chief.text()  # the chief closes A1 cases: asked at once
    closed = await chief.say(CLOSING)
    assert any("is closed." in (m.text or "") for m in closed)


async def check_case(bot: Bot, telegram_id: int, chief_id: int | None = None) -> None:
    """The case as the guard left it, and (``chief_id``) as the chief closed it."""
    with bot.app.db.transaction() as session:
        member = staff_service.by_telegram_id(session, telegram_id)
        assert member is not None
        case = (session.exec(select(Case))).one()
        assert case.id is not None
        answers = {k: a.value for k, a in (cases.current_answers(session, case.id)).items()}
        files = cases.attachments(session, case.id)
        timeline = cases.timeline(session, case.id)
        events = [e.kind for e in timeline]
        notified = [n.roles for n in alerts.of_case(session, case.id)]
        chief = staff_service.by_telegram_id(session, chief_id) if chief_id else None
    assert case.reporter_id == member.id
    assert answers["report_kind"] == "stolen"
    assert answers["reporter"] == [
        {"name": "Zhang San", "status": "Resident, room 1203", "contact": "13800000000"}
    ]
    assert answers["place"] == {"lat": 31.2304, "lon": 121.4737}
    assert answers["equipment"] == ["camera", "gloves"]
    assert answers["owner_account"] == ACCOUNT
    assert answers["value_estimate"] == 3000
    assert answers["police_requested"] is True and answers["scene_area"] == "public"
    assert len(answers["scene_photos"]) == 3 and len(answers["cordon_photos"]) == 1
    # Each photo is the largest size Telegram offered, stored under its sha256.
    assert [f.step_id for f in files] == ["scene_photos"] * 3 + ["cordon_photos"]
    for file, data in zip(files, PHOTOS, strict=True):
        stored = bot.media_dir / file.sha256[:2] / file.sha256
        assert stored.read_bytes() == data and file.size == len(data)
        assert file.mime == "image/png" and file.telegram_file_id
    assert events[0] == "opened" and "reported" in events
    assert events.count("attachment_added") == 4
    assert ["security_chief"] in notified and ["manager"] in notified
    assert ["foreman"] in notified  # the foreman rushes to the scene (000:13)
    assert answers["persons_retained"] == []
    reported = events.index("reported")
    assert events[reported + 1] == "task_created"
    if chief is None:
        assert case.status == CaseStatus.REPORTED
        assert "cctv_findings" not in answers and "findings" not in answers
        return
    # The chief's part: on the timeline by the chief, after the guard's report.
    assert case.status == CaseStatus.CLOSED and chief.id is not None
    assert answers["cctv_findings"] == "Man in a cap entered the lobby at 21:50"
    assert answers["interviewees"] == [{"name": "Wang Wu"}] and answers["staff_on_duty"] == []
    assert answers["findings"] == "Suspect identity to be confirmed by the police"
    by = {e.kind: e.actor_id for e in timeline}
    assert by["reported"] == member.id and by["task_started"] == chief.id
    assert by["task_done"] == chief.id and by["closed"] == chief.id
    assert timeline[-1].kind == "closed" and timeline[-1].data["note"] == CLOSING
    chief_answers = [e for e in timeline if e.kind == "answered" and e.actor_id == chief.id]
    assert {e.step_id for e in chief_answers} >= {"cctv_findings", "findings"}
