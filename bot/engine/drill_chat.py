"""The drill screens' front door: the ``drl:`` screen actions and what a person types or
sends while on a drill screen, handed to planning, the year's plan or the run."""

from __future__ import annotations

from bot.drills.access import may_coordinate, may_run
from bot.drills.models import DrillStatus
from bot.engine import drill_plan, drill_run, drill_state, drill_view, menu
from bot.engine.context import Ctx
from bot.engine.incoming import Incoming, Kind

# Actions whose argument is the drill's id; the others act on the drill on screen.
NAMING = ("v", "pdf", "start", "move", "off", "offs", "run", "att", "case")


def plan_command(ctx: Ctx, args: str) -> None:
    if ctx.case is not None:
        menu.resume_offer(ctx)
    else:
        drill_plan.begin(ctx)
        if not drill_state.active(ctx):
            menu.home(ctx)


def list_command(ctx: Ctx, args: str) -> None:
    if ctx.case is not None:
        menu.resume_offer(ctx)
    else:
        drill_view.year(ctx)


def on_action(ctx: Ctx, argument: str) -> None:
    verb, _, arg = argument.partition(":")
    st = drill_state.state(ctx)
    if verb == "list":
        drill_view.year(ctx)
    elif verb == "new":
        drill_plan.begin(ctx)
    elif verb == "ics":
        drill_view.calendar(ctx)
    elif verb == "quit":
        drill_state.leave(ctx)
        menu.home(ctx)
    elif verb in ("pbs", "sc", "cmd", "pp", "pr", "next", "groups", "purpose", "assume", "rep"):
        if st.get("mode") == "plan" and may_coordinate(ctx.staff):
            drill_plan.on_action(ctx, verb, arg)
        else:
            drill_view.year(ctx)
    elif verb == "save":
        if st.get("mode") == "plan" and may_coordinate(ctx.staff):
            drill_plan.save(ctx, dict(st.get("plan", {})))
        else:
            drill_view.year(ctx)
    else:
        _on_drill(ctx, verb, arg)


def _on_drill(ctx: Ctx, verb: str, arg: str) -> None:
    """Actions on one drill: named by the action, or the one on screen."""
    st = drill_state.state(ctx)
    drill = drill_state.drill_of(ctx, arg if verb in NAMING else st.get("id"))
    if drill is None:
        drill_view.year(ctx)
        return
    if verb in ("v", "pdf"):
        if verb == "pdf" and drill.status == DrillStatus.DONE:
            drill_view.record_pdf(ctx, drill)
        drill_view.open_drill(ctx, drill)
        return
    if not may_run(ctx.staff, drill):
        drill_view.open_drill(ctx, drill)
        return
    planned, running = drill.status == DrillStatus.PLANNED, drill.status == DrillStatus.RUNNING
    if verb == "start" and (planned or running):
        drill_run.start(ctx, drill)
    elif verb == "move" and planned:
        drill_view.ask_move(ctx, drill)
    elif verb in ("off", "offs") and planned:
        drill_view.call_off(ctx, drill, series=verb == "offs")
    elif not running:
        drill_view.open_drill(ctx, drill)
    elif verb == "run":
        drill_run.show(ctx, drill)
    elif verb == "att":
        drill_run.attendance(ctx, drill)
    elif verb == "here" and arg.isdigit():
        drill_run.toggle(ctx, drill, int(arg))
    elif verb == "ask" and arg in drill_run.FIELDS:
        drill_run.show(ctx, drill, ask=arg)
    elif verb == "own" and arg.isdigit():
        drill_run.deadline(ctx, drill, int(arg))
    elif verb == "due" and arg.isdigit():
        drill_run.add_fix(ctx, drill, int(arg))
    elif verb == "case":
        drill_run.rehearse(ctx, drill)
    else:
        drill_run.show(ctx, drill)


def on_input(ctx: Ctx, incoming: Incoming) -> None:
    """Something typed or sent while on a drill screen."""
    tr = ctx.tr
    st = drill_state.state(ctx)
    mode = st.get("mode")
    if mode == "fix":
        if incoming.kind is Kind.PHOTO:
            drill_run.on_fix_photo(ctx, incoming.photos)
            if not drill_state.active(ctx):
                menu.home(ctx)
        else:
            ctx.say(tr._("Please send a photo."))
            drill_run.ask_fix_photo(ctx, int(st.get("fix") or 0))
        return
    if mode == "plan":
        if incoming.kind is Kind.TEXT:
            drill_plan.on_text(ctx, incoming.text)
        else:
            ctx.say(tr._("Please type the answer, or use the buttons."))
            drill_plan.show(ctx)
        return
    drill = drill_state.drill_of(ctx, st.get("id"))
    if drill is None:
        drill_view.year(ctx)
    elif mode == "move" and incoming.kind is Kind.TEXT and may_run(ctx.staff, drill):
        moment = drill_plan._moment(ctx, incoming.text)
        if moment is None or drill.status != DrillStatus.PLANNED:
            ctx.say(tr._("I could not read that as a date and time in the future."))
            drill_view.ask_move(ctx, drill)
        else:
            drill_view.move(ctx, drill, moment)
    elif mode == "run" and drill.status == DrillStatus.RUNNING and may_run(ctx.staff, drill):
        if incoming.kind is Kind.PHOTO:
            drill_run.on_photos(ctx, drill, incoming.photos)
        elif incoming.kind is Kind.TEXT:
            drill_run.on_text(ctx, drill, incoming.text)
        else:
            drill_run.show(ctx, drill)
    elif incoming.kind is Kind.TEXT and incoming.text.strip():
        drill_state.leave(ctx)
        menu.search(ctx, incoming.text)
    else:
        drill_view.open_drill(ctx, drill)
