"""Escalation chains: who is pinged after whom, how long each waits, and at what hours.

A chain is configuration (``[escalation.chains.NAME]`` in the config file, per site under
``[escalation.sites.CODE.chains.NAME]``), not rows: the shipped defaults follow the rules'
reporting lines (catalog §12), and a site can replace any of them.

An alert starts at *level 0*, the roles the procedure's notify action names. If nobody
acknowledges within the chain's ``wait``, it climbs to the chain step above the highest of those
roles, then to the next, each after its own ``wait``; a step may ``repeat`` its ping before
climbing. After the last step's wait the alert is left unanswered and the site's admins are told.
"""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from bot.staff.roles import ROLES

_DURATION = re.compile(r"^\s*(\d+)\s*(s|sec|m|min|h|d)?\s*$")
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, None: 60}
MAX_WAIT = timedelta(days=7)


def parse_wait(value: Any) -> timedelta:
    """``10`` (minutes), ``"90s"``, ``"10m"``, ``"2h"``: a wait between 1 second and 7 days."""
    if isinstance(value, timedelta):
        wait = value
    elif isinstance(value, int) and not isinstance(value, bool):
        wait = timedelta(minutes=value)
    else:
        match = _DURATION.match(str(value))
        if not match or len(match.group(1)) > 9:
            raise ValueError("a wait is minutes or a text like 90s, 10m, 2h")
        wait = timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])
    if not timedelta(seconds=1) <= wait <= MAX_WAIT:
        raise ValueError("a wait lies between 1 second and 7 days")
    return wait


Wait = Annotated[timedelta, BeforeValidator(parse_wait)]
Hours = Literal["any", "day"]


def _roles(value: list[str]) -> list[str]:
    unknown = [role for role in value if role not in ROLES]
    if unknown:
        raise ValueError(f"unknown role {unknown[0]!r}; roles are: {', '.join(ROLES)}")
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChainStep(_Model):
    """One level: whom to ping, how long to wait for an acknowledgement, how often to ping."""

    # Every active holder of these roles at the site; a role the site runs a rota for resolves
    # to whoever is on duty.
    roles: list[str] = Field(default_factory=list)
    # Whoever the rota names for these roles now; nobody on duty is a hole (admins are told).
    on_duty: list[str] = Field(default_factory=list)
    # Named staff members, by staff id (`dutybot staff list`).
    people: list[int] = Field(default_factory=list)
    # A site group chat (its Telegram chat id, negative for groups).
    chat: int | None = None
    wait: Wait = timedelta(minutes=10)
    # Pings again this many times, each after ``wait``, before climbing.
    repeat: int = Field(default=0, ge=0, le=10)
    # "day": a non-urgent ping waits out the site's quiet hours; urgent ones never wait.
    hours: Hours = "any"

    _known = field_validator("roles", "on_duty")(_roles)

    def targets_role(self, role: str) -> bool:
        return role in self.roles or role in self.on_duty


class Chain(_Model):
    # Level 0 (the procedure's own roles): how long they have, how often they are pinged.
    wait: Wait = timedelta(minutes=10)
    repeat: int = Field(default=0, ge=0, le=10)
    hours: Hours = "any"
    steps: list[ChainStep] = Field(default_factory=list, max_length=20)

    def start_after(self, roles: list[str]) -> int:
        """The chain step an alert climbs to first: the one above every role it named."""
        named = [i for i, step in enumerate(self.steps) if any(step.targets_role(r) for r in roles)]
        return max(named) + 1 if named else 0

    def level(self, start: int, level: int, roles: list[str]) -> ChainStep | None:
        """Level 0 is the named roles with the chain's own timing; level n the chain step
        ``start + n - 1``; None past the end."""
        if level == 0:
            return ChainStep(roles=roles, wait=self.wait, repeat=self.repeat, hours=self.hours)
        index = start + level - 1
        return self.steps[index] if 0 <= index < len(self.steps) else None


