"""Opt-in flood limits of the fake Bot API: exact windows, 429 answers, real clients pacing."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
import telegram
from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter
from telegram.error import RetryAfter

from .bot_api import FakeBotAPI
from .bot_api_limits import RateLimiter, RateLimits, Window

ALICE, BOB, CAROL, DAVE, GROUP = 42, 43, 44, 45, -100_500
IMAGE = "https://example.com/lock.jpg"


class Clock:
    """A settable clock for the limiter: boundaries are tested exactly, without sleeping."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def clocked(api: FakeBotAPI, limits: RateLimits) -> Clock:
    clock = Clock()
    api.limiter.clock = clock
    api.limits = limits
    for user_id in (ALICE, BOB, CAROL, DAVE):
        api.user(user_id, started=True)
    api.group(GROUP, "Night shift")
    return clock


async def send(api: FakeBotAPI, chat_id: int, at: float, clock: Clock, **extra: Any) -> int:
    clock.now = at
    status, _, _ = await api.execute("sendMessage", {"chat_id": chat_id, "text": "x", **extra})
    return status


def too_many(retry_after: int) -> dict[str, Any]:
    return {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {retry_after}",
        "parameters": {"retry_after": retry_after},
    }


def test_windows_follow_the_documented_definition() -> None:
    limits = RateLimits()
    assert limits.global_window == Window("global", 30, 1.0)
    assert limits.chat_window == Window("chat", 3, 3.0)
    assert limits.group_window == Window("group", 20, 60.0)
    scaled = RateLimits(per_second=5, per_chat_per_second=2, per_chat_burst=4, time_scale=0.1)
    windows = [scaled.global_window, scaled.chat_window, scaled.group_window]
    assert [(w.scope, w.limit) for w in windows if w] == [("global", 5), ("chat", 4), ("group", 20)]
    assert [w.seconds for w in windows if w] == pytest.approx([0.1, 0.2, 6.0])
    assert RateLimits(per_second=None, group_per_minute=None).global_window is None
    with pytest.raises(ValueError):
        RateLimits(per_chat_burst=0)


async def test_global_window_boundary(api: FakeBotAPI) -> None:
    clock = clocked(api, RateLimits(per_second=3, per_chat_per_second=None))
    assert [await send(api, chat, t, clock) for chat, t in ((ALICE, 0), (BOB, 0.25))] == [200] * 2
    assert await send(api, GROUP, 0.5, clock) == 200
    clock.now = 0.75
    status, body, _ = await api.execute("sendMessage", {"chat_id": ALICE, "text": "over"})
    assert (status, body) == (429, too_many(1))
    hit = api.rate_limit_hits[-1]
    assert (hit.scope, hit.method, hit.chat_id, hit.retry_after) == ("global", "sendMessage", 42, 1)
    assert hit.wait == pytest.approx(0.25)
    assert [m.text for m in api.sent_messages(ALICE)] == ["x"]  # the refused one is not stored
    assert await send(api, ALICE, 1.0, clock) == 200  # the send at 0 left the window (t-1, t]
    assert await send(api, ALICE, 1.0, clock) == 429  # the one at 0.25 did not
    assert await send(api, ALICE, 1.25, clock) == 200
    assert api.send_times() == [0, 0.25, 0.5, 1.0, 1.25]
    assert api.send_times(ALICE) == [0, 1.0, 1.25]
    assert api.rate_limit_counts == {"global": 2, "chat": 0, "group": 0}
    assert [e.status for e in api.errors] == [429, 429]


