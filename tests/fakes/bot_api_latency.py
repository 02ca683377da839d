"""Simulated network delay of the fake Bot API, opt-in: ``FakeBotAPI(latency=0.08)``.

``latency`` is a round trip in seconds, split evenly: *uplink* (bot → Telegram) and *downlink*
(Telegram → bot) each take ``latency / 2``.

* An HTTP call starts running ``latency / 2`` after its request arrived and is answered
  ``latency / 2`` after it finished: the client waits ``latency`` plus processing, and what the
  call does (a message in the chat, an entry in ``api.calls``) happens ``latency / 2`` after
  the client sent it.
* ``getUpdates``: a waiting long poll answers an update ``latency / 2`` after it arrived, never
  later; one that finds updates at once answers after the full round trip like any call.
* Webhooks: an update is POSTed ``latency / 2`` after it is queued; the bot's answer (and a
  method returned in its body) takes effect ``latency / 2`` after the bot sent it.
* File downloads take ``latency`` too.

Per-method overrides (``method_latency={"getUpdates": 0.0}``) are keyed by Bot API method
name, ``"download"`` (file downloads) and ``"webhook"`` (webhook deliveries).  Both settings can
be changed on a running server (``api.latency = 0.08``, ``api.method_latency["getMe"] = 0``).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

DOWNLOAD = "download"
WEBHOOK = "webhook"


@dataclass
class Latency:
    default: float = 0.0
    per_method: dict[str, float] = field(default_factory=dict)

    def round_trip(self, method: str) -> float:
        return max(0.0, float(self.per_method.get(method, self.default)))

    async def uplink(self, method: str) -> None:
        """Bot → Telegram half of the round trip (no await at all when it is 0)."""
        await self._half(method)

    async def downlink(self, method: str) -> None:
        """Telegram → bot half of the round trip."""
        await self._half(method)

    async def _half(self, method: str) -> None:
        delay = self.round_trip(method) / 2
        if delay > 0:
            await asyncio.sleep(delay)
