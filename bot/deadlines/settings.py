"""A site's clock settings: its calendar, its own spans for the rules' clocks, its schedules.

They live in the site's settings under ``"clocks"`` (``dutybot site clocks``), each with the
rules' value as default::

    {"spans": {"b10_satisfactory_reply": "3wd"},
     "closed_days": ["2026-12-24"], "extra_working_days": ["2026-12-27"],
     "working_hours": "08:30-17:30", "public_holidays": true,
     "remind_fraction": 0.8, "extension_approver": "general_manager",
     "night_rounds": "23:00,03:00", "round_grace": "60m", "digest_at": "08:00",
     "digest_roles": "manager,general_manager,property_manager", "box_at": "09:00",
     "statistics_at": "09:00"}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from sqlmodel import Session

from bot.deadlines import defaults
from bot.deadlines.calendar import SiteCalendar, WorkingHours
from bot.deadlines.specs import EXTENSION_APPROVER, DeadlineSpec, Span
from bot.sites import service as sites
from bot.sites.models import Site
from bot.staff.roles import ROLES

KEY = "clocks"

# Scalar settings with their defaults (text, as ``dutybot site clocks set`` takes them).
SCALARS: dict[str, str] = {
    "working_hours": "",  # empty: a working day is worked all day
    "public_holidays": "true",
    "remind_fraction": str(defaults.REMIND_FRACTION),
    "extension_approver": EXTENSION_APPROVER,
    "night_rounds": "23:00,03:00",  # A5: at least two rounds a night
    "round_grace": "60m",  # a round not reported this long after its time is missed
    "digest_at": "08:00",
    "digest_roles": "manager,general_manager,property_manager",
    "box_at": "09:00",  # B3: the complaint box is opened every day
    "statistics_at": "09:00",  # B2/B15: on the 1st of each month
}
DAY_LISTS = ("closed_days", "extra_working_days")


@dataclass(frozen=True)
class SiteClocks:
    """What the clocks of one site read."""

    calendar: SiteCalendar
    spans: dict[str, Span] = field(default_factory=dict)
    remind_fraction: float = defaults.REMIND_FRACTION
    extension_approver: str = EXTENSION_APPROVER
    night_rounds: tuple[time, ...] = (time(23), time(3))
    round_grace: timedelta = timedelta(minutes=60)
    digest_at: time = time(8)
    digest_roles: tuple[str, ...] = ("manager", "general_manager", "property_manager")
    box_at: time = time(9)
    statistics_at: time = time(9)

    def span(self, key: str) -> Span | None:
        """The site's span for a default clock (its own, else the rules'); None: no such
        clock."""
        if key in self.spans:
            return self.spans[key]
        found = defaults.BY_KEY.get(key)
        return found.spec.span if found is not None and found.spec is not None else None

    def spec(self, key: str) -> DeadlineSpec | None:
        found = defaults.BY_KEY.get(key)
        if found is None or found.spec is None:
            return None
        span = self.span(key)
        return found.spec if span is None else found.spec.with_span(span)


def of(site: Site) -> SiteClocks:
    """The site's clock settings (the rules' defaults where it set none)."""
    raw: dict[str, Any] = dict(site.settings.get(KEY) or {})
    hours = str(raw.get("working_hours") or "")
    calendar = SiteCalendar.of(
        site.timezone,
        closed=[date.fromisoformat(d) for d in raw.get("closed_days", [])],
        extra=[date.fromisoformat(d) for d in raw.get("extra_working_days", [])],
        hours=WorkingHours.parse(hours) if hours else None,
        public_holidays=_flag(raw.get("public_holidays", True)),
    )
    text = {**SCALARS, **{k: str(v) for k, v in raw.items() if k in SCALARS}}
    return SiteClocks(
        calendar=calendar,
        spans={key: Span.parse(value) for key, value in dict(raw.get("spans", {})).items()},
        remind_fraction=float(text["remind_fraction"]),
        extension_approver=text["extension_approver"],
        night_rounds=tuple(_clock(t) for t in text["night_rounds"].split(",") if t.strip()),
        round_grace=_elapsed(text["round_grace"]),
        digest_at=_clock(text["digest_at"]),
        digest_roles=tuple(r.strip() for r in text["digest_roles"].split(",") if r.strip()),
        box_at=_clock(text["box_at"]),
        statistics_at=_clock(text["statistics_at"]),
    )


def check(name: str, value: str) -> Any:
    """A setting's stored value for the text given, or ValueError saying what is wrong.

    ``name`` is a default clock's key (its span: ``2wd``), a scalar setting, or a list of days
    (comma-separated dates). An empty value clears the setting (None).
    """
    value = value.strip()
    if not value:
        return None
    if name in defaults.BY_KEY:
        if defaults.BY_KEY[name].spec is None:
            raise ValueError(f"{name} is not a clock: {defaults.BY_KEY[name].unusable}")
        return str(Span.parse(value))
    if name in DAY_LISTS:
        return sorted({date.fromisoformat(d.strip()).isoformat() for d in value.split(",")})
    if name not in SCALARS:
        raise ValueError(f"no clock setting {name!r}")
    if name == "working_hours":
        return str(WorkingHours.parse(value))
    if name == "public_holidays":
        return _flag(value)
    if name == "remind_fraction":
        fraction = float(value)
        if not 0 < fraction < 1:
            raise ValueError("remind_fraction is between 0 and 1")
        return fraction
    if name in ("extension_approver",):
        if value not in ROLES:
            raise ValueError(f"unknown role {value!r}")
        return value
    if name == "digest_roles":
        roles = [r.strip() for r in value.split(",") if r.strip()]
        unknown = [r for r in roles if r not in ROLES]
        if unknown:
            raise ValueError(f"unknown role {unknown[0]!r}")
        return ",".join(roles)
    if name == "round_grace":
        _elapsed(value)
        return value
    if name == "night_rounds":
        return ",".join(f"{_clock(t):%H:%M}" for t in value.split(",") if t.strip())
    return f"{_clock(value):%H:%M}"


def store(session: Session, site: Site, name: str, value: Any) -> None:
    """Write one checked setting (``check``'s value; None clears it) into the site's settings."""
    raw: dict[str, Any] = dict(site.settings.get(KEY) or {})
    if name in defaults.BY_KEY:
        spans = dict(raw.get("spans", {}))
        if value is None:
            spans.pop(name, None)
        else:
            spans[name] = value
        raw["spans"] = spans
    elif value is None:
        raw.pop(name, None)
    else:
        raw[name] = value
    sites.set_setting(session, site, KEY, raw)


@dataclass(frozen=True)
class Row:
    """One line of ``dutybot site clocks list``."""

    name: str
    default: str
    value: str
    title: dict[str, str]


def listing(site: Site) -> list[Row]:
    """Every usable default clock and every scalar setting, the rules' value beside the site's."""
    raw: dict[str, Any] = dict(site.settings.get(KEY) or {})
    spans = dict(raw.get("spans", {}))
    rows = [
        Row(c.key, str(c.spec.span), str(spans.get(c.key, c.spec.span)), c.title)
        for c in defaults.usable()
        if c.spec is not None
    ]
    for name, default in SCALARS.items():
        rows.append(Row(name, default, str(raw.get(name, default)), {}))
    for name in DAY_LISTS:
        rows.append(Row(name, "", ",".join(raw.get(name, [])), {}))
    return rows


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in ("true", "false", "yes", "no", "1", "0"):
        raise ValueError(f"true or false, not {value!r}")
    return text in ("true", "yes", "1")


def _clock(text: str) -> time:
    hour, sep, minute = text.strip().partition(":")
    if not (sep and hour.isdigit() and minute.isdigit() and len(minute) == 2):
        raise ValueError(f"a time of day looks like 08:00, not {text.strip()!r}")
    return time(int(hour), int(minute))


def _elapsed(text: str) -> timedelta:
    elapsed = Span.parse(text).elapsed
    if elapsed is None:
        raise ValueError(f"a duration in seconds, minutes or hours, not {text!r}")
    return elapsed
