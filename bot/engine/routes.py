"""Every command, press and screen action the engine knows, and the function that handles it.

Commands and screen actions run inside the person's own conversation; presses with a token
space of their own (acknowledging a ping, opening a case) are marked ``standalone`` and leave
the conversation as it is.
"""

from __future__ import annotations

from bot.engine import (
    admin,
    alerts,
    cancel,
    closing,
    commands,
    current,
    drill_chat,
    drill_presses,
    duty,
    followup,
    manager_case,
    manager_chat,
    manager_lists,
    menu,
    profile,
    report,
    sidetrip,
    work,
)
from bot.engine.callbacks import (
    AckPress,
    CasePress,
    DrillPress,
    ListPress,
    OpenPress,
    RecordPress,
    TaskPress,
)
from bot.engine.context import Ctx
from bot.engine.router import Router
from bot.engine.screen import ScreenName
from bot.i18n import Catalogs

ROUTER = Router()

# --- presses with a token space of their own ------------------------------------------------

ROUTER.press(AckPress, standalone=True, in_groups=True)(alerts.on_acknowledge)
ROUTER.press(OpenPress, standalone=True, in_groups=True)(alerts.on_open)
ROUTER.press(DrillPress, standalone=True)(drill_presses.on_press)
ROUTER.command("drill")(drill_chat.plan_command)
ROUTER.command("drills")(drill_chat.list_command)
ROUTER.action("drl", with_case=False)(drill_chat.on_action)

# --- presses that work in the person's own conversation ------------------------------------

ROUTER.press(TaskPress)(followup.on_press)
ROUTER.press(CasePress)(sidetrip.on_press)

# --- what is sent on a side trip's screen ---------------------------------------------------

ROUTER.input(*sidetrip.SCREENS.values())(sidetrip.on_input)

ROUTER.press(ListPress, standalone=True, in_groups=True)(manager_lists.on_page)
ROUTER.press(RecordPress, standalone=True, in_groups=True)(manager_case.on_press)
for _name, _handler in manager_chat.COMMANDS.items():  # managers' lists, records, exports
    ROUTER.command(_name)(_handler)


# --- commands -------------------------------------------------------------------------------


@ROUTER.command("start", "menu")
def _start(ctx: Ctx, args: str) -> None:
    ctx.commands = commands.for_roles(ctx.tr, ctx.staff.roles)
    if ctx.case is not None:
        menu.resume_offer(ctx)
    else:
        menu.home(ctx)


@ROUTER.command("report", "new")
def _report(ctx: Ctx, args: str) -> None:
    if ctx.case is not None:
        menu.resume_offer(ctx)
    else:
        menu.pick(ctx)


@ROUTER.command("mine")
def _mine(ctx: Ctx, args: str) -> None:
    menu.mine(ctx)


@ROUTER.command("tasks")
def _tasks(ctx: Ctx, args: str) -> None:
    work.show(ctx)


@ROUTER.command("cancel")
def _cancel(ctx: Ctx, args: str) -> None:
    if ctx.case is not None:
        cancel.offer(ctx)
    else:
        ctx.say(ctx.tr._("There is no report in progress."))
        menu.home(ctx)


def _step_command(name: str) -> None:
    """/back and /skip do what the step's buttons of the same name do; the review goes back."""

    def handle(ctx: Ctx, args: str) -> None:
        if ctx.case is not None and ctx.conv.screen == ScreenName.STEP:
            report.on_action(ctx, name)
        elif ctx.case is not None and ctx.conv.screen == ScreenName.REVIEW:
            report.back(ctx)
        else:
            ctx.say(ctx.tr._("Unknown command /{name}.", name=name))
            current.show(ctx)

    ROUTER.command(name)(handle)


_step_command("back")
_step_command("skip")


@ROUTER.command("whoami")
def _whoami(ctx: Ctx, args: str) -> None:
    profile.whoami(ctx)
    current.show(ctx)


@ROUTER.command("lang")
def _lang(ctx: Ctx, args: str) -> None:
    locale = profile.parse_language(args) if args else None
    if locale is None:
        profile.offer(ctx)
        return
    profile.set_language(ctx, locale, _catalogs(ctx))
    current.show(ctx)


@ROUTER.command("request")
def _request(ctx: Ctx, args: str) -> None:
    ctx.say(ctx.tr._("You have access already."))
    current.show(ctx)


@ROUTER.command("help")
def _help(ctx: Ctx, args: str) -> None:
    ctx.say(commands.help_text(ctx.tr, ctx.staff.roles))
    current.show(ctx)


@ROUTER.command("duty")
def _duty(ctx: Ctx, args: str) -> None:
    duty.show(ctx)


@ROUTER.command("alerts")
def _alerts(ctx: Ctx, args: str) -> None:
    alerts.waiting(ctx)
    if ctx.case is not None:
        current.show(ctx)


@ROUTER.command("invite")
def _invite_command(ctx: Ctx, args: str) -> None:
    if admin.allowed(ctx):
        _invite(ctx, args.strip().lower())
    else:
        current.show(ctx)


@ROUTER.command("requests")
def _requests_command(ctx: Ctx, args: str) -> None:
    if admin.allowed(ctx):
        admin.pending(ctx)
    else:
        current.show(ctx)


