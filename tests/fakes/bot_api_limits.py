"""Telegram's flood limits for the fake Bot API, opt-in: ``FakeBotAPI(limits=RateLimits())``.

Counted calls
    ``sendMessage``, ``sendPhoto``, ``sendDocument``, ``sendLocation``, ``sendVenue``,
    ``sendMediaGroup`` and ``editMessageText``/``Caption``/``ReplyMarkup``.  A call counts as
    ``u`` *sends*: ``u = len(media)`` for ``sendMediaGroup`` (each item is a message), else 1.
    Nothing else counts (``answerCallbackQuery``, ``getUpdates``, ``getFile``,
    ``sendChatAction``, ``setMyCommands``, ``getMe``, ``deleteMessage``, ...).

Time of a call
    ``t`` = the server's ``time.monotonic()`` when it starts to run the call: after the uplink
    half of the simulated latency, before any validation.  Calls arriving together are
    admitted one at a time, in arrival order.

Windows (all sliding, half-open ``(t - W, t]``)
    A window is ``(L, W)``: the call is accepted in it iff the sends it already accepted at
    times ``s`` with ``t - W < s <= t``, plus ``u``, are at most ``L``.  Equivalently: the
    ``n``-th send accepted in a window is at least ``W`` after the ``(n - L)``-th.

    * ``global``: every counted call; ``L = per_second``, ``W = 1 s``.
    * ``chat``: per ``chat_id`` (any chat type); ``L = per_chat_burst``,
      ``W = per_chat_burst / per_chat_per_second`` seconds (defaults: 3 in any 3 s).
    * ``group``: per ``chat_id`` of a group, supergroup or channel (known to the server, or
      any negative id); ``L = group_per_minute``, ``W = 60 s``.

    Every ``W`` is multiplied by ``time_scale`` (e.g. 0.01 makes 30/s into 30 per 10 ms), so
    tests can use small windows.  ``None`` turns a window off.  An edit by
    ``inline_message_id`` has no chat: only the global window applies.

Accepted, refused, not counted
    A call over any window is refused before it runs: HTTP 429, ``{"ok": false,
    "error_code": 429, "description": "Too Many Requests: retry after N", "parameters":
    {"retry_after": N}}``, nothing stored, and it is not counted.  A call that passes is
    recorded at ``t`` (``u`` times); if it then fails for another reason (400, 403, ...) the
    record is taken back.  ``N = max(1, ceil(wait))`` where ``wait`` is the time until the call
    fits every window (assuming nothing else is sent meanwhile), so a client that waits
    ``retry_after`` and retries succeeds.  The reported scope is the window with the longest
    wait (ties: global, chat, group).

    One exception keeps albums possible under a small ``L`` (e.g. 10 photos with a chat burst
    of 3): a ``sendMediaGroup`` with ``u > L`` is accepted when the window holds no sends at
    all, and then fills it beyond ``L`` until those sends leave.

So a client never sees a 429 if, per window, it starts its ``n``-th send at least ``W`` (plus a
margin for its own scheduling jitter and the server's) after its ``(n - L)``-th, and sends an
album larger than ``L`` only into an empty window.
"""

from __future__ import annotations

import bisect
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .bot_api_models import ApiError, JsonDict

COUNTED_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendLocation",
        "sendVenue",
        "sendMediaGroup",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
    }
)
SCOPES = ("global", "chat", "group")
GROUP_TYPES = frozenset({"group", "supergroup", "channel"})


@dataclass(frozen=True)
class Window:
    scope: str  # "global", "chat" or "group"
    limit: int  # L: sends allowed in any window
    seconds: float  # W: window length


