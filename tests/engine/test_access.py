"""Who the engine talks to: invites, strangers, access requests, revocation, /whoami, /lang."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.conversations import service as conversations
from bot.engine.callbacks import ScreenPress
from bot.engine.incoming import Incoming, PhotoIn
from bot.engine.outgoing import Outgoing
from bot.sites import service as sites
from bot.staff import attempts, invites, request_links, requests
from bot.staff import service as staff_service
from bot.staff.models import AccessRequest, Staff
from tests.support import Chat, World, add_staff, png


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


async def request_link(world: World, site_id: int | None = None) -> str:
    """The ``/start`` payload of a site's request link."""
    with world.db.transaction() as session:
        link = request_links.of_site(session, site_id or world.site_id, world.clock.now())  # type: ignore[arg-type]
        return request_links.payload(link)


async def test_a_stranger_asks_for_access_through_the_request_link_once(world: World) -> None:
    chat = world.chat(telegram_id=505, language="en")
    await chat.say("hello")
    assert "registered" in chat.text and "request link" in chat.text
    await chat.say(f"/start {await request_link(world)}")
    assert "passed to the administrators" in chat.text
    await chat.say(f"/start {await request_link(world)}")
    assert "already with the administrators" in chat.text
    await chat.say("/request")
    assert "already with the administrators" in chat.text
    with world.db.transaction() as session:
        rows = (session.exec(select(AccessRequest))).all()
    assert [(r.telegram_id, r.site_id, r.status) for r in rows] == [(505, world.site_id, "pending")]
    assert await member(world, 505) is None


async def test_a_plain_request_reaches_nobody_and_says_how_to_ask(world: World) -> None:
    """Before: /request filed a request every site's administrators saw."""
    chat = world.chat(telegram_id=505, language="en")
    await chat.say("/request")
    assert "open your site's request link" in chat.text and not chat.labels()
    with world.db.transaction() as session:
        assert (session.exec(select(AccessRequest))).all() == []
    zh = world.chat(telegram_id=506, language="zh-hans")
    await zh.say("/request")
    assert "申请链接" in zh.text


async def admin_of(world: World, telegram_id: int, site_id: int | None = None) -> Chat:
    await add_staff(world, telegram_id, f"Admin {telegram_id}", "admin", site_id=site_id)
    return world.chat(telegram_id=telegram_id)


async def other_site(world: World, code: str = "b", name: str = "B Tower") -> int:
    with world.db.transaction() as session:
        site = sites.create(
            session, code=code, name=name, timezone="Asia/Shanghai", locale="en",
            now=world.clock.now(),
        )  # fmt: skip
        assert site.id is not None
        return site.id


async def test_requests_reach_only_the_administrators_of_their_site(world: World) -> None:
    """Before: every site's administrators saw every request, with name, username and id."""
    b_site = await other_site(world)
    admin_a, admin_b = await admin_of(world, 1), await admin_of(world, 2, b_site)
    stranger = world.chat(telegram_id=507, language="en")
    stranger.user = stranger.user.__class__(507, "Qian Ba", "en", "qb")
    await stranger.say(f"/start {await request_link(world, b_site)}")
    assert "passed to the administrators" in stranger.text
    await admin_a.say("/requests")
    assert "No access requests are waiting" in admin_a.text and "Qian Ba" not in admin_a.text
    await admin_b.say("/requests")
    assert "Qian Ba @qb · 507" in admin_b.text
    await admin_b.press("Approve 1")
    await admin_b.press("Shift foreman")
    assert "Qian Ba can now use the bot as Shift foreman at B Tower" in admin_b.text
    joined = await member(world, 507)
    assert joined is not None and joined.site_id == b_site and joined.roles == ["foreman"]


async def test_an_administrator_cannot_answer_another_sites_request(world: World) -> None:
    b_site = await other_site(world)
    admin_a = await admin_of(world, 1)
    with world.db.transaction() as session:
        asked, _ = requests.ask(
            session, telegram_id=508, site_id=b_site, name="Zhao Si", username=None,
            language="en", now=world.clock.now(),
        )  # fmt: skip
    for action in (f"req:{asked.id}", f"req:{asked.id}:no", f"req:{asked.id}:as:admin"):
        await press_action(world, admin_a, action)
        assert "answered already" in admin_a.text and "Zhao Si" not in admin_a.text
    with world.db.transaction() as session:
        assert requests.get(session, asked.id).status == "pending"  # type: ignore[arg-type, union-attr]
    assert await member(world, 508) is None


async def test_a_replaced_request_link_stops_working(world: World) -> None:
    old = await request_link(world)
    with world.db.transaction() as session:
        new = request_links.payload(
            request_links.of_site(session, world.site_id, world.clock.now(), renew=True)  # type: ignore[arg-type]
        )
    assert new != old and new.startswith("ask_")
    chat = world.chat(telegram_id=509, language="en")
    await chat.say(f"/start {old}")
    assert "This request link cannot be used" in chat.text
    await chat.say(f"/start {new}")
    assert "passed to the administrators" in chat.text


