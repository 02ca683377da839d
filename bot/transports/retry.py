"""Flood control (429 with retry_after) and server errors: wait, then try again."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
ATTEMPTS = 5
MAX_WAIT = 60.0

# How long to wait before the next attempt after this error (None: do not retry).
Delay = Callable[[BaseException, int], float | None]


def backoff(attempt: int) -> float:
    """0.5 s, 1 s, 2 s, 4 s ... for errors that say nothing about when to come back."""
    return min(0.5 * 2 ** (attempt - 1), 10.0)


async def retrying(call: Callable[[], Awaitable[T]], delay: Delay, what: str) -> T:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await call()
        except Exception as exc:
            wait = delay(exc, attempt)
            if wait is None or attempt == ATTEMPTS:
                raise
            wait = min(max(wait, 0.0), MAX_WAIT)
            log.warning(
                "%s failed (%s: %s); retry %d in %.1f s",
                what,
                type(exc).__name__,
                exc,
                attempt,
                wait,
            )
            await asyncio.sleep(wait)
    raise AssertionError("unreachable")
