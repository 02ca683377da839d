"""A site with the people an alert reaches: chief, foreman, property manager, general manager,
an admin and two duty managers, and a guard who reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import col, select

from bot.delivery.models import Delivery
from bot.escalation.jobs import climb_due_alerts
from bot.escalation.models import Alert
from bot.staff.models import Staff
from tests.support import Chat, World, add_staff


@dataclass
class Site:
    world: World
    people: dict[str, Staff]

    def chat(self, who: str = "guard") -> Chat:
        telegram_id = (
            self.people[who].telegram_id if who != "guard" else self.world.guard.telegram_id
        )
        assert telegram_id is not None
        return self.world.chat(telegram_id=telegram_id, language="en")

    async def report(self, what: str = "Theft") -> Chat:
        """The guard reports with the test alarm up to the answer that raises the alert."""
        guard = self.chat()
        await guard.say("/start")
        await guard.say("test alarm")
        await guard.press("Test alarm")
        await guard.press(what)
        await guard.say("Lobby, 3F")
        await guard.press("Skip")
        await guard.press("Confirm")
        assert "is recorded" in guard.text
        return guard

    async def tick(self) -> int:
        return await climb_due_alerts(
            self.world.db, self.world.clock, self.world.engine.chains, lambda _: "other"
        )

    async def deliveries(self) -> list[Delivery]:
        with self.world.db.transaction() as session:
            return list((session.exec(select(Delivery).order_by(col(Delivery.id)))).all())

    async def pinged(self) -> list[str]:
        """Names of the people pinged, in order (notices excluded)."""
        names = {m.id: n for n, m in self.people.items()}
        return [
            names[d.staff_id] for d in await self.deliveries() if d.kind == "ping" and d.staff_id
        ]

    async def alert(self) -> Alert:
        with self.world.db.transaction() as session:
            return (session.exec(select(Alert).order_by(col(Alert.id)))).all()[-1]

    def name(self, staff_id: Any) -> str:
        return next(n for n, m in self.people.items() if m.id == staff_id)


async def staffed(world: World) -> Site:
    people = {
        "chief": await add_staff(world, 2001, "Zhou Hui", "security_chief"),
        "foreman": await add_staff(world, 2002, "Sun Li", "foreman"),
        "property": await add_staff(world, 2003, "Qian Yu", "property_manager"),
        "gm": await add_staff(world, 2004, "Wu Gang", "general_manager"),
        "admin": await add_staff(world, 2005, "Admin Ma", "admin"),
        "duty_a": await add_staff(world, 2006, "Zheng Duty", "duty_manager"),
        "duty_b": await add_staff(world, 2007, "Feng Night", "duty_manager"),
    }
    return Site(world, people)


@pytest.fixture
async def site(world: World) -> Site:
    """On SQLite."""
    return await staffed(world)


@pytest.fixture
async def any_site(any_world: World) -> Site:
    """On each back end."""
    return await staffed(any_world)
