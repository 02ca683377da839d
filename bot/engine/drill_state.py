"""Where a person is in a drill screen: kept in the conversation (``screen = "drill"``), under
``draft["drill"]``, so a restart or a second instance loses nothing."""

from __future__ import annotations

from typing import Any

from bot.drills import service as drills
from bot.drills.models import Drill
from bot.engine.context import Ctx

SCREEN = "drill"


def state(ctx: Ctx) -> dict[str, Any]:
    value = ctx.conv.draft.get("drill") if ctx.conv.screen == SCREEN else None
    return dict(value) if isinstance(value, dict) else {}


def put(ctx: Ctx, **values: Any) -> dict[str, Any]:
    """Enter (or stay on) a drill screen with these values changed; the new state."""
    current = state(ctx)
    current.update(values)
    ctx.conv.screen = SCREEN
    ctx.conv.draft = {"drill": current}
    return current


def leave(ctx: Ctx) -> None:
    if ctx.conv.screen == SCREEN:
        ctx.conv.draft = {}


def active(ctx: Ctx) -> bool:
    return ctx.case is None and ctx.conv.screen == SCREEN


def drill_of(ctx: Ctx, drill_id: Any) -> Drill | None:
    """The drill an action names, if it is of the person's site."""
    try:
        drill = drills.get(ctx.session, int(drill_id))
    except (TypeError, ValueError):
        return None
    return drill if drill is not None and drill.site_id == ctx.staff.site_id else None
