"""Who gets in: invite links, strangers, access requests, revoked staff — over real clients."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.staff import request_links
from bot.staff import service as staff_service
from tests.e2e.harness import TRANSPORTS, running
from tests.support import png

STRANGER_ZH = "本机器人仅供已登记的安保和酒店员工使用"


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_stranger_learns_nothing_and_can_ask_for_access(
    tmp_path: Path, transport: str
) -> None:
    async with running(tmp_path, transport) as bot:
        guard_id = await bot.add_staff(7, "Li Wei", "guard")
        guard = bot.person(7)
        await guard.say("/start")
        await guard.press("Report an incident")
        await guard.press("Security")
        await guard.press("Lost or stolen property")  # case YYMM-001 opened
        assert guard_id

        stranger = bot.person(99, "Mallory", language="zh-hans")
        answers = []
        for action in (
            lambda: stranger.user.start(),
            lambda: stranger.user.send_text("wallet stolen"),
            lambda: stranger.user.send_text("/mine"),
            lambda: stranger.user.send_photo(png(1)),
            lambda: stranger.user.start("not-a-real-code"),
        ):
            answers += await stranger.act(action)
        first = stranger.messages()[0]
        for data in ("1.0", "2.1", "menu:mine"):  # forged button presses
            answers += await stranger.act(
                lambda d=data: stranger.user.press(message_id=first.message_id, data=d)
            )
        texts = [m.text or "" for m in answers]
        assert len(texts) == 8 and all(not m.reply_markup for m in answers)
        assert "邀请链接无法使用" in texts[4]
        assert all(STRANGER_ZH in t for i, t in enumerate(texts) if i != 4)
        assert not any("-001" in t or "Lost" in t or "失窃" in t for t in texts)
        assert bot.api.downloads == []  # a stranger's photo is not even fetched

        plain = await stranger.say("/request")  # without a site's link it reaches nobody
        assert "申请链接" in (plain[0].text or "")
        with bot.app.db.transaction() as session:
            assert bot.site.id is not None
            ask = request_links.payload(
                request_links.of_site(session, bot.site.id, datetime.now(UTC))
            )
        asked = await stranger.act(lambda: stranger.user.start(ask))
        assert "已转交管理员" in (asked[0].text or "")
        again = await stranger.say("/request")
        assert "已在管理员处" in (again[0].text or "")

        await bot.add_staff(1, "Admin Wu", "admin")
        admin = bot.person(1, "Admin Wu")
        await admin.say("/requests")
        assert "Mallory" in admin.text()
        await admin.press("Approve 1")
        await admin.press("Shift foreman")
        assert any(
            "can now use the bot as Shift foreman" in (m.text or "") for m in admin.messages()
        )
        welcome = await stranger.say("/start")
        assert "报告事件" in " ".join(b for m in welcome for row in m.button_texts() for b in row)
        assert bot.api.errors == []


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_invites_work_once_and_expire(tmp_path: Path, transport: str) -> None:
    async with running(tmp_path, transport) as bot:
        code = await bot.invite("foreman")
        first = bot.person(11, "Zhou Qi")
        joined = await first.act(lambda: first.user.start(code))
        assert "registered as Shift foreman" in (joined[0].text or "")
        second = bot.person(12, "Qian Ba")
        refused = await second.act(lambda: second.user.start(code))
        assert "cannot be used" in (refused[0].text or "")
        stale = await bot.invite("guard", hours=-1)
        expired = await second.act(lambda: second.user.start(stale))
        assert "cannot be used" in (expired[0].text or "")
        # An admin invites from the chat; the link carries the bot's username.
        await bot.add_staff(1, "Admin Wu", "admin")
        admin = bot.person(1, "Admin Wu")
        await admin.say("/start")
        await admin.press("Staff access")
        await admin.press("Invite a staff member")
        made = await admin.press("Security guard")
        link = next(w for m in made for w in (m.text or "").split() if "t.me" in w)
        assert link.startswith("https://t.me/duty_test_bot?start=")
        via_link = await second.act(lambda: second.user.start(link.rsplit("=", 1)[1]))
        assert "registered as Security guard" in (via_link[0].text or "")
        assert bot.api.errors == []


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_revoked_user_gets_nothing(tmp_path: Path, transport: str) -> None:
    async with running(tmp_path, transport) as bot:
        staff_id = await bot.add_staff(21, "Sun Jiu", "guard")
        guard = bot.person(21)
        await guard.say("/start")
        with bot.app.db.transaction() as session:
            staff_service.revoke(session, staff_id)
        before = len(bot.api.calls_to("sendMessage"))
        assert await guard.say("/start") == []
        assert await guard.say("wallet stolen") == []
        assert await guard.press("Report an incident") == []  # the old menu's button
        assert await guard.photo(png(3)) == []
        assert len(bot.api.calls_to("sendMessage")) == before
        assert bot.api.callback_answers[-1]["text"] is None  # only the spinner stops
        assert bot.api.errors == []
