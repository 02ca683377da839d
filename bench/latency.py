"""What a guard feels: from pressing a button to the next question on screen, over a network.

dutybot runs as ``dutybot run`` does (``serve``: long polling, the durable inbox, the front end,
the outbox sender) against the fake Bot API over HTTP, which adds ``--rtt`` (80 ms) to every
call: half on the way to Telegram, half on the way back, and a waiting long poll hands over a
new update half a round trip after it arrived. A guard walks the A1 report; for every step the
clock starts when the guard's action reaches Telegram and stops when the call that puts the
next question in the chat (a ``sendMessage``, or an ``editMessageText`` with buttons) reaches
Telegram. The least that can take is one round trip: the update's way to the bot and the
answer's way back. Target: at most one round trip plus 20 ms.

The front end answers the press (the toast), redraws the answered question without its buttons
and sends the next question side by side (bot/transports/front.py), so none of those waits for
another.

    .venv/bin/python bench/latency.py [--transport ptb] [--reports 2] [--rtt 0.08]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import itertools

from bench.canned import A1, tiny_png
from bot.engine.conversation import Engine
from bot.transports.intake import Intake
from tests.e2e.harness import running

# Where the time goes: moments of the newest update, stamped by wrappers around the inbox and
# the engine (the benchmark's own instrumentation, not dutybot's).
MOMENTS: dict[str, float] = {}


def stamp(cls: Any, name: str, before: str, after: str) -> None:
    original = getattr(cls, name)

    async def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        MOMENTS[before] = time.monotonic()
        try:
            return await original(self, *args, **kwargs)
        finally:
            MOMENTS[after] = time.monotonic()

    setattr(cls, name, wrapped)


stamp(Intake, "receive", "received", "stored")
stamp(Engine, "handle", "engine", "engine done")

SHOWING = ("sendMessage", "editMessageText")


def shows_question(record: Any, chat: int) -> bool:
    if record.method not in SHOWING or record.status != 200:
        return False
    if record.params.get("chat_id") not in (chat, str(chat)):
        return False
    return record.method == "sendMessage" or bool(record.params.get("reply_markup"))


async def walk(transport: str, reports: int, rtt: float) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as folder:
        async with running(Path(folder), transport) as bot:
            await bot.add_staff(42, "Li Wei", "guard")
            guard = bot.person(42)
            api = bot.api
            api.latency = rtt
            felt: dict[str, list[float]] = {"press": [], "say": [], "other": []}
            parts: dict[str, list[float]] = {}
            for _ in range(reports):
                for n, (kind, value) in enumerate(A1):
                    start = api.checkpoint()
                    if kind == "press":
                        action: Any = lambda v=value: guard.user.press(v)  # noqa: E731
                    elif kind == "say":
                        action = lambda v=value: guard.user.send_text(v)  # noqa: E731
                    elif kind == "location":
                        action = lambda: guard.user.send_location(31.2304, 121.4737)  # noqa: E731
                    else:
                        action = lambda n=n: guard.user.send_photo(tiny_png(n))  # noqa: E731
                    MOMENTS.clear()
                    pressed = time.monotonic()
                    sent = action()

                    def on_screen(start: int = start) -> bool:
                        return any(shows_question(r, guard.chat) for r in api.responses[start:])

                    await api.wait_for(on_screen, timeout=10)
                    shown = time.monotonic() - pressed
                    ids = [int(u["update_id"]) for u in sent.updates]
                    await bot.finished.wait(ids)
                    bucket = kind if kind in ("press", "say") else "other"
                    felt[bucket].append(shown)
                    if kind == "press" and len(MOMENTS) == 4:
                        at = {"pressed": 0.0, **{k: v - pressed for k, v in MOMENTS.items()}}
                        at["on screen"] = shown
                        names = list(at)
                        for a, b in itertools.pairwise(names):
                            parts.setdefault(f"{a} -> {b}", []).append(at[b] - at[a])
            api.latency = 0.0
            felt.update({f"  {k}": v for k, v in parts.items()})
            return felt


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--transport", choices=("aiogram", "ptb"), default="aiogram")
    parser.add_argument("--reports", type=int, default=2)
    parser.add_argument("--rtt", type=float, default=0.08, help="round trip, seconds")
    args = parser.parse_args()
    felt = asyncio.run(walk(args.transport, args.reports, args.rtt))
    limit = args.rtt + 0.020
    print(
        f"{args.transport}, round trip {args.rtt * 1000:.0f} ms: from the guard's action to the "
        f"next question on screen"
    )
    ok = True
    for kind, values in felt.items():
        if not values:
            continue
        ms = sorted(v * 1000 for v in values)
        if kind.startswith("  "):
            print(f"    {kind.strip():28} median {statistics.median(ms):6.1f} ms")
            continue
        within = sum(1 for v in values if v <= limit)
        print(
            f"  {kind:5} ({len(ms)}): median {statistics.median(ms):.0f} ms, "
            f"p90 {ms[int(len(ms) * 0.9)]:.0f} ms, max {ms[-1]:.0f} ms; "
            f"{within}/{len(ms)} within {limit * 1000:.0f} ms"
        )
        if kind == "press":
            passed = statistics.median(ms) <= limit * 1000
            ok = passed
            print(
                f"  {'PASS' if passed else 'FAIL'}  a press: median at most one round trip + "
                f"20 ms ({statistics.median(ms):.0f} <= {limit * 1000:.0f} ms)"
            )
    print("all targets met" if ok else "some targets missed")


if __name__ == "__main__":
    main()
