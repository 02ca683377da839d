"""``/drill``: plan a drill one question at a time: scenario, time, place, commander,
participants, groups and duties, purpose, assumed accident, repetition; then a review."""

from __future__ import annotations

import re
from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from bot.drills import scenarios
from bot.drills import service as drills
from bot.drills.access import may_coordinate
from bot.engine import drill_state
from bot.engine.context import Ctx
from bot.engine.screen import Screen
from bot.engine.steps.datetime_kind import Implausible, parse_moment
from bot.i18n import N_
from bot.staff import service as staff_service
from bot.staff.models import Staff
from bot.staff.roles import ROLES

# The purpose most source records state (catalog D1, D4), offered as a default.
USUAL_PURPOSE = N_(
    "Test how fast and how well the staff respond and work together, practise the procedure, "
    "and check the equipment."
)
REPEATS = (0, 3, 6, 12)
MAX_LISTED = 30


def begin(ctx: Ctx) -> None:
    if not may_coordinate(ctx.staff):
        ctx.say(ctx.tr._("Only drill coordinators and managers plan drills."))
        return
    drill_state.put(ctx, mode="plan", plan={}, ask="scenario")
    show(ctx)


def _cancel_row(ctx: Ctx, screen: Screen) -> None:
    screen.row((ctx.tr._("✗ Cancel"), "drl:quit"))


def _title(ctx: Ctx) -> str:
    return ctx.tr._("🧯 Plan a drill")


def _site_staff(ctx: Ctx) -> list[Staff]:
    return staff_service.active_at_site(ctx.session, ctx.site.id or 0)[:MAX_LISTED]


def show(ctx: Ctx, *, replace: bool = False) -> None:
    """The question the planner is on (``replace``: the same list with a tick changed)."""
    tr = ctx.tr
    st = drill_state.state(ctx)
    ask, plan = st.get("ask"), st.get("plan", {})
    screen = Screen(text="", title=_title(ctx))
    if ask == "scenario":
        screen.text = tr._("Which emergency will the drill rehearse?")
        for s in scenarios.SCENARIOS:
            screen.row((tr._(s.label), f"drl:sc:{s.key}"))
        screen.row((tr._("📚 A procedure of the library"), "drl:pbs"))
    elif ask == "procedure":
        screen.text = tr._("Which procedure will the drill rehearse?")
        for book in sorted(ctx.registry.all(), key=lambda b: b.id):
            screen.row((tr.pick(book.title), f"drl:sc:{scenarios.PLAYBOOK_PREFIX}{book.id}"))
    elif ask == "when":
        screen.text = tr._(
            "When is the drill? Type the date and time ({zone}), e.g. 2026-12-08 15:00 or "
            "12-08 15:00.",
            zone=ctx.site.timezone,
        )
        screen.expects = "text"
    elif ask == "place":
        screen.text = tr._("Where? Type the place, e.g. “Lobby, 1F”.")
        screen.expects = "text"
    elif ask == "commander":
        screen.text = tr._("Who commands the drill (总指挥)?")
        for member in _site_staff(ctx):
            screen.row((member.name, f"drl:cmd:{member.id}"))
        screen.row((tr._("Skip"), "drl:cmd:0"))
    elif ask == "people":
        _people(ctx, screen, plan)
    elif ask == "groups":
        screen.text = tr._(
            "Groups and their duties, one a line as “group: duties: members”, e.g. “Cordon: "
            "keep people away from the scene: An Guard, Bo Guard” (members are optional and "
            "take part). Or skip."
        )
        screen.expects = "text"
        screen.row((tr._("Skip"), "drl:groups"))
    elif ask == "purpose":
        screen.text = tr._("The purpose of the drill (演练目的)? Type it, or take the usual one:")
        screen.text += "\n" + tr._(USUAL_PURPOSE)
        screen.expects = "text"
        screen.row((tr._("Use the usual purpose"), "drl:purpose"))
    elif ask == "assumption":
        screen.text = tr._(
            "The assumed accident (事故假设)? E.g. “A fire breaks out in the kitchen at 15:00.”"
        )
        screen.expects = "text"
        screen.row((tr._("Skip"), "drl:assume"))
    elif ask == "repeat":
        screen.text = tr._("Does the drill repeat?")
        screen.row((tr._("Once"), "drl:rep:0"))
        screen.row(*[(tr._("Every {n} months", n=n), f"drl:rep:{n}") for n in REPEATS[1:]])
    else:
        _review(ctx, screen, plan)
    _cancel_row(ctx, screen)
    ctx.show(screen, replace=replace)


