"""A recording outbox port, and the staffed site of the escalation tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.delivery.limits import Limits
from bot.delivery.messages import Renderer
from bot.delivery.sender import Sender, SenderSettings
from bot.storage.db import Database
from bot.transports.render import Rows
from tests.escalation.conftest import Site, any_site, site

__all__ = ["FakeOutbox", "Site", "any_site", "make_sender", "site"]

Failure = Callable[[int], Exception | None]  # chat id -> an error to raise, or None


@dataclass
class FakeOutbox:
    """Records what the sender posts and edits; ``fail`` decides per call whether it fails."""

    posts: list[tuple[int, int, str, Rows]] = field(default_factory=list)  # id, chat, html, rows
    edits: list[tuple[int, int, str, Rows]] = field(default_factory=list)
    fail: Failure | None = None
    next_id: int = 1000
    calls: int = 0

    async def post(self, chat_id: int, html: str, rows: Rows) -> int:
        self._maybe_fail(chat_id)
        self.next_id += 1
        self.posts.append((self.next_id, chat_id, html, rows))
        return self.next_id

    async def amend(self, chat_id: int, message_id: int, html: str, rows: Rows) -> None:
        self._maybe_fail(chat_id)
        self.edits.append((message_id, chat_id, html, rows))

    def _maybe_fail(self, chat_id: int) -> None:
        self.calls += 1
        error = self.fail(chat_id) if self.fail else None
        if error is not None:
            raise error

    def to(self, chat_id: int) -> list[str]:
        return [html for _, chat, html, _ in self.posts if chat == chat_id]


def make_sender(site: Site, port: FakeOutbox, db: Database | None = None) -> Sender:
    world = site.world
    return Sender(
        db or world.db,
        port,
        Renderer(world.registry, world.engine.catalogs),
        world.clock,
        Limits(per_second=10_000, per_chat_seconds=0.0001, per_group_seconds=0.0001),
        SenderSettings(batch=25, workers=4),
    )