async def test_chat_and_group_windows_and_retry_after(api: FakeBotAPI) -> None:
    clock = clocked(api, RateLimits(per_second=None, per_chat_per_second=1, per_chat_burst=2))
    # Private chat: at most 2 in any 2 s.
    assert await send(api, ALICE, 0.0, clock) == 200
    assert await send(api, ALICE, 1.5, clock) == 200
    assert await send(api, ALICE, 1.9, clock) == 429
    assert await send(api, BOB, 1.9, clock) == 200  # another chat has its own window
    assert await send(api, ALICE, 2.0, clock) == 200
    assert api.rate_limit_hits[-1].scope == "chat"
    assert api.rate_limit_hits[-1].wait == pytest.approx(0.1)

    # Group: 20 in any 60 s (and the chat window, 2 in any 2 s, applies too).
    api.limits = RateLimits(per_second=None, per_chat_per_second=1, per_chat_burst=2)
    for second in range(20):
        assert await send(api, GROUP, 10.0 + second * 2, clock) == 200
    clock.now = 50.5
    status, body, _ = await api.execute("sendMessage", {"chat_id": GROUP, "text": "21st"})
    assert (status, body) == (429, too_many(20))  # the send at 10 s leaves at 70 s
    assert (api.rate_limit_hits[-1].scope, api.rate_limit_hits[-1].wait) == ("group", 19.5)
    assert await send(api, GROUP, 69.9, clock) == 429
    assert await send(api, GROUP, 70.0, clock) == 200

    # Several windows over: the longest wait is answered (here 1 in any 2 s per chat).
    api.limits = RateLimits(per_second=3, per_chat_per_second=0.5, per_chat_burst=1)
    for chat_id, at in ((ALICE, 100.0), (BOB, 100.1), (CAROL, 100.2)):
        assert await send(api, chat_id, at, clock) == 200
    clock.now = 100.3
    status, body, _ = await api.execute("sendMessage", {"chat_id": ALICE, "text": "x"})
    assert (status, body) == (429, too_many(2))
    assert api.rate_limit_hits[-1].scope == "chat"  # 1.7 s; the global window needs 0.7 s
    assert api.rate_limit_hits[-1].wait == pytest.approx(1.7)
    assert await send(api, DAVE, 100.3, clock) == 429
    assert api.rate_limit_hits[-1].scope == "global"
    assert api.rate_limit_counts == {"global": 1, "chat": 2, "group": 2}


async def test_media_groups_count_per_item_and_failures_do_not_count(api: FakeBotAPI) -> None:
    clock = clocked(api, RateLimits(per_second=4, per_chat_per_second=None))
    album = [{"type": "photo", "media": IMAGE}] * 3
    assert (await api.execute("sendMediaGroup", {"chat_id": ALICE, "media": album}))[0] == 200
    assert api.send_times(ALICE) == [0.0] * 3
    clock.now = 0.5
    status, body, _ = await api.execute("sendMediaGroup", {"chat_id": BOB, "media": album[:2]})
    assert (status, body) == (429, too_many(1))  # needs 2 sends, 1 is left
    assert api.sent_messages(BOB) == []
    status, body, _ = await api.execute("sendMediaGroup", {"chat_id": ALICE, "media": album * 2})
    assert (status, body) == (429, too_many(1))  # larger than the window: only into an empty one
    assert await send(api, BOB, 0.5, clock) == 200  # the last free send
    # Refused for another reason (400, 403): taken back, not counted.
    api.stranger(7)
    clock.now = 1.0
    assert (await api.execute("sendMessage", {"chat_id": 7, "text": "hi"}))[0] == 403
    assert (await api.execute("sendMessage", {"chat_id": ALICE, "text": " "}))[0] == 400
    assert api.send_times() == [0.0, 0.0, 0.0, 0.5]
    # Not counted at all, even when the window is full.
    for _ in range(3):
        assert await send(api, ALICE, 1.0, clock) == 200
    assert await send(api, ALICE, 1.0, clock) == 429
    query_id = api.user(ALICE).press_data(api.sent_messages(ALICE)[-1].message_id, "d")
    free_calls: list[tuple[str, dict[str, Any]]] = [
        ("answerCallbackQuery", {"callback_query_id": query_id.callback_query_id}),
        ("sendChatAction", {"chat_id": ALICE, "action": "typing"}),
        ("getMe", {}),
        ("getUpdates", {"timeout": 0}),
        ("setMyCommands", {"commands": [{"command": "start", "description": "Start"}]}),
        ("getFile", {"file_id": api.sent_messages(ALICE)[0].photo_file_ids[-1]}),
        ("deleteMessage", {"chat_id": ALICE, "message_id": api.sent_messages(ALICE)[0].message_id}),
    ]
    for method, params in free_calls:
        assert (await api.execute(method, params))[0] == 200, method
    edit = {"chat_id": ALICE, "message_id": api.sent_messages(ALICE)[-1].message_id, "text": "e"}
    assert (await api.execute("editMessageText", edit))[0] == 429  # edits count

    # An album larger than the window goes into an empty window and fills it beyond L.
    clock.now = 10.0
    assert (await api.execute("sendMediaGroup", {"chat_id": ALICE, "media": album * 2}))[0] == 200
    assert await send(api, BOB, 10.5, clock) == 429
    assert api.rate_limit_hits[-1].wait == 0.5
    assert await send(api, BOB, 11.0, clock) == 200