def _people(ctx: Ctx, screen: Screen, plan: dict[str, Any]) -> None:
    tr = ctx.tr
    people, roles = set(plan.get("people", [])), set(plan.get("roles", []))
    screen.text = tr._(
        "Who takes part? Tap people or whole roles (everyone holding the role), then Done."
    )
    staff = _site_staff(ctx)
    for member in staff:
        mark = "✓ " if member.id in people else ""
        screen.row((f"{mark}{member.name}", f"drl:pp:{member.id}"))
    held = sorted({r for m in staff for r in m.roles if r in ROLES})
    for role in held:
        mark = "✓ " if role in roles else ""
        screen.row((f"{mark}👥 {tr._(ROLES[role])}", f"drl:pr:{role}"))
    screen.row((tr._("✓ Done"), "drl:next"))


def _review(ctx: Ctx, screen: Screen, plan: dict[str, Any]) -> None:
    tr = ctx.tr
    lines = [tr._("Please check the drill, then plan it.")]
    lines += summary(ctx, plan)
    screen.text = "\n".join(lines)
    screen.row((tr._("✅ Plan it"), "drl:save"))


def summary(ctx: Ctx, plan: dict[str, Any]) -> list[str]:
    tr = ctx.tr
    names = staff_service.by_ids(ctx.session, list(plan.get("people", [])))
    starts = datetime.fromisoformat(plan["when"]) if plan.get("when") else None
    commander = staff_service.get(ctx.session, plan.get("commander") or 0)
    who = [escape(m.name) for m in names.values()]
    who += [tr._(ROLES[r]) for r in plan.get("roles", []) if r in ROLES]
    lines = [
        "",
        tr._("Scenario: {name}", name=scenarios.name(plan.get("scenario", ""), tr, ctx.registry)),
        tr._("When: {when}", when=tr.datetime(starts, "short") if starts else "—"),
        tr._("Place: {place}", place=escape(plan.get("place", "")) or "—"),
        tr._("Commander: {name}", name=escape(commander.name) if commander else "—"),
        tr._("Participants: {who}", who=tr.join(who) or "—"),
    ]
    members = staff_service.by_ids(
        ctx.session, [int(i) for g in plan.get("groups", []) for i in g.get("people", [])]
    )
    for group in plan.get("groups", []):
        line = f"• {escape(group['name'])}: {escape(group['duties'])}"
        named = [escape(members[i].name) for i in group.get("people", []) if i in members]
        lines.append(f"{line} ({tr.join(named)})" if named else line)
    lines.append(tr._("Purpose: {purpose}", purpose=escape(plan.get("purpose", "")) or "—"))
    assumption = escape(plan.get("assumption", "")) or "—"
    lines.append(tr._("Assumed accident: {text}", text=assumption))
    every = int(plan.get("every", 0))
    lines.append(tr._("Every {n} months", n=every) if every else tr._("Once"))
    steps = plan.get("steps", [])
    if steps:
        lines.append(tr._("Steps to rehearse (from the procedure):"))
        lines += [f"{n}. {escape(tr.pick(s))}" for n, s in enumerate(steps[:12], 1)]
        if len(steps) > 12:
            lines.append(tr._("… and {n} more", n=len(steps) - 12))
    return lines


def _next(ctx: Ctx, plan: dict[str, Any], ask: str) -> None:
    drill_state.put(ctx, plan=plan, ask=ask)
    show(ctx)


def on_action(ctx: Ctx, verb: str, arg: str) -> None:
    st = drill_state.state(ctx)
    plan = dict(st.get("plan", {}))
    if verb == "pbs":
        _next(ctx, plan, "procedure")
    elif verb == "sc":
        arg = scenarios.canonical(arg)
        plan["scenario"] = arg
        book_id = scenarios.playbook_of(arg, ctx.registry)
        plan["playbook"] = book_id
        if book_id is not None:
            book = ctx.registry.get(book_id)
            plan["steps"] = [step.label or step.text for step in book.steps]
        _next(ctx, plan, "when")
    elif verb == "cmd":
        plan["commander"] = int(arg) if arg.isdigit() and int(arg) else None
        _next(ctx, plan, "people")
    elif verb in ("pp", "pr"):
        field, value = ("people", int(arg)) if verb == "pp" else ("roles", arg)
        chosen = list(plan.get(field, []))
        chosen.remove(value) if value in chosen else chosen.append(value)
        plan[field] = chosen
        drill_state.put(ctx, plan=plan)
        show(ctx, replace=True)
    elif verb == "next":
        _next(ctx, plan, "groups")
    elif verb == "groups":
        _next(ctx, plan, "purpose")
    elif verb == "purpose":
        plan["purpose"] = ctx.tr._(USUAL_PURPOSE)
        _next(ctx, plan, "assumption")
    elif verb == "assume":
        _next(ctx, plan, "repeat")
    elif verb == "rep":
        plan["every"] = int(arg) if arg.isdigit() and int(arg) in REPEATS else 0
        _next(ctx, plan, "review")
    elif verb == "save":
        save(ctx, plan)
    else:
        show(ctx)