# --- screen actions -------------------------------------------------------------------------


@ROUTER.action("menu")
def _menu(ctx: Ctx, target: str) -> None:
    if target == "report":
        menu.pick(ctx)
    elif target == "mine":
        menu.mine(ctx)
    elif target == "duty":
        duty.show(ctx)
    elif target == "tasks":
        work.show(ctx)
    elif target == "alerts":
        alerts.waiting(ctx)
        menu.home(ctx)
    else:
        menu.home(ctx)


@ROUTER.action("mgr")
def _manager_list(ctx: Ctx, view: str) -> None:
    manager_lists.show(ctx, view)


@ROUTER.action("grp", with_case=False)
def _group(ctx: Ctx, group: str) -> None:
    menu.pick_in_group(ctx, group)


@ROUTER.action("pb", with_case=False)
def _playbook(ctx: Ctx, book_id: str) -> None:
    if book_id in ctx.registry:
        report.start(ctx, ctx.registry.get(book_id))
    else:
        ctx.say(ctx.tr._("That procedure is no longer available."))
        menu.pick(ctx)


@ROUTER.action("case")
def _case(ctx: Ctx, case_id: str) -> None:
    menu.open_listed(ctx, case_id)


@ROUTER.action("lang")
def _language(ctx: Ctx, locale: str) -> None:
    profile.set_language(ctx, locale, _catalogs(ctx))
    current.show(ctx)


@ROUTER.action("admin", "inv", "invx", "req")
def _admin(ctx: Ctx, argument: str) -> None:
    action = ctx.action
    if not admin.allowed(ctx):  # the role may have been taken away since the screen
        current.show(ctx)
    elif action == "admin:home":
        admin.home(ctx)
    elif action == "admin:invite":
        _invite(ctx, "")
    elif action == "admin:requests":
        admin.pending(ctx)
    elif action == "admin:invites":
        admin.outstanding(ctx)
    elif action == "admin:link":
        admin.request_link(ctx, ctx.bot_username or None)
    elif action.startswith("inv:"):
        _invite(ctx, argument)
    elif action.startswith("invx:"):
        admin.cancel_invite(ctx, argument)
    else:
        admin.on_request(ctx, action)


@ROUTER.action("resume", with_case=True)
def _resume(ctx: Ctx, argument: str) -> None:
    current.resume(ctx)


@ROUTER.action("cancel", with_case=True)
def _cancel_action(ctx: Ctx, answer: str) -> None:
    if answer == "no":
        current.resume(ctx)
    elif answer == closing.OTHER:
        cancel.ask_note(ctx)
    elif answer in closing.REASONS:
        cancel.finish(ctx, answer)
    else:  # "✗ Cancel report" under a question, or "← Back" from the typed reason
        cancel.offer(ctx)


@ROUTER.action("confirm", with_case=True)
def _confirm(ctx: Ctx, argument: str) -> None:
    if ctx.conv.screen != ScreenName.REVIEW:
        current.show(ctx)
    elif ctx.task is not None:
        followup.finish_part(ctx)
    else:
        followup.submit(ctx)


@ROUTER.action("work")
def _work(ctx: Ctx, key: str) -> None:
    work.take_up(ctx, key)


@ROUTER.action("aside", with_case=True)
def _aside(ctx: Ctx, then: str) -> None:
    """Set the report or task in hand aside: to report something else, or for later."""
    key = work.set_aside(ctx)
    if key is not None:
        ctx.say(ctx.tr._("Set aside; it waits under “My tasks”, exactly where it was."))
    if then == "report":
        menu.pick(ctx)
    else:
        menu.home(ctx)


@ROUTER.action("hand")
def _hand(ctx: Ctx, argument: str) -> None:
    if argument == "back":
        current.show(ctx)
    else:
        followup.hand(ctx, argument)


@ROUTER.action("side", with_case=False)
def _side(ctx: Ctx, argument: str) -> None:
    sidetrip.on_action(ctx, argument)


def dispatch_action(ctx: Ctx, action: str) -> None:
    """Run the action behind a pressed screen button.

    Registered kinds go to their handler; anything else belongs to the screen on display: a
    step's own buttons (options, ticks, "Done", back, skip) or the review's "back".
    """
    route, argument = ROUTER.action_route(action)
    ctx.action = action
    if route is not None and (route.with_case is None or route.with_case == (ctx.case is not None)):
        route.handler(ctx, argument)
    elif route is not None and route.with_case is True:
        menu.home(ctx)  # a report's button after the report ended
    elif ctx.case is None:
        menu.home(ctx)
    elif ctx.conv.screen == ScreenName.REVIEW:
        if action == "back":
            report.back(ctx)
        else:
            report.review(ctx)
    elif ctx.conv.screen == ScreenName.STEP:
        report.on_action(ctx, action)
    else:
        current.show(ctx)


def _invite(ctx: Ctx, role: str) -> None:
    admin.invite(ctx, role, ctx.invite_valid_for, ctx.bot_username or None)


def _catalogs(ctx: Ctx) -> Catalogs:
    assert ctx.catalogs is not None
    return ctx.catalogs
