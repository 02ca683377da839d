"""The outbox sender with a recording port and the injected clock: what it sends, edits,
defers, gives up, tells the admins, and that no row goes out twice."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.delivery import service as outbox
from bot.delivery.port import Flood, Transient, Unreachable
from bot.engine.callbacks import AckPress, unpack
from bot.engine.incoming import Incoming, UserRef
from bot.staff.models import Staff
from bot.storage.db import Database
from tests.delivery.conftest import FakeOutbox, Site, make_sender
from tests.support import add_staff


async def drain(site: Site, port: FakeOutbox, *, rounds: int = 50, step: float = 30.0) -> None:
    """Run the sender until nothing is left, moving the clock on between rounds."""
    sender = make_sender(site, port)
    for _ in range(rounds):
        await sender.drain_once()
        with site.world.db.transaction() as session:
            waiting = outbox.next_due(session)
        if waiting is None:
            return
        site.world.clock.set(max(site.world.clock.now(), waiting) + timedelta(seconds=step))
    raise AssertionError("the outbox did not drain")


async def test_a_ping_says_what_happened_and_carries_its_buttons(site: Site) -> None:
    await site.report()
    port = FakeOutbox()
    await drain(site, port)
    [(message_id, chat, html, rows)] = port.posts
    assert chat == 2001
    assert "🔔 Test alarm · 2611-001" in html and "A theft was reported" in html
    assert "What happened?: Theft" in html and "Where is it?: Lobby, 3F" in html
    assert "Reported by Li Wei, 11/22/26, 10:30" in html
    labels = [label for row in rows for label, _ in row]
    assert labels == ["✅ Acknowledge", "📂 Open case"]
    [row] = [d for d in await site.deliveries() if d.kind == "ping"]
    assert (row.status, row.message_id, row.telegram_chat_id) == ("sent", message_id, 2001)


async def test_an_acknowledgement_edits_every_copy_to_say_who_and_when(site: Site) -> None:
    await site.report()
    site.world.clock.advance(timedelta(minutes=10))
    await site.tick()
    port = FakeOutbox()
    await drain(site, port)
    assert sorted(chat for _, chat, _, _ in port.posts) == [2001, 2003]
    ack = next(data for _, chat, _, rows in port.posts if chat == 2003 for data in [rows[0][0][1]])
    assert isinstance(unpack(ack), AckPress)
    site.world.clock.advance(timedelta(minutes=2))
    await site.world.engine.handle(Incoming.press(UserRef(2003, "Q", "en"), ack))
    await drain(site, port)
    assert sorted(chat for _, chat, _, _ in port.edits) == [2001, 2003]
    for _, _, html, rows in port.edits:
        assert "✅ Acknowledged by Qian Yu at 11/22/26, 10:42" in html
        assert [label for row in rows for label, _ in row] == ["📂 Open case"]
    assert len(port.posts) == 2  # edited in place, nothing sent again


async def test_flood_and_server_errors_lose_nothing_and_send_nothing_twice(site: Site) -> None:
    for telegram_id in range(4000, 4030):
        await add_staff(site.world, telegram_id, f"Chief {telegram_id}", "security_chief")
    await site.report()
    calls = iter(range(10_000))

    def storm(chat_id: int) -> Exception | None:
        n = next(calls)
        return Flood(0.01) if n % 3 == 0 else Transient("502 Bad Gateway") if n % 3 == 1 else None

    port = FakeOutbox(fail=storm)
    await drain(site, port)
    chats = [chat for _, chat, _, _ in port.posts]
    assert sorted(chats) == sorted([2001, *range(4000, 4030)])  # each once, none lost
    assert port.calls > len(chats) * 2
    assert {d.status for d in await site.deliveries()} == {"sent"}


async def test_a_blocked_recipient_is_marked_and_the_admins_told_once(site: Site) -> None:
    port = FakeOutbox(
        fail=lambda chat: Unreachable("Forbidden: bot was blocked") if chat == 2001 else None
    )
    await site.report()
    await site.report()
    await drain(site, port)
    pings = [d for d in await site.deliveries() if d.kind == "ping"]
    assert [d.status for d in pings] == ["unreachable", "unreachable"]
    assert len(port.to(2005)) == 1  # the admin, once
    assert "Zhou Hui cannot be reached on Telegram" in port.to(2005)[0]
    with site.world.db.transaction() as session:
        chief = session.get(Staff, site.people["chief"].id)
        assert chief is not None and chief.unreachable_since is not None
    await site.chat("chief").say("/start")  # they are back
    with site.world.db.transaction() as session:
        chief = session.get(Staff, site.people["chief"].id)
        assert chief is not None and chief.unreachable_since is None


async def test_a_restart_sends_what_was_due_and_unsent_exactly_once(site: Site) -> None:
    for telegram_id in range(4000, 4010):
        await add_staff(site.world, telegram_id, f"Chief {telegram_id}", "security_chief")
    await site.report()
    port = FakeOutbox()
    first = make_sender(site, port)
    await first.drain_once()
    assert len(port.posts) == 11
    await site.report()
    # The process dies right after claiming the second alert's pings: leased, never sent.
    with site.world.db.transaction() as session:
        claimed = outbox.claim_due(session, now=site.world.clock.now(), limit=100)
    assert len(claimed) == 11
    restarted = make_sender(site, port)
    assert await restarted.drain_once() == 0  # the lease still holds
    site.world.clock.advance(timedelta(seconds=61))
    await drain(site, port)
    keys = [html for _, _, html, _ in port.posts]
    assert len(keys) == 22 and len(port.posts) == 22
    assert {d.status for d in await site.deliveries()} == {"sent"}


async def test_two_senders_on_one_database_send_each_row_once(any_site: Site) -> None:
    site = any_site
    for telegram_id in range(5000, 5120):
        await add_staff(site.world, telegram_id, f"Chief {telegram_id}", "security_chief")
    await site.report()
    port = FakeOutbox()
    url = site.world.db.url.render_as_string(hide_password=False)
    second_db = Database(url, schema=site.world.db.schema)  # another process's pool
    try:
        one, two = make_sender(site, port), make_sender(site, port, second_db)
        for _ in range(20):
            await asyncio.gather(one.drain_once(), two.drain_once())
        chats = [chat for _, chat, _, _ in port.posts]
        assert len(chats) == 121 and len(set(chats)) == 121
    finally:
        await second_db.dispose()