def on_text(ctx: Ctx, text: str) -> None:
    tr = ctx.tr
    st = drill_state.state(ctx)
    ask, plan = st.get("ask"), dict(st.get("plan", {}))
    text = text.strip()
    if not text:
        show(ctx)
        return
    if ask == "when":
        moment = _moment(ctx, text)
        if moment is None:
            ctx.say(tr._("I could not read that as a date and time in the future."))
            show(ctx)
            return
        plan["when"] = moment.isoformat()
        _next(ctx, plan, "place")
    elif ask == "place":
        plan["place"] = text[:300]
        _next(ctx, plan, "commander")
    elif ask == "groups":
        staff = staff_service.active_at_site(ctx.session, ctx.site.id or 0)
        plan["groups"] = parse_groups(text, {m.name: m.id or 0 for m in staff})
        _next(ctx, plan, "purpose")
    elif ask == "purpose":
        plan["purpose"] = text[:2000]
        _next(ctx, plan, "assumption")
    elif ask == "assumption":
        plan["assumption"] = text[:2000]
        _next(ctx, plan, "repeat")
    else:
        ctx.say(tr._("Please use the buttons below."))
        show(ctx)


def _moment(ctx: Ctx, text: str) -> datetime | None:
    try:
        moment = parse_moment(text, ctx.now, ZoneInfo(ctx.site.timezone), past_only=False)
    except Implausible:
        return None
    return moment if moment is not None and moment > ctx.now else None


def parse_groups(text: str, staff: dict[str, int]) -> list[dict[str, Any]]:
    """“Cordon: keep people away: An Guard, Bo Guard” lines as groups (full-width colons and
    commas, and 、, count too); members are the site's staff named, by name."""
    groups = []
    for line in text.splitlines():
        name, _, rest = line.replace("：", ":").partition(":")
        duties, _, members = rest.partition(":")
        names = [n.strip() for n in re.split(r"[,，、;；]", members)]
        people = [staff[n] for n in names if n in staff]
        if name.strip():
            groups.append(
                {"name": name.strip()[:100], "duties": duties.strip()[:500], "people": people}
            )
    return groups[:20]


def save(ctx: Ctx, plan: dict[str, Any]) -> None:
    from bot.engine import drill_view  # the drill's own screen, shown once planned

    tr = ctx.tr
    if not plan.get("scenario") or not plan.get("when"):
        drill_state.put(ctx, ask="scenario")
        show(ctx)
        return
    planned = drills.plan(
        ctx.session,
        site=ctx.site,
        coordinator_id=ctx.staff_id,
        scenario=plan["scenario"],
        playbook_id=plan.get("playbook"),
        starts_at=datetime.fromisoformat(plan["when"]),
        place=plan.get("place", ""),
        commander_id=plan.get("commander"),
        people=list(plan.get("people", [])),
        roles=list(plan.get("roles", [])),
        groups=list(plan.get("groups", [])),
        purpose=plan.get("purpose", ""),
        assumption=plan.get("assumption", ""),
        steps=list(plan.get("steps", [])),
        every_months=int(plan.get("every", 0)),
        now=ctx.now,
    )
    ctx.outbox = True
    first = planned[0]
    count = len(drills.participants(ctx.session, first))
    ctx.say(
        tr.n_(
            "Drill planned. {n} participant is told now and reminded before it.",
            "Drill planned. {n} participants are told now and reminded before it.",
            count,
        )
    )
    if len(planned) > 1:
        ctx.say(tr._("{n} drills of this series are planned for the coming year.", n=len(planned)))
    drill_view.open_drill(ctx, first)
