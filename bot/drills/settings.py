"""Drill settings (``[drills]`` in the config file, per site under ``[drills.sites.CODE]``).

The rules give no drill frequency (catalog D6: "今后经常进行", regularly from now on), so the
interval a scenario may go without a drill is a setting, not a rule.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

_OFFSET = re.compile(r"^\s*(\d{1,7})\s*(s|m|min|h|d)?\s*$")
_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, None: 60}
MAX_OFFSET = timedelta(days=60)


def parse_offset(value: Any) -> timedelta:
    """``60`` (minutes), ``"90s"``, ``"30m"``, ``"1h"``, ``"7d"``: up to 60 days."""
    if isinstance(value, timedelta):
        offset = value
    elif isinstance(value, int) and not isinstance(value, bool):
        offset = timedelta(minutes=value)
    else:
        match = _OFFSET.match(str(value))
        if not match:
            raise ValueError("a time before is minutes or a text like 90s, 30m, 1h, 7d")
        offset = timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])
    if not timedelta(seconds=1) <= offset <= MAX_OFFSET:
        raise ValueError("a time before lies between 1 second and 60 days")
    return offset


Offset = Annotated[timedelta, BeforeValidator(parse_offset)]
DEFAULT_REMINDERS = [timedelta(days=7), timedelta(days=1), timedelta(hours=1)]
# Common practice for fire drills, not a rule of the sources (they give no frequency).
DEFAULT_REQUIRED = {"fire": 6}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DrillSiteSettings(_Model):
    reminders: list[Offset] | None = None
    required_months: dict[str, int] | None = None


class DrillSettings(_Model):
    # Participants are reminded this long before a drill (whole days keep the wall-clock time).
    reminders: list[Offset] = Field(default_factory=lambda: list(DEFAULT_REMINDERS))
    # A drill not started this long after its time pings its coordinator and commander.
    not_started_after: Offset = timedelta(minutes=30)
    # Months a scenario may go without a drill before the coordinators and managers are told.
    required_months: dict[str, Annotated[int, Field(ge=1, le=120)]] = Field(
        default_factory=lambda: dict(DEFAULT_REQUIRED)
    )
    # Site time (hour) at which an open rectification is reminded each day from its deadline.
    fix_hour: int = Field(default=9, ge=0, le=23)
    # Seconds between two looks for drill reminders and flags.
    tick_seconds: float = Field(default=30.0, gt=0)
    sites: dict[str, DrillSiteSettings] = Field(default_factory=dict)

    def reminders_for(self, site_code: str) -> list[timedelta]:
        own = self.sites.get(site_code)
        return own.reminders if own is not None and own.reminders is not None else self.reminders

    def required_for(self, site_code: str) -> dict[str, int]:
        own = self.sites.get(site_code)
        if own is not None and own.required_months is not None:
            return own.required_months
        return self.required_months
