"""Who the engine talks to: invites, strangers, access requests, revocation, /whoami, /lang."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlmodel import select

from bot.engine.incoming import Incoming, PhotoIn
from bot.sites import service as sites
from bot.staff import invites, requests
from bot.staff import service as staff_service
from bot.staff.models import AccessRequest, Staff
from tests.support import Chat, World, png


async def make_invite(world: World, role: str = "guard", hours: int = 72) -> str:
    with world.db.transaction() as session:
        code, _ = invites.create(
            session,
            role=role,
            site_id=world.site_id,
            created_by=None,
            valid_for=timedelta(hours=hours),
            now=world.clock.now(),
        )
    return code


async def member(world: World, telegram_id: int) -> Staff | None:
    with world.db.transaction() as session:
        return staff_service.by_telegram_id(session, telegram_id)


async def test_an_invite_makes_staff_with_its_role_and_site(world: World) -> None:
    code = await make_invite(world, "foreman")
    chat = world.chat(telegram_id=500, language="zh-hans")
    chat.user = chat.user.__class__(500, "Zhou Qi", "zh-hans", "zhouqi")
    await chat.say(f"/start {code}")
    assert "登记为" in chat.text and "领班" in chat.text
    assert chat.last[0].commands is not None and ("report", "报告事件") in chat.last[0].commands
    assert "报告事件" in chat.labels()[0]
    joined = await member(world, 500)
    assert joined is not None and joined.roles == ["foreman"] and joined.site_id == world.site_id
    assert (joined.name, joined.locale, joined.active) == ("Zhou Qi", "zh_Hans", True)


async def test_an_invite_works_once(world: World) -> None:
    code = await make_invite(world)
    await world.chat(telegram_id=501).say(f"/start {code}")
    late = world.chat(telegram_id=502, language="en")
    await late.say(f"/start {code}")
    assert "cannot be used" in late.text and not late.labels()
    assert await member(world, 502) is None


async def test_an_invite_expires(world: World) -> None:
    code = await make_invite(world, hours=2)
    world.clock.advance(timedelta(hours=2, seconds=1))
    chat = world.chat(telegram_id=503, language="en")
    await chat.say(f"/start {code}")
    assert "cannot be used" in chat.text
    assert await member(world, 503) is None


async def test_a_wrong_code_is_refused_politely(world: World) -> None:
    chat = world.chat(telegram_id=504, language="en")
    for code in ("nonsense", "x" * 80):
        await chat.say(f"/start {code}")
        assert "cannot be used" in chat.text
    assert await member(world, 504) is None


async def test_a_stranger_can_ask_for_access_once(world: World) -> None:
    chat = world.chat(telegram_id=505, language="en")
    await chat.say("hello")
    assert "/request" in chat.text and "registered" in chat.text
    await chat.say("/request")
    assert "passed to the administrators" in chat.text
    await chat.say("/request")
    assert "already with the administrators" in chat.text
    with world.db.transaction() as session:
        rows = (session.exec(select(AccessRequest))).all()
    assert [(r.telegram_id, r.status) for r in rows] == [(505, "pending")]
    assert await member(world, 505) is None


async def test_an_admin_approves_a_request_with_a_role(world: World) -> None:
    with world.db.transaction() as session:
        requests.ask(
            session, telegram_id=506, name="Qian Ba", username="qb", language="en",
            now=world.clock.now(),
        )  # fmt: skip
        staff_service.add(
            session, telegram_id=1, name="Admin", roles=["admin"], site_id=world.site_id,
            locale=None, now=world.clock.now(),
        )  # fmt: skip
    admin = world.chat(telegram_id=1)
    await admin.say("/start")
    await admin.press("Staff access")
    assert "1 access request is waiting" in admin.text
    await admin.press("Access requests (1)")
    assert "Qian Ba @qb · 506" in admin.text
    await admin.press("Approve 1")
    await admin.press("Duty manager")
    assert "Qian Ba can now use the bot as Duty manager" in admin.text
    assert "No access requests are waiting" in admin.text
    approved = await member(world, 506)
    assert approved is not None and approved.roles == ["duty_manager"]
    newcomer = world.chat(telegram_id=506)
    await newcomer.say("/start")
    assert "Report an incident" in newcomer.labels()[0]


async def test_only_admins_invite_or_see_requests(world: World) -> None:
    guard = world.chat()
    await guard.say("/start")
    assert not any("Staff access" in label for label in guard.labels())
    for command in ("/invite guard", "/requests"):
        await guard.say(command)
        assert "for administrators only" in guard.text
        assert "Report an incident" in guard.labels()[0]


async def test_an_admin_invites_in_chat(world: World) -> None:
    world.engine.bot_username = "duty_bot"
    with world.db.transaction() as session:
        staff_service.add(
            session, telegram_id=1, name="Admin", roles=["admin", "guard"],
            site_id=world.site_id, locale=None, now=world.clock.now(),
        )  # fmt: skip
    admin = world.chat(telegram_id=1)
    await admin.say("/invite")
    await admin.press("Security chief")
    link = next(w for w in admin.text.split() if w.startswith("https://t.me/duty_bot?start="))
    newcomer = world.chat(telegram_id=507)
    await newcomer.say(f"/start {link.rsplit('=', 1)[1]}")
    joined = await member(world, 507)
    assert joined is not None and joined.roles == ["security_chief"]
    await admin.say("/invite nonsense")  # an unknown role: the role picker
    assert "Which role" in admin.text


async def test_a_revoked_member_gets_nothing(world: World) -> None:
    chat = world.chat()
    await chat.say("/start")
    token = chat.token("Report an incident")
    with world.db.transaction() as session:
        assert world.guard.id is not None
        staff_service.revoke(session, world.guard.id)
    for incoming in (
        Incoming.message(chat.user, "/start"),
        Incoming.message(chat.user, "wallet stolen"),
        Incoming.message(chat.user, "/request"),
        Incoming.message(chat.user, "/start not-a-code"),
        Incoming.press(chat.user, token),
        Incoming.photo(chat.user, PhotoIn(png(1))),
    ):
        assert await world.engine.handle(incoming) == []
    # A new invite restores them.
    code = await make_invite(world, "foreman")
    await chat.say(f"/start {code}")
    restored = await member(world, chat.user.telegram_id)
    assert restored is not None and restored.active and restored.roles == ["foreman"]


async def test_a_report_of_another_site_is_set_aside(world: World) -> None:
    chat = world.chat()
    await chat.say("/start")
    await chat.press("Report an incident")
    await chat.press("Other")
    await chat.press("All step kinds")
    with world.db.transaction() as session:
        other = sites.create(
            session, code="b", name="B Tower", timezone="Asia/Shanghai", locale="en",
            now=world.clock.now(),
        )  # fmt: skip
        guard = staff_service.get(session, world.guard.id)  # type: ignore[arg-type]
        assert guard is not None and other.id is not None
        guard.site_id = other.id
        session.add(guard)
    await chat.say("/start")
    assert "belongs to another site; it was set aside" in chat.text
    assert "B Tower" in (chat.question.title or "")
    await chat.press("My reports")
    assert "not reported anything yet" in chat.text


async def test_whoami_and_lang(world: World) -> None:
    chat = world.chat()
    await chat.say("/whoami")
    assert "Name: Li Wei" in chat.text and "Role: Security guard" in chat.text
    assert "Site: HQ Hotel" in chat.text and "Language: English" in chat.text
    await chat.say("/lang zh")
    assert "语言已设为中文" in chat.text
    assert chat.last[0].commands is not None and chat.last[0].commands[0] == ("start", "主菜单")
    assert (await member(world, chat.user.telegram_id)).locale == "zh_Hans"  # type: ignore[union-attr]
    await chat.say("/lang")
    await chat.press("English")
    assert "Language set to English." in chat.text
    assert "Report an incident" in chat.labels()[0]
    await chat.say("/help")
    assert "/whoami — Who am I" in chat.text and "/invite" not in chat.text


async def test_an_album_keeps_the_photos_not_seen_before(world: World) -> None:
    chat: Chat = world.chat()
    for step in ("/start",):
        await chat.say(step)
    album = Incoming.photo(
        chat.user,
        PhotoIn(png(1), event_id=10),
        PhotoIn(png(2), event_id=11),
        source="telegram",
        event_id=10,
    )
    partial = Incoming.photo(chat.user, PhotoIn(png(2), event_id=11), source="telegram",
                             event_id=11)  # fmt: skip
    assert await world.engine.handle(partial)  # (outside a report: "start a report first")
    replies = await world.engine.handle(album)  # photo 11 was seen; photo 10 is new
    assert replies
    assert await world.engine.handle(album) == []


async def test_two_people_racing_for_one_invite_make_one_member(any_world: World) -> None:
    code = await make_invite(any_world)
    chats = [any_world.chat(telegram_id=600 + n, language="en") for n in range(4)]
    await asyncio.gather(*(chat.say(f"/start {code}") for chat in chats))
    joined = [chat for chat in chats if "registered as" in chat.text]
    assert len(joined) == 1
    assert sum("cannot be used" in chat.text for chat in chats) == 3
