"""A site with a drill coordinator, a commander and three participants, and helpers to read
the outbox as the recipients would see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.delivery.messages import Renderer
from bot.delivery.models import Delivery
from bot.drills.jobs import tick
from bot.drills.settings import DrillSettings
from bot.engine.callbacks import DrillPress
from bot.engine.incoming import Incoming
from bot.engine.outgoing import Outgoing
from bot.i18n import Catalogs
from bot.staff.models import Staff
from tests.support import Chat, World, add_staff

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, tz: ZoneInfo = SHANGHAI
) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=tz)


@dataclass
class DrillSite:
    world: World
    people: dict[str, Staff]
    settings: DrillSettings

    def chat(self, who: str) -> Chat:
        telegram_id = self.people[who].telegram_id
        assert telegram_id is not None
        return self.world.chat(telegram_id=telegram_id, language="en")

    def tick(self) -> int:
        with self.world.db.transaction() as session:
            return tick(session, now=self.world.clock.now(), settings=self.settings)

    def deliveries(self, message: str | None = None, who: str | None = None) -> list[Delivery]:
        with self.world.db.transaction() as session:
            query = select(Delivery).order_by(col(Delivery.id))
            rows = list(session.exec(query).all())
        staff_id = self.people[who].id if who else None
        return [
            r
            for r in rows
            if (message is None or r.message == message)
            and (staff_id is None or r.staff_id == staff_id)
        ]

    def render(self, row: Delivery) -> Outgoing | None:
        renderer = Renderer(self.world.registry, Catalogs())
        with self.world.db.transaction() as session:
            fresh = session.get(Delivery, row.id)
            assert fresh is not None
            return renderer.render(session, fresh)

    async def press(self, who: str, row: Delivery, choice: int) -> list[Outgoing]:
        assert row.id is not None
        chat = self.chat(who)
        token = DrillPress(row.id, row.secret, choice).pack()
        return await chat._send(Incoming.press(chat.user, token))


async def drill_site(world: World, settings: DrillSettings | None = None) -> DrillSite:
    people = {
        "coord": await add_staff(world, 3001, "Chen Coord", "drill_coordinator"),
        "chief": await add_staff(world, 3002, "Zhou Hui", "security_chief"),
        "a": await add_staff(world, 3003, "An Guard", "guard"),
        "b": await add_staff(world, 3004, "Bo Guard", "guard"),
        "c": await add_staff(world, 3005, "Cai Clerk", "complaint_officer"),
        "gm": await add_staff(world, 3006, "Wu Gang", "general_manager"),
    }
    return DrillSite(world, people, settings or DrillSettings(required_months={}))


async def plan_fire_drill(site: DrillSite, when: str = "2026-12-08 15:00") -> Chat:
    """The coordinator plans a fire drill through the chat, with three participants."""
    coord = site.chat("coord")
    await coord.say("/drill")
    await coord.press("Fire")
    await coord.say(when)
    await coord.say("Kitchen, 1F")
    await coord.press("Zhou Hui")
    for name in ("An Guard", "Bo Guard", "Cai Clerk"):
        await coord.press(name)
    await coord.press("Done")
    await coord.say("Cordon: keep guests away: An Guard\nRescue: fight the fire")
    await coord.press("Use the usual purpose")
    await coord.say("A fire breaks out in the kitchen at 15:00.")
    await coord.press("Once")
    assert "Please check the drill" in coord.text, coord.text
    assert "• Cordon: keep guests away (An Guard)" in coord.text
    await coord.press("Plan it")
    return coord