@dataclass(frozen=True)
class RateLimits:
    """Telegram's limits (see the module docstring for the exact windows).

    ``RateLimits()`` is 30/s overall, 3 sends in any 3 s per chat (1/s with bursts of 3) and 20
    per minute per group.  ``RateLimits(per_second=5, time_scale=0.1)``: 5 per 100 ms overall.
    """

    per_second: int | None = 30
    per_chat_per_second: float | None = 1.0
    per_chat_burst: int = 3
    group_per_minute: int | None = 20
    time_scale: float = 1.0

    def __post_init__(self) -> None:
        for name in ("per_second", "per_chat_per_second", "group_per_minute"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be positive or None, not {value}")
        if self.per_chat_burst < 1:
            raise ValueError(f"per_chat_burst must be at least 1, not {self.per_chat_burst}")
        if self.time_scale <= 0:
            raise ValueError(f"time_scale must be positive, not {self.time_scale}")

    @property
    def global_window(self) -> Window | None:
        if self.per_second is None:
            return None
        return Window("global", self.per_second, 1.0 * self.time_scale)

    @property
    def chat_window(self) -> Window | None:
        if self.per_chat_per_second is None:
            return None
        seconds = self.per_chat_burst / self.per_chat_per_second * self.time_scale
        return Window("chat", self.per_chat_burst, seconds)

    @property
    def group_window(self) -> Window | None:
        if self.group_per_minute is None:
            return None
        return Window("group", self.group_per_minute, 60.0 * self.time_scale)


@dataclass(frozen=True)
class RateLimitHit:
    """One call refused with 429."""

    at: float  # server time (time.monotonic()) of the call
    method: str
    chat_id: int | None
    scope: str  # the window with the longest wait: "global", "chat" or "group"
    retry_after: int  # as answered: whole seconds, at least 1
    wait: float  # exact seconds until the call would have fitted


@dataclass(frozen=True)
class Admission:
    """A counted call let through, recorded at ``at`` as ``units`` sends."""

    at: float
    units: int
    chat_id: int | None


def counted_units(method: str, params: JsonDict) -> int:
    """How many sends a call counts as (0: not counted)."""
    if method not in COUNTED_METHODS:
        return 0
    media = params.get("media")
    if method == "sendMediaGroup" and isinstance(media, list) and media:
        return len(media)
    return 1


def _chat_id(params: JsonDict) -> int | None:
    value = params.get("chat_id")
    if isinstance(value, bool) or not isinstance(value, int):
        return None  # missing, @username or inline message: no chat window
    return value


@dataclass
class RateLimiter:
    """Sliding-window bookkeeping of accepted sends; enforces ``limits`` when set."""

    limits: RateLimits | None = None
    clock: Callable[[], float] = time.monotonic
    accepted: list[float] = field(default_factory=list)  # every send, sorted
    by_chat: dict[int, list[float]] = field(default_factory=dict)
    hits: list[RateLimitHit] = field(default_factory=list)

    def admit(
        self, method: str, params: JsonDict, chat_type: Callable[[int], str]
    ) -> Admission | None:
        """Record a counted call, or raise the 429 (None: the call does not count)."""
        units = counted_units(method, params)
        if not units:
            return None
        chat_id = _chat_id(params)
        now = self.clock()
        if self.limits is not None:
            self._enforce(method, chat_id, units, now, chat_type)
        for times in self._lists(chat_id, create=True):
            for _ in range(units):
                bisect.insort(times, now)
        return Admission(now, units, chat_id)

    def cancel(self, admission: Admission | None) -> None:
        """Take back a call that failed after it was admitted."""
        if admission is None:
            return
        for times in self._lists(admission.chat_id, create=False):
            for _ in range(admission.units):
                index = bisect.bisect_left(times, admission.at)
                if index < len(times) and times[index] == admission.at:
                    del times[index]

    def send_times(self, chat_id: int | None = None) -> list[float]:
        """Times of the accepted sends (of ``chat_id``, or all), oldest first."""
        if chat_id is None:
            return list(self.accepted)
        return list(self.by_chat.get(chat_id, []))

    def hit_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(SCOPES, 0)
        for hit in self.hits:
            counts[hit.scope] += 1
        return counts

    # --- internals ---------------------------------------------------------------------

    def _lists(self, chat_id: int | None, *, create: bool) -> Iterator[list[float]]:
        yield self.accepted
        if chat_id is not None:
            if create:
                yield self.by_chat.setdefault(chat_id, [])
            elif chat_id in self.by_chat:
                yield self.by_chat[chat_id]

    def _windows(
        self, chat_id: int | None, chat_type: Callable[[int], str]
    ) -> Iterator[tuple[Window, list[float]]]:
        limits = self.limits
        assert limits is not None
        if limits.global_window is not None:
            yield limits.global_window, self.accepted
        if chat_id is None:
            return
        times = self.by_chat.get(chat_id, [])
        if limits.chat_window is not None:
            yield limits.chat_window, times
        if limits.group_window is not None and chat_type(chat_id) in GROUP_TYPES:
            yield limits.group_window, times

    def _enforce(
        self,
        method: str,
        chat_id: int | None,
        units: int,
        now: float,
        chat_type: Callable[[int], str],
    ) -> None:
        worst: tuple[float, str] | None = None
        for window, times in self._windows(chat_id, chat_type):
            wait = _wait(times, now, window, units)
            if wait is not None and (worst is None or wait > worst[0]):
                worst = (wait, window.scope)
        if worst is None:
            return
        wait, scope = worst
        retry_after = max(1, math.ceil(wait))
        self.hits.append(RateLimitHit(now, method, chat_id, scope, retry_after, wait))
        raise ApiError(
            429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
        )


def _wait(times: list[float], now: float, window: Window, units: int) -> float | None:
    """Seconds until ``units`` more sends fit in ``window`` (None: they fit now)."""
    first = bisect.bisect_right(times, now - window.seconds)  # oldest send still inside
    inside = len(times) - first
    if inside + units <= window.limit or inside == 0:
        return None
    # The k oldest sends inside must leave (all of them for an oversized album); s leaves
    # the window at s + W.
    k = min(inside + units - window.limit, inside)
    return times[first + k - 1] + window.seconds - now
