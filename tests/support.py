"""Test helpers: a world (engine, clock, site, guard) and a chat driver that talks like a person."""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

from bot.clock import FrozenClock
from bot.engine.conversation import Engine
from bot.engine.incoming import Incoming, PhotoIn, Place, UserRef
from bot.engine.outgoing import Outgoing
from bot.flows.registry import Registry, load_registry
from bot.i18n import Catalogs
from bot.sites import service as sites
from bot.sites.models import Site
from bot.staff import service as staff_service
from bot.staff.models import Staff
from bot.storage.db import Database
from bot.storage.media import MediaStore

TEST_PLAYBOOKS = Path(__file__).parent / "playbooks"
GUARD_ID = 1001


def png(seed: int = 0, size: int = 4) -> bytes:
    """A small valid PNG whose bytes differ by seed."""
    raw = b"".join(
        b"\x00" + bytes([(seed + x + y) % 256 for x in range(size * 3)]) for y in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    buffer = io.BytesIO()
    buffer.write(b"\x89PNG\r\n\x1a\n")
    buffer.write(chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return buffer.getvalue()


@dataclass
class World:
    db: Database
    engine: Engine
    clock: FrozenClock
    site: Site
    guard: Staff
    registry: Registry
    media_dir: Path

    @property
    def site_id(self) -> int:
        assert self.site.id is not None
        return self.site.id

    def chat(self, telegram_id: int = GUARD_ID, language: str | None = None) -> Chat:
        return Chat(
            self.engine, UserRef(telegram_id=telegram_id, display_name="t", language_code=language)
        )

    def restarted(self) -> World:
        """A new engine over the same database and files, as after a process restart."""
        engine = Engine(
            db=self.db,
            registry=self.registry,
            media=MediaStore(self.media_dir),
            catalogs=Catalogs(),
            clock=self.clock,
        )
        return World(
            self.db, engine, self.clock, self.site, self.guard, self.registry, self.media_dir
        )


@cache
def playbooks() -> Registry:
    """The shipped and test playbooks, parsed once per test run (read-only)."""
    registry, _ = load_registry(TEST_PLAYBOOKS)
    return registry


async def make_world(db: Database, tmp_path: Path, start: datetime, *, locale: str = "en") -> World:
    clock = FrozenClock(start)
    registry = playbooks()
    with db.transaction() as session:
        site = sites.create(
            session, code="hq", name="HQ Hotel", timezone="Asia/Shanghai", locale=locale, now=start
        )
        assert site.id is not None
        guard = staff_service.add(
            session,
            telegram_id=GUARD_ID,
            name="Li Wei",
            roles=["guard"],
            site_id=site.id,
            locale=None,
            now=start,
        )
    media_dir = tmp_path / "media"
    engine = Engine(
        db=db, registry=registry, media=MediaStore(media_dir), catalogs=Catalogs(), clock=clock
    )
    return World(db, engine, clock, site, guard, registry, media_dir)


@dataclass
class Chat:
    """Sends what a person would and keeps what the bot answered."""

    engine: Engine
    user: UserRef
    last: list[Outgoing] = field(default_factory=list)
    event_id: int | None = None

    async def _send(self, incoming: Incoming) -> list[Outgoing]:
        self.last = await self.engine.handle(incoming)
        return self.last

    async def say(self, text: str) -> list[Outgoing]:
        return await self._send(Incoming.message(self.user, text))

    async def press(self, label: str) -> list[Outgoing]:
        return await self._send(Incoming.press(self.user, self.token(label)))

    async def photo(self, *blobs: bytes) -> list[Outgoing]:
        return await self._send(Incoming.photo(self.user, *(PhotoIn(data=b) for b in blobs)))

    async def place(self, lat: float, lon: float, title: str | None = None) -> list[Outgoing]:
        return await self._send(Incoming.location(self.user, Place(lat, lon, title)))

    def token(self, label: str) -> str:
        for message in reversed(self.last):
            for row in message.buttons:
                for button in row:
                    if button.label == label or button.label.endswith(" " + label):
                        return button.token
        raise AssertionError(f"no button {label!r} in {self.labels()}")

    def labels(self) -> list[str]:
        return [label for message in self.last for label in message.button_labels()]

    @property
    def text(self) -> str:
        return "\n".join(m.text for m in self.last)

    @property
    def question(self) -> Outgoing:
        return self.last[-1]


async def add_staff(
    world: World, telegram_id: int, name: str, *roles: str, site_id: int | None = None
) -> Staff:
    """Another staff member of the world's site (or of ``site_id``)."""
    with world.db.transaction() as session:
        return staff_service.add(
            session,
            telegram_id=telegram_id,
            name=name,
            roles=list(roles),
            site_id=site_id if site_id is not None else world.site_id,
            locale=None,
            now=world.clock.now(),
        )