def _step(*roles: str, wait: int, hours: Hours = "any", repeat: int = 0) -> ChainStep:
    return ChainStep(roles=list(roles), wait=timedelta(minutes=wait), hours=hours, repeat=repeat)


# The rules' reporting lines (catalog §12): guard → foreman → security chief → property manager
# → general manager for security matters; the duty manager first for hotel emergencies; the
# complaint officer and the managers for complaints, which wait for the morning (B20: reports
# received at night are handled the next day).
DEFAULT_CHAINS: dict[str, Chain] = {
    "security": Chain(
        wait=timedelta(minutes=10),
        steps=[
            _step("foreman", wait=5),
            _step("security_chief", wait=10),
            _step("property_manager", wait=15),
            _step("general_manager", wait=30, hours="day"),
        ],
    ),
    "hotel": Chain(
        wait=timedelta(minutes=5),
        steps=[
            _step("duty_manager", wait=5),
            _step("manager", wait=10),
            _step("general_manager", wait=15),
        ],
    ),
    "complaints": Chain(
        wait=timedelta(minutes=30),
        hours="day",
        steps=[
            _step("complaint_officer", wait=30, hours="day"),
            _step("manager", wait=60, hours="day"),
            _step("general_manager", wait=120, hours="day"),
        ],
    ),
    "default": Chain(
        wait=timedelta(minutes=15),
        steps=[_step("manager", wait=15), _step("general_manager", wait=30, hours="day")],
    ),
}
# Which chain a procedure's alerts climb, by the procedure's group, unless its action names one.
DEFAULT_GROUP_CHAINS = {"security": "security", "hotel": "hotel", "complaints": "complaints"}


def parse_quiet(value: str) -> tuple[time, time]:
    """``"22:00-07:00"`` → (22:00, 07:00); the window may run past midnight."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", value or "")
    if not match:
        raise ValueError("quiet hours are written like 22:00-07:00")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise ValueError("quiet hours are written like 22:00-07:00")
    return time(h1, m1), time(h2, m2)


def _quiet(value: str) -> str:
    parse_quiet(value)
    return value.strip()


class SiteEscalation(_Model):
    chains: dict[str, Chain] = Field(default_factory=dict)
    quiet_hours: str | None = None
    group_chains: dict[str, str] = Field(default_factory=dict)

    _check = field_validator("quiet_hours")(lambda v: v if v is None else _quiet(v))


class EscalationSettings(_Model):
    # Site time: non-urgent pings of "day" levels wait until the end of this window.
    quiet_hours: str = "22:00-07:00"
    chains: dict[str, Chain] = Field(default_factory=lambda: dict(DEFAULT_CHAINS))
    group_chains: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_GROUP_CHAINS))
    # Per site code: chains that replace the defaults of the same name, quiet hours.
    sites: dict[str, SiteEscalation] = Field(default_factory=dict)
    # Seconds between two looks for alerts due to climb.
    tick_seconds: float = Field(default=5.0, gt=0, le=300)

    _check = field_validator("quiet_hours")(_quiet)

    def chains_for(self, site_code: str) -> dict[str, Chain]:
        own = self.sites.get(site_code)
        return {**DEFAULT_CHAINS, **self.chains, **(own.chains if own else {})}

    def chain(self, site_code: str, name: str) -> Chain:
        chains = self.chains_for(site_code)
        return chains.get(name) or chains.get("default") or DEFAULT_CHAINS["default"]

    def chain_name(self, site_code: str, group: str, named: str | None) -> str:
        if named:
            return named
        own = self.sites.get(site_code)
        mapping = {**self.group_chains, **(own.group_chains if own else {})}
        return mapping.get(group, "default")

    def quiet(self, site_code: str) -> tuple[time, time]:
        own = self.sites.get(site_code)
        return parse_quiet(own.quiet_hours if own and own.quiet_hours else self.quiet_hours)