async def test_an_admin_hands_out_the_request_link_in_chat(world: World) -> None:
    world.engine.bot_username = "duty_bot"
    admin = await admin_of(world, 1)
    await admin.say("/start")
    await admin.press("Staff access")
    await admin.press("Request link")
    assert "only the administrators of HQ Hotel see the request" in admin.text
    link = next(w for w in admin.text.split() if w.startswith("https://t.me/duty_bot?start="))
    assert link.rsplit("=", 1)[1] == await request_link(world)


async def test_an_admin_approves_a_request_with_a_role(world: World) -> None:
    with world.db.transaction() as session:
        requests.ask(
            session, telegram_id=506, site_id=world.site_id, name="Qian Ba", username="qb",
            language="en", now=world.clock.now(),
        )  # fmt: skip
    admin = await admin_of(world, 1)
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


async def press_action(world: World, chat: Chat, action: str) -> list[Outgoing]:
    """Press a button for ``action`` on the person's own current screen, as if it were shown
    to them (a screen kept from when they had the right to it, say)."""
    with world.db.transaction() as session:
        found = staff_service.by_telegram_id(session, chat.user.telegram_id)
        assert found is not None and found.id is not None
        conv = conversations.lock(session, found.id, world.clock.now())
        conv.buttons = [action]
        conv.nonce += 1
        conversations.save(session, conv)
        token = ScreenPress(conv.id or 0, conv.nonce, 0).pack()
    return await chat._send(Incoming.press(chat.user, token))


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


# --- invites that stay revoked ------------------------------------------------------------------


def invite_code_in(chat: Chat) -> str:
    link = next(w for w in chat.text.split() if "?start=" in w or len(w) == 16)
    return link.rsplit("=", 1)[-1]


async def test_a_revoked_admin_cannot_rejoin_with_an_invite_they_made(world: World) -> None:
    """Before: revoking someone left their invites working, so a revoked admin could make an
    invite for themselves beforehand and come back with it."""
    world.engine.bot_username = "duty_bot"
    admin = await admin_of(world, 1)
    await admin.say("/invite admin")
    own = invite_code_in(admin)
    await admin.say("/invite guard")
    for_someone = invite_code_in(admin)
    with world.db.transaction() as session:
        found = staff_service.by_telegram_id(session, 1)
        assert found is not None and found.id is not None
        staff_service.revoke(session, found.id, world.clock.now())
    assert await admin.say(f"/start {own}") == []
    after = await member(world, 1)
    assert after is not None and not after.active
    stranger = world.chat(telegram_id=510, language="en")
    await stranger.say(f"/start {for_someone}")
    assert "cannot be used" in stranger.text and await member(world, 510) is None


async def test_an_invite_works_only_while_its_maker_is_an_admin_of_its_site(world: World) -> None:
    """Before: an invite kept working after its maker lost the admin role or moved site."""
    b_site = await other_site(world)
    await admin_of(world, 1)
    with world.db.transaction() as session:
        maker = staff_service.by_telegram_id(session, 1)
        assert maker is not None
        codes = [
            invites.create(
                session, role="guard", site_id=world.site_id, created_by=maker.id,  # type: ignore[arg-type]
                valid_for=timedelta(hours=1), now=world.clock.now(),
            )[0]
            for _ in range(2)
        ]  # fmt: skip
        maker.roles = ["guard"]  # no longer an administrator
        session.add(maker)
    chat = world.chat(telegram_id=511, language="en")
    await chat.say(f"/start {codes[0]}")
    assert "cannot be used" in chat.text
    with world.db.transaction() as session:
        maker = staff_service.by_telegram_id(session, 1)
        assert maker is not None
        maker.roles, maker.site_id = ["admin"], b_site  # an administrator, of another site
        session.add(maker)
    await chat.say(f"/start {codes[1]}")
    assert "cannot be used" in chat.text and await member(world, 511) is None
    with world.db.transaction() as session:
        maker = staff_service.by_telegram_id(session, 1)
        assert maker is not None
        maker.site_id = world.site_id  # back: the invite works again
        session.add(maker)
    await chat.say(f"/start {codes[1]}")
    assert "registered as Security guard" in chat.text