def test_limiter_takes_back_exactly_the_cancelled_sends() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimits(per_second=2, per_chat_per_second=None), clock)
    first = limiter.admit("sendMessage", {"chat_id": 1, "text": "a"}, lambda _: "private")
    second = limiter.admit("sendMessage", {"chat_id": 2, "text": "b"}, lambda _: "private")
    limiter.cancel(first)
    assert limiter.send_times() == [0.0] and limiter.send_times(1) == []
    assert second is not None and limiter.send_times(2) == [0.0]
    assert limiter.admit("getMe", {}, lambda _: "private") is None


async def pace(bot: Bot, chat_ids: list[int], interval: float) -> float:
    """Send one message to each chat, the k-th started at ``k * interval``; returns when done."""
    start = time.monotonic()
    for index, chat_id in enumerate(chat_ids):
        await asyncio.sleep(max(0.0, start + index * interval - time.monotonic()))
        await bot.send_message(chat_id, f"ping {index}")
    return time.monotonic() - start


async def test_aiogram_pacing_just_under_and_just_over(api: FakeBotAPI, abot: Bot) -> None:
    # 4 sends in any 0.25 s overall: one every 62.5 ms on average.
    api.limits = RateLimits(per_second=4, per_chat_per_second=None, time_scale=0.25)
    window = api.limits.global_window
    assert window is not None and window.seconds == 0.25
    chats = [1000 + n for n in range(10)]
    for chat_id in chats:
        api.user(chat_id, started=True)

    under = window.seconds / window.limit * 1.3  # 30 % slower than the limit
    await pace(abot, chats, under)
    times = api.send_times()
    assert len(times) == 10 and api.rate_limit_hits == []
    assert all(
        later - earlier >= window.seconds for earlier, later in zip(times, times[4:], strict=False)
    )

    await asyncio.sleep(window.seconds)
    over = window.seconds / window.limit * 0.7  # 30 % faster: the 5th send is 429
    with pytest.raises(TelegramRetryAfter) as caught:
        await pace(abot, chats, over)
    assert caught.value.retry_after == 1
    hit = api.rate_limit_hits[-1]
    assert (hit.scope, hit.chat_id, hit.retry_after) == ("global", chats[4], 1)
    assert 0 < hit.wait < window.seconds
    assert [len(api.sent_messages(chat)) for chat in chats[:6]] == [2, 2, 2, 2, 1, 1]
    await asyncio.sleep(hit.wait)
    assert (await abot.send_message(chats[4], "after retry_after")).text == "after retry_after"


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_ptb_chat_and_group_windows_set_on_a_running_server(
    api: FakeBotAPI, ptb: telegram.Bot
) -> None:
    api.user(ALICE, started=True)
    api.user(BOB, started=True)
    api.group(GROUP, "Night shift", "supergroup")
    api.limits = RateLimits(per_second=None, per_chat_per_second=10, per_chat_burst=2)
    await ptb.send_message(ALICE, "one")
    await ptb.send_message(ALICE, "two")
    with pytest.raises(RetryAfter):
        await ptb.send_message(ALICE, "three")
    assert api.rate_limit_hits[-1].retry_after == 1
    await ptb.send_message(BOB, "other chat")
    hit = api.rate_limit_hits[-1]
    assert hit.scope == "chat" and hit.wait <= 0.2
    await asyncio.sleep(hit.wait)
    await ptb.send_message(ALICE, "three")
    assert [m.text for m in api.sent_messages(ALICE)] == ["one", "two", "three"]

    # 3 per 0.3 s per group (20/min scaled), each album item counting; chats unlimited.
    api.limits = RateLimits(
        per_second=None, per_chat_per_second=None, group_per_minute=3, time_scale=0.005
    )
    await ptb.send_message(GROUP, "alert")
    album = [telegram.InputMediaPhoto(IMAGE) for _ in range(3)]
    with pytest.raises(RetryAfter):
        await ptb.send_media_group(GROUP, album)
    assert api.rate_limit_hits[-1].scope == "group"
    assert len(await ptb.send_media_group(GROUP, album[:2])) == 2
    api.limits = None  # off again: nothing is refused
    await ptb.send_message(GROUP, "unlimited")
    assert api.rate_limit_counts == {"global": 0, "chat": 1, "group": 1}
    assert len(api.send_times(GROUP)) == 4
