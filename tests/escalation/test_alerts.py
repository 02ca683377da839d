"""Alerts over the engine with the injected clock: who is pinged, when the chain climbs, what
quiet hours hold back, what one acknowledgement stops, and who may press what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.engine.callbacks import AckPress, OpenPress
from bot.engine.incoming import Incoming, UserRef
from bot.escalation.chains import Chain, ChainStep, EscalationSettings
from bot.escalation.models import AlertStatus
from bot.rota import service as rota
from bot.staff import service as staff_service
from tests.escalation.conftest import Site
from tests.support import add_staff

SHANGHAI_3AM = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)  # 03:00 on the 24th in Shanghai


async def press_as(site: Site, who: str, data: str, *, private: bool = True) -> list[str]:
    member = site.people[who]
    assert member.telegram_id is not None
    user = UserRef(member.telegram_id, member.name, "en")
    out = await site.world.engine.handle(
        Incoming.press(user, data, private=private, chat_id=None if private else -100)
    )
    return [o.notice or o.text for o in out]


async def token(site: Site, who: str, kind: type[AckPress] | type[OpenPress] = AckPress) -> str:
    row = next(
        d for d in await site.deliveries() if d.staff_id == site.people[who].id and d.kind == "ping"
    )
    assert row.id is not None
    return kind(row.id, row.secret).pack()


async def test_a_theft_pings_the_chief_then_climbs_the_chain_to_its_end(site: Site) -> None:
    clock = site.world.clock
    await site.report()
    assert await site.pinged() == ["chief"]
    alert = await site.alert()
    assert (alert.level, alert.status, alert.chain) == (0, AlertStatus.OPEN, "security")
    assert alert.next_at == clock.now() + timedelta(minutes=10)

    clock.advance(timedelta(minutes=9, seconds=59))
    assert await site.tick() == 0
    clock.advance(timedelta(seconds=1))
    assert await site.tick() == 1
    # Above the security chief in the security chain: the property manager.
    assert await site.pinged() == ["chief", "property"]

    # The general manager's level is for daytime: at 22:55 it waits for 07:00 site time.
    clock.advance(timedelta(minutes=15))
    await site.tick()
    assert await site.pinged() == ["chief", "property"]
    alert = await site.alert()
    assert alert.next_at == datetime(2026, 11, 22, 23, 0, tzinfo=UTC)  # 07:00 in Shanghai
    clock.set(alert.next_at)
    await site.tick()
    assert await site.pinged() == ["chief", "property", "gm"]

    clock.advance(timedelta(minutes=30))
    await site.tick()
    alert = await site.alert()
    assert alert.status == AlertStatus.UNANSWERED and alert.next_at is None
    notices = [
        (d.message, site.name(d.staff_id)) for d in await site.deliveries() if d.kind == "notice"
    ]
    assert notices == [("unanswered", "admin")]
    clock.advance(timedelta(hours=5))
    assert await site.tick() == 0  # it stops


async def test_one_acknowledgement_stops_the_chain_and_restyles_every_copy(site: Site) -> None:
    clock = site.world.clock
    await site.report()
    clock.advance(timedelta(minutes=10))
    await site.tick()
    assert await site.pinged() == ["chief", "property"]
    said = await press_as(site, "chief", await token(site, "chief"))
    assert "Acknowledged" in said[0]
    alert = await site.alert()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.acknowledged_by == site.people["chief"].id
    assert alert.acknowledged_at == clock.now()
    clock.advance(timedelta(hours=12))
    assert await site.tick() == 0
    assert await site.pinged() == ["chief", "property"]
    # Nothing was sent yet in this test (no sender), so both copies are simply not needed now;
    # a second press says who had it first.
    assert {d.status for d in await site.deliveries()} == {"cancelled"}
    again = await press_as(site, "property", await token(site, "property"))
    assert "Zhou Hui acknowledged it already" in again[0]


async def test_acknowledging_leaves_the_chiefs_own_report_where_it_was(site: Site) -> None:
    await site.report()
    chief = site.chat("chief")
    await chief.say("/start")
    await chief.say("test alarm")
    await chief.press("Test alarm")
    question = chief.question
    chief_id = site.people["chief"].id
    assert chief_id is not None
    with site.world.db.transaction() as session:
        from bot.conversations import service as conversations

        before = conversations.lock(session, chief_id, site.world.clock.now())
        nonce, step = before.nonce, before.step_id
    await press_as(site, "chief", await token(site, "chief"))
    with site.world.db.transaction() as session:
        after = conversations.lock(session, chief_id, site.world.clock.now())
    assert (after.nonce, after.step_id) == (nonce, step)
    await chief.press("Fire")  # the old question's buttons still work
    assert "Where is it?" in chief.text and question.text != chief.text


async def test_forged_foreign_and_revoked_presses_change_nothing(site: Site) -> None:
    await site.report()
    genuine = await token(site, "chief")
    delivery_id = int(genuine.split(":")[1].split(".")[0])
    refusal = "That button is not valid for you; nothing was changed."
    # A wrong secret, another person of the site, a press in a group it was not sent to.
    assert await press_as(site, "chief", AckPress(delivery_id, "AAAAAAAA").pack()) == [refusal]
    assert await press_as(site, "foreman", genuine) == [refusal]
    assert await press_as(site, "chief", genuine, private=False) == [refusal]
    assert await press_as(site, "foreman", OpenPress(delivery_id, "AAAAAAAA").pack()) == [refusal]
    # Garbage of every shape is not a press at all: the current screen is shown again.
    for junk in ("a:²2.x", "a:1", "z:1.2", "a:" + "9" * 30 + ".x", "c:1.1.1" + "1" * 80):
        said = await press_as(site, "chief", junk)
        assert "not valid" in said[0] or "older message" in said[0], junk
    # A guard of another site, and a stranger, with the genuine token.
    with site.world.db.transaction() as session:
        from bot.sites import service as sites

        other = sites.create(
            session, code="b", name="B", timezone="UTC", locale="en", now=site.world.clock.now()
        )
    site.people["other"] = await add_staff(
        site.world, 3001, "Other Guard", "guard", site_id=other.id
    )
    assert await press_as(site, "other", genuine) == [refusal]
    stranger = UserRef(9999, "X", "en")
    out = await site.world.engine.handle(Incoming.press(stranger, genuine))
    assert "registered security and hotel staff only" in out[0].text
    # Revoked: the bot says nothing at all.
    with site.world.db.transaction() as session:
        staff_service.revoke(session, site.people["chief"].id)  # type: ignore[arg-type]
    assert await press_as(site, "chief", genuine) == []
    assert (await site.alert()).status == AlertStatus.OPEN


async def test_open_case_shows_the_record_to_its_recipient_only(site: Site) -> None:
    await site.report()
    member = site.people["chief"]
    assert member.telegram_id is not None
    out = await site.world.engine.handle(
        Incoming.press(
            UserRef(member.telegram_id, "Z", "en"), await token(site, "chief", OpenPress)
        )
    )
    text = "\n".join(o.text for o in out)
    assert "Case 2611-001" in text and "Test alarm" in text
    assert "What happened?: Theft" in text and "Lobby, 3F" in text
    assert "【Timeline】" in text and "pinged Zhou Hui" in text
    assert "【Alerts】" in text and "waiting for an acknowledgement" in text
    assert all(o.private for o in out)
    assert out[0].notice == "Case 2611-001"


async def test_a_level_repeats_before_it_climbs(site: Site) -> None:
    clock = site.world.clock
    site.world.engine.chains = EscalationSettings(
        chains={
            "security": Chain(
                wait=timedelta(minutes=5),
                repeat=2,
                steps=[ChainStep(roles=["property_manager"], wait=timedelta(minutes=5))],
            )
        }
    )
    await site.report()
    for _ in range(3):
        clock.advance(timedelta(minutes=5))
        await site.tick()
    assert await site.pinged() == ["chief", "chief", "chief", "property"]
    rounds = [(d.params["level"], d.params["round"]) for d in await site.deliveries()]
    assert rounds == [(0, 1), (0, 2), (0, 3), (1, 1)]


async def _rota(site: Site) -> None:
    """Zheng on days (08:00–20:00), Feng on nights (20:00–08:00), every day."""
    with site.world.db.transaction() as session:
        for who, start, end in (("duty_a", 8 * 60, 20 * 60), ("duty_b", 20 * 60, 8 * 60)):
            rota.add_shifts(
                session,
                site_id=site.world.site_id,  # type: ignore[arg-type]
                role="duty_manager",
                staff_id=site.people[who].id,  # type: ignore[arg-type]
                weekdays=list(range(7)),
                start=start,
                end=end,
                now=site.world.clock.now(),
            )


async def test_a_fire_pings_the_duty_manager_on_the_rota_at_three_in_the_morning(
    site: Site,
) -> None:
    await _rota(site)
    site.world.clock.set(SHANGHAI_3AM)
    await site.report("Fire")
    assert await site.pinged() == ["duty_b"]  # urgent: no quiet hours
    alert = await site.alert()
    assert alert.urgent and alert.chain == "hotel"
    site.world.clock.set(datetime(2026, 11, 24, 6, 0, tzinfo=UTC))  # 14:00
    await site.report("Fire")
    assert await site.pinged() == ["duty_b", "duty_a"]


async def test_a_hole_in_the_rota_goes_up_the_chain_and_tells_the_admins_once(site: Site) -> None:
    with site.world.db.transaction() as session:
        rota.add_shifts(
            session,
            site_id=site.world.site_id,  # type: ignore[arg-type]
            role="duty_manager",
            staff_id=site.people["duty_a"].id,  # type: ignore[arg-type]
            weekdays=list(range(7)),
            start=8 * 60,
            end=20 * 60,
            now=site.world.clock.now(),
        )
    site.world.clock.set(SHANGHAI_3AM)
    await site.report("Fire")
    await site.report("Fire")
    # Nobody on duty, nobody holds "manager": straight on to the general manager, twice.
    assert await site.pinged() == ["gm", "gm"]
    notices = sorted(d.message for d in await site.deliveries() if d.kind == "notice")
    assert notices == ["nobody_holds", "rota_hole"]  # once a day each, not once per alert


async def test_my_alerts_lists_what_waits_with_working_buttons(site: Site) -> None:
    await site.report()
    chief = site.chat("chief")
    await chief.say("/alerts")
    assert "Alerts waiting for an acknowledgement" in chief.text and "2611-001" in chief.text
    await chief.press("✅ Acknowledge 1")
    assert (await site.alert()).status == AlertStatus.ACKNOWLEDGED
    await chief.say("/alerts")
    assert "No alert is waiting for you." in chief.text
    guard = site.chat()
    await guard.say("/alerts")
    assert "No alert is waiting for you." in guard.text  # a guard is not pinged for his report


async def test_a_group_chat_step_is_pinged_and_a_member_acknowledges_there(site: Site) -> None:
    site.world.engine.chains = EscalationSettings(
        chains={"security": Chain(wait=timedelta(minutes=5), steps=[ChainStep(chat=-100123)])}
    )
    await site.report()
    site.world.clock.advance(timedelta(minutes=5))
    await site.tick()
    group = [d for d in await site.deliveries() if d.chat_id == -100123]
    assert len(group) == 1 and group[0].id is not None
    data = AckPress(group[0].id, group[0].secret).pack()
    # From the group it was sent to, any active member of the site may acknowledge it ...
    member = site.people["foreman"]
    assert member.telegram_id is not None
    user = UserRef(member.telegram_id, member.name, "en")
    out = await site.world.engine.handle(Incoming.press(user, data, private=False, chat_id=-100123))
    assert "Acknowledged" in (out[0].notice or "")
    assert (await site.alert()).acknowledged_by == member.id
    # ... and nothing else typed or pressed in a group reaches the engine.
    assert await site.world.engine.handle(Incoming.message(user, "/start", private=False)) == []
