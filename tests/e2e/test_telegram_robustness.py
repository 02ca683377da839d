"""Redeliveries, double presses, flood control, server errors, files and places over Telegram."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cases.models import Answer, Attachment
from tests.e2e.harness import TRANSPORTS, Bot, Person, running
from tests.support import TEST_PLAYBOOKS, png

# PTB warns about its own RetryAfter.retry_after type change when it builds the error.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def to_photos(guard: Person) -> None:
    """Through the test playbook to its photo step."""
    await guard.say("/start")
    await guard.press("Report an incident")
    await guard.press("Other")
    await guard.press("All step kinds")
    await guard.press("Done")
    await guard.press("Red")
    await guard.press("Pen")
    await guard.press("Done")
    await guard.press("No")
    await guard.press("Skip")
    await guard.say("5")
    await guard.press("Done")  # big amount (no threshold set)
    await guard.press("Now")
    assert "Photos" in guard.text()


async def rows(bot: Bot, model: type) -> list:
    from sqlmodel import select

    with bot.app.db.transaction() as session:
        return list((session.exec(select(model))).all())


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_repeated_update_is_handled_once(tmp_path: Path, transport: str) -> None:
    async with running(tmp_path, transport) as bot:
        await bot.add_staff(7, "Li Wei", "guard")
        guard = bot.person(7)
        sent = guard.user.send_text("/start")
        await bot.finished.wait([sent.update_id])
        assert len(guard.messages()) == 1
        assert await guard.redelivered(lambda: bot.api.redeliver(sent)) == []
        await guard.press("Report an incident")
        await guard.press("Security")
        press = guard.user.press("Lost or stolen property")
        await bot.finished.wait([press.update_id])
        count = len(guard.messages())
        assert await guard.redelivered(lambda: bot.api.redeliver(press)) == []
        assert len(guard.messages()) == count
        assert len(bot.api.callback_answers) == 3  # the redelivered press is not answered again
        assert bot.api.errors == []


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_double_press_answers_once(tmp_path: Path, transport: str) -> None:
    async with running(tmp_path, transport) as bot:
        await bot.add_staff(7, "Li Wei", "guard")
        guard = bot.person(7)
        await guard.say("/start")
        await guard.press("Report an incident")
        await guard.press("Security")
        await guard.press("Lost or stolen property")
        first, second = guard.user.press("Stolen"), guard.user.press("Stolen")
        await bot.finished.wait([first.update_id, second.update_id])
        answers = await rows(bot, Answer)
        assert [(a.step_id, a.value) for a in answers] == [("report_kind", "stolen")]
        assert "When did the security team receive the report?" in guard.text()
        toasts = [a["text"] for a in bot.api.callback_answers[-2:]]
        assert toasts == [None, "That button is no longer active."]
        assert bot.api.errors == []


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_flood_control_and_server_errors_are_retried(tmp_path: Path, transport: str) -> None:
    async with running(tmp_path, transport) as bot:
        await bot.add_staff(7, "Li Wei", "guard")
        guard = bot.person(7)
        bot.api.fail_next("sendMessage", status=429, retry_after=1)
        menu = await guard.say("/start")
        assert "What do you need?" in (menu[0].text or "")
        bot.api.fail_next("answerCallbackQuery", status=500)
        bot.api.fail_next("sendMessage", status=502, raw_body="<html>502 Bad Gateway</html>")
        pick = await guard.press("Report an incident")
        assert "Choose the procedure" in (pick[0].text or "")
        assert [e.status for e in bot.api.injected_errors] == [429, 500, 502]
        assert bot.api.errors == [] and len(bot.api.callback_answers) == 1


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_files_and_places(tmp_path: Path, transport: str) -> None:
    async with running(tmp_path, transport, flows=TEST_PLAYBOOKS) as bot:
        await bot.add_staff(7, "Li Wei", "guard")
        guard = bot.person(7)
        await to_photos(guard)
        user = guard.user
        huge = await guard.act(
            lambda: user.send_document(b"x", "scene.jpg", "image/jpeg", file_size=25 * 2**20)
        )
        assert "too large (25.0 MB). The limit is 20 MB." in (huge[0].text or "")
        pdf = await guard.act(lambda: user.send_document(b"%PDF-1.4", "a.pdf", "application/pdf"))
        assert "not a photo I can use" in (pdf[0].text or "")
        image = png(5, size=6)
        bot.api.fail_next("getFile", status=500)  # retried
        await guard.act(lambda: user.send_document(image, "scene.png", "image/png"))
        assert "1 photo received" in guard.text()
        assert len(bot.api.downloads) == 1  # neither the huge file nor the PDF was fetched
        voice = await guard.act(lambda: user.send_contact("+8613800000000"))
        assert "cannot use that kind of message" in (voice[0].text or "")
        await guard.press("Done")
        assert "Where?" in guard.text()
        await guard.act(lambda: user.send_venue(31.2304, 121.4737, "Lobby <3F>", "1 Century Ave"))
        assert "Witnesses" in guard.text()
        answers = {a.step_id: a.value for a in await rows(bot, Answer) if not a.superseded_at}
        assert answers["where"] == {
            "lat": 31.2304,
            "lon": 121.4737,
            "title": "Lobby <3F>",
            "address": "1 Century Ave",
        }
        (stored,) = await rows(bot, Attachment)
        assert (bot.media_dir / stored.sha256[:2] / stored.sha256).read_bytes() == image
        assert bot.api.errors == []


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_burst_is_handled_in_the_order_sent(tmp_path: Path, transport: str) -> None:
    async with running(tmp_path, transport, flows=TEST_PLAYBOOKS) as bot:
        await bot.add_staff(7, "Li Wei", "guard")
        guard = bot.person(7)
        await to_photos(guard)
        # A photo, then /back at once: the photo is still downloading when /back arrives (and
        # aiogram handles the two concurrently), yet the photo must land on the photo step.
        burst = [guard.user.send_photo(png(9)), guard.user.send_text("/back")]
        await bot.finished.wait(s.update_id for s in burst)
        (photo,) = await rows(bot, Attachment)
        assert photo.step_id == "pictures"
        assert "When?" in guard.text()
        assert bot.api.errors == []