async def test_admins_list_and_cancel_outstanding_invites_in_chat(world: World) -> None:
    world.engine.bot_username = "duty_bot"
    admin = await admin_of(world, 1)
    from_cli = await make_invite(world, "foreman", hours=2)
    await admin.say("/invite guard")
    from_chat = invite_code_in(admin)
    await admin.press("Outstanding invites (2)")
    lines = admin.text.splitlines()
    assert lines[0].startswith("1. Shift foreman at HQ Hotel, made by the command line, expires")
    assert lines[1].startswith("2. Security guard at HQ Hotel, made by Admin 1, expires")
    await admin.press("Cancel 1")
    assert "Invite for a Shift foreman cancelled" in admin.text
    assert admin.labels() == ["✗ Cancel 1", "← Back"]
    chat = world.chat(telegram_id=512, language="en")
    await chat.say(f"/start {from_cli}")
    assert "cannot be used" in chat.text
    # The right is checked again on the press: an admin who lost it cancels nothing.
    with world.db.transaction() as session:
        found = staff_service.by_telegram_id(session, 1)
        assert found is not None
        found.roles = ["admin", "guard"]
        session.add(found)
    token = admin.token("Cancel 1")
    with world.db.transaction() as session:
        found = staff_service.by_telegram_id(session, 1)
        assert found is not None
        found.roles = ["guard"]
        session.add(found)
    await admin._send(Incoming.press(admin.user, token))
    assert "for administrators only" in admin.text
    with world.db.transaction() as session:
        assert len(invites.outstanding(session, world.clock.now())) == 0  # its maker is no admin
        found = staff_service.by_telegram_id(session, 1)
        assert found is not None
        found.roles = ["admin"]
        session.add(found)
    await chat.say(f"/start {from_chat}")
    assert "registered as Security guard" in chat.text


async def test_an_invite_of_another_site_cannot_be_cancelled(world: World) -> None:
    b_site = await other_site(world)
    admin_b = await admin_of(world, 2, b_site)
    code = await make_invite(world)
    with world.db.transaction() as session:
        [(row, _)] = invites.outstanding(session, world.clock.now())
    await press_action(world, admin_b, f"invx:{row.id}")
    assert "used, cancelled or has expired already" in admin_b.text
    chat = world.chat(telegram_id=513, language="en")
    await chat.say(f"/start {code}")
    assert "registered as Security guard" in chat.text


# --- tries at codes are rate limited -----------------------------------------------------------


async def test_tries_at_codes_are_limited_per_user_even_across_a_restart(world: World) -> None:
    """Before: anyone could try codes as fast as they liked."""
    code = await make_invite(world)
    chat = world.chat(telegram_id=514, language="en")
    for n in range(attempts.LIMIT):
        world.clock.advance(timedelta(seconds=30))
        await chat.say(f"/start wrong{n}")
        assert "cannot be used" in chat.text
    first = world.clock.now() - timedelta(seconds=30 * (attempts.LIMIT - 1))
    world.clock.advance(timedelta(seconds=1))
    chat.engine = world.restarted().engine  # a restart (or another instance) counts on
    await chat.say(f"/start {code}")  # the right code, but too soon
    assert chat.text == "Too many attempts. Please try again at 10:41\u202fPM."
    assert first.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%H:%M:%S") == "22:30:30"
    assert await member(world, 514) is None
    await chat.say(f"/start {await request_link(world)}")  # a request link is a code too
    assert chat.text.startswith("Too many attempts")
    await chat.say("hello")  # no code: the usual sentence
    assert "registered security and hotel staff only" in chat.text
    world.clock.set(datetime(2026, 11, 22, 14, 40, 29, tzinfo=UTC))  # 22:40:29 in Shanghai
    await chat.say(f"/start {code}")
    assert chat.text.startswith("Too many attempts")
    world.clock.set(datetime(2026, 11, 22, 14, 41, tzinfo=UTC))  # the minute they were told
    await chat.say(f"/start {code}")
    assert "registered as Security guard" in chat.text


async def test_the_limit_holds_for_concurrent_tries(any_world: World) -> None:
    chat = any_world.chat(telegram_id=515, language="zh-hans")
    sent = [Incoming.message(chat.user, f"/start wrong{n}") for n in range(attempts.LIMIT + 3)]
    answers = await asyncio.gather(*(any_world.engine.handle(one) for one in sent))
    texts = [out[0].text for out in answers]
    assert sum("邀请链接无法使用" in t for t in texts) == attempts.LIMIT
    assert sum(t.startswith("尝试次数过多") for t in texts) == 3


async def test_a_revoked_member_trying_codes_still_hears_nothing(world: World) -> None:
    with world.db.transaction() as session:
        staff_service.revoke(session, world.guard.id, world.clock.now())  # type: ignore[arg-type]
    chat = world.chat()
    for n in range(attempts.LIMIT + 2):
        assert await chat.say(f"/start wrong{n}") == []


async def test_a_language_button_for_no_language_changes_nothing(world: World) -> None:
    chat = world.chat()
    await chat.say("/start")
    replies = await press_action(world, chat, "lang:xx")
    assert "That button is no longer active." in " ".join(r.text for r in replies)
    assert (await member(world, chat.user.telegram_id)).locale in (None, "en")  # type: ignore[union-attr]
