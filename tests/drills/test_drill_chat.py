"""A coordinator plans a fire drill in the chat; the participants are invited and reminded at
the right minutes and answer; the drill is run and recorded; its shortcoming is reminded to
its owner until confirmed with a photo."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.delivery import service as outbox
from bot.delivery.models import DeliveryStatus
from bot.drills import pdf as drill_pdf
from bot.drills.messages import ATTEND, DECLINE, RECTIFIED
from bot.drills.models import Drill
from bot.i18n import Catalogs
from tests.drills.support import DrillSite, drill_site, local, plan_fire_drill
from tests.reports.conftest import text_of
from tests.reports.test_pdf import rendered
from tests.support import World, png


async def test_plan_invite_remind_answer_run_record_and_rectify(world: World) -> None:
    site: DrillSite = await drill_site(world)
    coord = await plan_fire_drill(site)
    assert "Drill planned. 4 participants" in coord.text
    invites = site.deliveries("drill_invite")
    # The three participants, the commander, and the coordinator hear of it.
    assert len(invites) == 5
    message = site.render(site.deliveries("drill_invite", "a")[0])
    assert message is not None and message.title == "🧯 DRILL planned: Fire"
    assert "Kitchen, 1F" in message.text and "Commander: Zhou Hui" in message.text
    assert message.button_labels() == ["✅ I'll attend", "❌ I can't"]

    # 7 days, 1 day and 1 hour before 15:00 (Shanghai), each at its minute, each once.
    clock = world.clock
    for due in (local(2026, 12, 1, 15, 0), local(2026, 12, 7, 15, 0), local(2026, 12, 8, 14, 0)):
        before = len(site.deliveries("drill_reminder"))
        clock.set(due - timedelta(minutes=1))
        site.tick()
        assert len(site.deliveries("drill_reminder")) == before
        clock.set(due)
        site.tick()
        site.tick()
        assert len(site.deliveries("drill_reminder")) == before + 4
    reminder = site.deliveries("drill_reminder", "a")[-1]
    shown = site.render(reminder)
    assert shown is not None and shown.title == "⏰ DRILL in 1 hour: Fire"

    # Each answers; the coordinator sees who said what and who did not.
    out = await site.press("a", reminder, ATTEND)
    assert out[0].notice == "Thank you: you will attend. The coordinator sees it."
    await site.press("b", site.deliveries("drill_reminder", "b")[-1], DECLINE)
    shown = site.render(reminder)
    assert shown is not None and "Your answer: ✅ I'll attend." in shown.text
    # Someone else's button is refused.
    out = await site.press("c", reminder, ATTEND)
    assert out[0].notice == "That button is not valid for you; nothing was changed."
    await coord.say("/drills")
    assert "Fire · Kitchen, 1F · planned" in coord.text
    await coord.press("Open 1")
    assert "✅ Will attend: An Guard" in coord.text
    assert "❌ Cannot: Bo Guard" in coord.text
    assert "❔ No answer yet: Cai Clerk, Zhou Hui" in coord.text

    # Not started 30 minutes after its time: the coordinator and the commander are pinged.
    clock.set(local(2026, 12, 8, 15, 29))
    site.tick()
    assert site.deliveries("drill_late") == []
    clock.set(local(2026, 12, 8, 15, 30))
    site.tick()
    late = site.deliveries("drill_late")
    assert {d.staff_id for d in late} == {site.people["coord"].id, site.people["chief"].id}

    # The run: timeline lines, two photos, attendance, equipment, evaluation, a shortcoming.
    clock.set(local(2026, 12, 8, 15, 31))
    with world.db.transaction() as session:  # as if the sender had delivered it
        outbox.settle(session, reminder.id or 0, status=DeliveryStatus.SENT, message_id=7)
    await coord.press("Start the drill")
    sent = site.deliveries("drill_reminder", "a")[-1]
    assert sent.needs_edit  # its answer buttons are taken away
    shown = site.render(sent)
    assert shown is not None and shown.buttons == ()
    assert "This drill is no longer planned." in shown.text
    assert "DRILL running" in (coord.question.title or "")
    clock.advance(timedelta(minutes=1))
    await coord.say("Kitchen staff raise the alarm")
    await coord.photo(png(1))
    clock.advance(timedelta(minutes=8))
    await coord.say("Fire out; everyone assembled")
    await coord.photo(png(2))
    await coord.press("Attendance")
    await coord.press("An Guard")
    await coord.press("Zhou Hui")
    assert "✓ An Guard" in coord.labels()
    await coord.press("Done")
    await coord.press("Equipment")
    await coord.say("4 extinguishers, 1 hose: hose leaking")
    await coord.press("Evaluation")
    await coord.say("Personnel in position fast; materials all effective")
    await coord.press("Shortcoming")
    await coord.say("Fire hose leaks")
    await coord.press("Bo Guard")
    await coord.press("Tomorrow")
    assert "Bo Guard is asked to rectify it" in coord.text
    await coord.press("Conclude")
    await coord.say("The drill met its goal.")
    documents = [d for m in coord.last for d in m.files]
    assert len(documents) == 1 and documents[0].data.startswith(b"%PDF")
    text = text_of(documents[0].data)
    for piece in (
        "TimeDec8,2026,3:31:00PMto3:40PMPlaceKitchen,1F",
        "DrillitemFireDuration9minutes",
        "ParticipantsPresent:AnGuard,ZhouHui.Absent:BoGuard,CaiClerk.",
        "Afirebreaksoutinthekitchenat15:00.",
        "CordonAnGuardkeepguestsawayRescue—fightthefire",
        "3:32PM(+1minute)KitchenstaffraisethealarmChenCoord",
        "Equipmentchecked:4extinguishers,1hose:hoseleaking",
        "Firehoseleaks—BoGuard12/9/2026",
        "Thedrillmetitsgoal.",
    ):
        assert piece in text, piece
    assert rendered(documents[0].data)[1] == 2  # the two photos
    # The same record in Chinese.
    zh = Catalogs().translator("zh_Hans", "Asia/Shanghai")
    with world.db.transaction() as session:
        drill = session.exec(select(Drill)).one()
        chinese = text_of(
            drill_pdf.render(
                session,
                drill,
                zh,
                world.registry,
                world.engine.media,
                now=drill.ended_at or clock.now(),
            )
        )
    for piece in (
        "应急救援演练记录",
        "演练项目火灾耗时9分钟",
        "到场:AnGuard、ZhouHui",
        "存在的不足",
        "Firehoseleaks—BoGuard2026/12/9",
    ):
        assert piece in chinese, piece

    # The shortcoming's owner was told at once; reminded each day from the deadline at 09:00.
    task = site.deliveries("drill_fix", "b")
    assert len(task) == 1
    shown = site.render(task[0])
    assert shown is not None and "Fire hose leaks" in shown.text
    clock.set(local(2026, 12, 9, 8, 59))
    site.tick()
    assert len(site.deliveries("drill_fix", "b")) == 1
    clock.set(local(2026, 12, 9, 9, 0))
    site.tick()
    site.tick()
    assert len(site.deliveries("drill_fix", "b")) == 2
    clock.set(local(2026, 12, 10, 9, 0))
    site.tick()
    reminders = site.deliveries("drill_fix", "b")
    assert len(reminders) == 3
    shown = site.render(reminders[-1])
    assert shown is not None and "(reminder: not confirmed yet)" in shown.text

    # Confirmed with a photo: no more reminders.
    out = await site.press("b", reminders[-1], RECTIFIED)
    assert "Send a photo showing “Fire hose leaks” rectified." in out[-1].text
    bo = site.chat("b")
    await bo.say("it is fixed")
    assert "Please send a photo." in bo.text
    await bo.photo(png(3))
    assert "the rectification is confirmed" in bo.text
    shown = site.render(reminders[0])
    assert shown is not None and "✅ Confirmed done by Bo Guard" in shown.text
    clock.set(local(2026, 12, 11, 9, 0))
    site.tick()
    assert len(site.deliveries("drill_fix", "b")) == 3
