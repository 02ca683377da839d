"""What the clocks' messages say, rendered by the sender's renderer at send time in the
reader's language and the site's time zone; and the timeline lines of the clocks' events."""

from __future__ import annotations

from datetime import timedelta

from bot.deadlines import service as deadlines
from bot.deadlines.messages import RENDERERS, event_text
from bot.delivery.messages import Renderer
from bot.i18n import Catalogs
from bot.staff import service as staff_service
from tests.deadlines.stored import (
    complaint,
    deliveries,
    events,
    fire,
    officer,
    open_clock,
    rise,
    scheduled,
)
from tests.deadlines.support import SH, at
from tests.support import World, add_staff


async def rendered(world: World, message: str, locale: str) -> list[tuple[str, str]]:
    """(title, text) of each delivery of ``message``, its reader speaking ``locale``."""
    renderer = Renderer(world.registry, Catalogs())
    found = []
    with world.db.transaction() as session:
        for row in await deliveries(world, message):
            member = staff_service.get(session, row.staff_id or 0)
            assert member is not None
            member.locale = locale
            session.add(member)
            session.flush()
            out = renderer.render(session, row)
            assert out is not None, message
            found.append((out.title or "", out.text))
    return found


async def test_reminder_breach_and_rise_in_english_and_chinese(world: World) -> None:
    person = await officer(world)
    world.clock.set(at(SH, 2026, 12, 1, 10, 0))
    case = await complaint(world, world.clock.now())
    clock = await open_clock(world, case, "b4_enquiry_reply")
    world.clock.set(clock.remind_at or world.clock.now())
    await fire(world)
    ((title, text),) = await rendered(world, "deadline_reminder", "en")
    assert title == f"⏰ Reminder · {case.number} Complaint intake"
    assert text == "“Clock b4_enquiry_reply” is due by 12/2/26, 10:00\u202fAM."
    ((title, text),) = await rendered(world, "deadline_reminder", "zh_Hans")
    assert title.startswith(f"⏰ 提醒 · {case.number}")
    assert text.startswith("“时限 b4_enquiry_reply”须在 2026/12/2 10:00 前完成")

    with world.db.transaction() as session:
        deadlines.assign(
            session,
            case.id or 0,
            role="complaint_officer",
            staff_id=person.id or 0,
            now=world.clock.now(),
        )
    world.clock.set(clock.due_at or world.clock.now())
    await fire(world)
    ((title, text),) = await rendered(world, "deadline_breached", "zh_Hans")
    assert title.startswith("⚠ 已超时")
    assert "已通知本项目的上报链" in text

    world.clock.set(at(SH, 2026, 12, 8, 10, 0))
    await rise(world)
    ((title, text),) = await rendered(world, "case_rose", "en")
    assert title == "⬆ Complaint level raised"
    assert text == (
        f"Case {case.number} is now a Hot complaint: Still unresolved a week later, for "
        "reasons on our side."
    )
    ((_, text),) = await rendered(world, "case_rose", "zh_Hans")
    assert text == f"案件 {case.number} 已升为热点投诉：投诉一周以后由于我方原因仍未解决的投诉。"


async def test_a_reminder_for_a_clock_met_meanwhile_is_not_sent(world: World) -> None:
    await officer(world)
    world.clock.set(at(SH, 2026, 12, 1, 10, 0))
    case = await complaint(world, world.clock.now())
    clock = await open_clock(world, case, "b4_enquiry_reply", until_step="reply")
    world.clock.set(clock.remind_at or world.clock.now())
    await fire(world)
    (row,) = await deliveries(world, "deadline_reminder")
    with world.db.transaction() as session:
        deadlines.fulfil(session, case, "reply", at=world.clock.now(), actor_id=None)
    with world.db.transaction() as session:
        assert Renderer(world.registry, Catalogs()).render(session, row) is None


async def test_the_digest_and_the_recurring_messages(world: World) -> None:
    await officer(world)
    await add_staff(world, 4003, "Qian Yu", "manager")
    world.clock.set(at(SH, 2026, 11, 30, 9, 0))
    old = await complaint(world, world.clock.now())
    await open_clock(world, old, "c3_verify_report")
    world.clock.set(at(SH, 2026, 12, 1, 9, 0))
    await scheduled(world)
    ((title, text),) = await rendered(world, "morning_digest", "en")
    assert title == "☀ Morning digest · HQ Hotel"
    assert text.splitlines() == [
        "Due today:",
        f"• {old.number} · Clock c3_verify_report · 12/1/26, 9:00\u202fAM",
        "",
        "Overdue:",
        "• nothing",
        "",
        "Came in overnight:",
        "• nothing",
    ]
    ((title, text),) = await rendered(world, "complaint_box", "zh_Hans")
    assert (title, text) == (
        "📮 意见箱",
        "该开启 HQ Hotel 的意见箱了：每张意见都请登记为一宗投诉。",
    )
    stats = await rendered(world, "monthly_statistics", "en")
    assert {text for _, text in stats} == {
        "Please compile the complaint statistics of 2026-11 for HQ Hotel (the monthly summary)."
    }


async def test_every_renderer_is_registered_and_every_clock_event_has_a_line(
    world: World,
) -> None:
    renderer = Renderer(world.registry, Catalogs())
    assert set(RENDERERS) <= set(renderer._kinds)
    person = await officer(world)
    gm = await add_staff(world, 3002, "Wu Gang", "general_manager")
    now = at(SH, 2026, 12, 1, 10, 0)
    world.clock.set(now)
    case = await complaint(world, None)
    clock = await open_clock(world, case, "b4_enquiry_reply", until_step="reply")
    later = now + timedelta(hours=1)
    with world.db.transaction() as session:
        deadlines.step_answered(session, case, "received_at", now.isoformat(), actor_id=1, now=now)
        deadlines.pause(session, clock.id or 0, reason="waiting_on_customer", by=1, now=now)
        deadlines.resume(session, clock.id or 0, by=1, now=later)
        deadlines.extend(session, clock.id or 0, approver_id=gm.id or 0, by="1h", now=later)
        deadlines.assign(
            session, case.id or 0, role="complaint_officer", staff_id=person.id or 0, now=later
        )
    tr = Catalogs().translator("zh_Hans", SH)
    lines = {e.kind: event_text(tr, e.kind, e.data) for e in await events(world, case)}
    assert lines["deadline_started"] == "时限“时限 b4_enquiry_reply”自 2026/12/1 10:00 起计"
    assert lines["deadline_paused"] == "暂停了时限“时限 b4_enquiry_reply”"
    assert lines["deadline_resumed"] == "恢复了时限“时限 b4_enquiry_reply”"
    assert lines["deadline_extended"] == "将“时限 b4_enquiry_reply”延期至 2026/12/2 12:00"
    assert lines["deadline_assigned"] == "接手了案件的时限"
    assert event_text(tr, "opened", {}) is None
