"""B1's level rises (业主投诉处理制度 4.2.1, 002:37-43) as pure functions.

Levels: 一般 < 重要 < 热点 < 重大. These rules only ever raise a level: each function returns the
rises that apply above the level the complaint has now (none when it is already as high), each
naming its rule (an id and the seed line) and the instant it applied, for the case's timeline.

Readings chosen:

* "一周以后" / "一个月后" run from when the complaint arose, on the site's calendar: 7 days and
  one calendar month at the same wall-clock time (Jan 31 + 1 month = Feb 28/29). Both need the
  complaint to be unresolved *for reasons on our side*; the caller says so (a flag).
* "一个月内累计三次以上不同投诉人的相同投诉": complaints about the same matter (the caller groups
  them) from at least ``threshold`` (3: "以上" includes the number) *different* complainants
  whose times fit in one rolling month, [t − 1 month, t], both ends included. The rise applies
  at the complaint that completes the count.
* "处理完毕后发生二次投诉": a complaint about a matter already closed is 重要 (important).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from zoneinfo import ZoneInfo

from bot.deadlines.calendar import aware
from bot.deadlines.clocks import add_months


class Level(IntEnum):
    GENERAL = 0  # 一般投诉
    IMPORTANT = 1  # 重要投诉
    HOT = 2  # 热点投诉
    MAJOR = 3  # 重大投诉

    @property
    def key(self) -> str:
        """The playbooks' option id and ``classify`` value: general, important, hot, major."""
        return self.name.lower()

    @classmethod
    def from_key(cls, key: str) -> Level:
        return cls[key.upper()]

    @property
    def title(self) -> dict[str, str]:
        return dict(_TITLES[self])


_TITLES = {
    Level.GENERAL: {"zh": "一般投诉", "en": "General"},
    Level.IMPORTANT: {"zh": "重要投诉", "en": "Important"},
    Level.HOT: {"zh": "热点投诉", "en": "Hot"},
    Level.MAJOR: {"zh": "重大投诉", "en": "Major"},
}


@dataclass(frozen=True)
class RiseRule:
    id: str
    source: str  # seed file and line
    level: Level  # the level it raises to
    seed: str  # the rule's words in the seed
    en: str


UNRESOLVED_WEEK = RiseRule(
    "b1_unresolved_week",
    "002:41",
    Level.HOT,
    "投诉一周以后由于我方原因仍未解决的投诉",
    "Still unresolved a week later, for reasons on our side",
)
UNRESOLVED_MONTH = RiseRule(
    "b1_unresolved_month",
    "002:39",
    Level.MAJOR,
    "投诉发生一个月后由于我方原因仍未能得到有效解决的投诉",
    "Still not effectively resolved a month after it arose, for reasons on our side",
)
REPEAT_COMPLAINANTS = RiseRule(
    "b1_repeat_complainants",
    "002:41",
    Level.HOT,
    "一个月内累计三次以上不同投诉人的相同投诉",
    "The same complaint from different complainants three or more times within a month",
)
CLOSED_MATTER = RiseRule(
    "b1_closed_matter",
    "002:41",
    Level.IMPORTANT,
    "处理完毕后发生二次投诉的",
    "A second complaint after the matter was closed",
)
RULES = (UNRESOLVED_WEEK, UNRESOLVED_MONTH, REPEAT_COMPLAINANTS, CLOSED_MATTER)


@dataclass(frozen=True)
class Rise:
    rule: RiseRule
    at: datetime  # when the rule applied (UTC)

    @property
    def level(self) -> Level:
        return self.rule.level


@dataclass(frozen=True)
class Complaint:
    """One complaint about a matter: who complained (a stable identity: a phone number, a unit
    number, a staff record) and when it was received."""

    complainant: str
    at: datetime


def raised(level: Level, rises: Iterable[Rise]) -> Level:
    """The level after the rises: the highest of all, never lower than ``level``."""
    return max([level, *(rise.level for rise in rises)])


def age_rises(
    level: Level,
    arose_at: datetime,
    now: datetime,
    timezone: str,
    *,
    unresolved: bool = True,
    our_side: bool = True,
) -> list[Rise]:
    """The week and month rises that have applied by ``now``, in order, above ``level``."""
    if not (unresolved and our_side):
        return []
    rises = []
    current = level
    for rule, at in _age_thresholds(arose_at, timezone):
        if at <= aware(now) and rule.level > current:
            rises.append(Rise(rule, at))
            current = rule.level
    return rises


def next_age_rise(
    level: Level, arose_at: datetime, timezone: str, *, our_side: bool = True
) -> Rise | None:
    """The next week or month rise that would raise ``level`` (its instant may be past: the
    scheduler checks it then, with whether the complaint is still unresolved)."""
    if not our_side:
        return None
    for rule, at in _age_thresholds(arose_at, timezone):
        if rule.level > level:
            return Rise(rule, at)
    return None


def repeat_rise(
    level: Level,
    complaints: Iterable[Complaint],
    timezone: str,
    *,
    now: datetime | None = None,
    threshold: int = 3,
) -> Rise | None:
    """热点 when ``threshold`` different complainants raised the same matter within a rolling
    month (complaints after ``now`` are not counted yet); None when it does not apply or the
    level is already 热点 or above."""
    if level >= REPEAT_COMPLAINANTS.level:
        return None
    zone = ZoneInfo(timezone)
    counted = sorted(
        (c for c in complaints if now is None or aware(c.at) <= aware(now)), key=lambda c: c.at
    )
    for index, last in enumerate(counted):
        window_start = _months_before(aware(last.at), 1, zone)
        people = {c.complainant for c in counted[: index + 1] if aware(c.at) >= window_start}
        if len(people) >= threshold:
            return Rise(REPEAT_COMPLAINANTS, aware(last.at).astimezone(UTC))
    return None


def closed_matter_rise(level: Level, *, matter_closed: bool, at: datetime) -> Rise | None:
    """重要 for a complaint about a matter already closed (``at``: when it was received)."""
    if not matter_closed or level >= CLOSED_MATTER.level:
        return None
    return Rise(CLOSED_MATTER, aware(at).astimezone(UTC))


def _age_thresholds(arose_at: datetime, timezone: str) -> list[tuple[RiseRule, datetime]]:
    zone = ZoneInfo(timezone)
    local = aware(arose_at).astimezone(zone).replace(tzinfo=None)
    week = (local + timedelta(days=7)).replace(tzinfo=zone).astimezone(UTC)
    month = _months_after(aware(arose_at), 1, zone)
    return [(UNRESOLVED_WEEK, week), (UNRESOLVED_MONTH, month)]


def _months_after(instant: datetime, months: int, zone: ZoneInfo) -> datetime:
    local = instant.astimezone(zone).replace(tzinfo=None)
    landing = add_months(local.date(), months)
    return datetime.combine(landing, local.time()).replace(tzinfo=zone).astimezone(UTC)


def _months_before(instant: datetime, months: int, zone: ZoneInfo) -> datetime:
    return _months_after(instant, -months, zone)
