"""Side trips on a case that is not the one in hand: a note or photos added to it, closing it,
reopening it. Whatever was in hand is set aside first and taken up again after, where it was.

The buttons under a case's record start them (``CasePress``); who may do what is checked again
at every step, never taken from the button.
"""

from __future__ import annotations

from bot.cases import service as cases
from bot.cases.models import Case, CaseStatus
from bot.engine import followup
from bot.engine.callbacks import CasePress
from bot.engine.context import Ctx
from bot.engine.incoming import Incoming, Kind
from bot.engine.outgoing import Button
from bot.engine.photos import store_photo
from bot.engine.screen import Screen, ScreenName
from bot.escalation import service as escalation
from bot.flows.schema import Playbook
from bot.staff.access import may_see_case
from bot.staff.roles import ROLES
from bot.tasks import service as tasks
from bot.tasks.models import TaskKind

SCREENS = {
    "note": ScreenName.NOTE,
    "closing": ScreenName.CLOSING,
    "reopening": ScreenName.REOPENING,
}
TEXT_LIMIT = 1000
# Photos added to a case after it was submitted are stored under this step id.
NOTES_STEP = "_notes"


def may_see(ctx: Ctx, case: Case) -> bool:
    """The rule of who may read a case, with the roles and holders of its tasks."""
    assert case.id is not None
    roles, pinged = escalation.involvement(ctx.session, case.id)
    for task in tasks.of_case(ctx.session, case.id):
        roles.add(task.role)
        if task.holder_id is not None:
            pinged.add(task.holder_id)
    return may_see_case(ctx.staff, case, notified_roles=roles, pinged=pinged)


def buttons(ctx: Ctx, case: Case) -> tuple[tuple[Button, ...], ...]:
    """What the reader of a case's record may do with it, as buttons under it."""
    assert case.id is not None
    tr = ctx.tr
    row: list[Button] = []
    if case.status in (CaseStatus.REPORTED, CaseStatus.IN_FOLLOW_UP, CaseStatus.CLOSED):
        row.append(Button(tr._("📝 Add a note"), CasePress(case.id, CasePress.NOTE).pack()))
    book = ctx.registry.get(case.playbook_id) if case.playbook_id in ctx.registry else None
    if followup.may_close(ctx.staff, case, book):
        if case.status in (CaseStatus.REPORTED, CaseStatus.IN_FOLLOW_UP):
            row.append(Button(tr._("✔ Close case"), CasePress(case.id, CasePress.CLOSE).pack()))
        elif case.status == CaseStatus.CLOSED:
            row.append(Button(tr._("↩ Reopen"), CasePress(case.id, CasePress.REOPEN).pack()))
    return (tuple(row),) if row else ()


def on_press(ctx: Ctx, press: CasePress) -> None:
    """A button under a case's record."""
    from bot.engine import current

    try:
        case = cases.get(ctx.session, press.case)
    except LookupError:
        case = None
    if case is None or case.site_id != ctx.staff.site_id or not may_see(ctx, case):
        ctx.notice = ctx.tr._("That button is not valid for you; nothing was changed.")
        current.show(ctx)
        return
    if press.op == CasePress.CLOSE:
        followup.ask_close(ctx, case, None)
    elif press.op == CasePress.NOTE and case.status in (
        CaseStatus.REPORTED,
        CaseStatus.IN_FOLLOW_UP,
        CaseStatus.CLOSED,
    ):
        begin(ctx, "note", case)
    elif (
        press.op == CasePress.REOPEN
        and case.status == CaseStatus.CLOSED
        and followup.may_close(ctx.staff, case, _book(ctx, case))
    ):
        begin(ctx, "reopening", case)
    else:
        ctx.say(ctx.tr._("That cannot be done with case {number} now.", number=case.number))
        current.show(ctx)


def _book(ctx: Ctx, case: Case) -> Playbook | None:
    return ctx.registry.get(case.playbook_id) if case.playbook_id in ctx.registry else None


def begin(ctx: Ctx, kind: str, case: Case) -> None:
    """Go on a side trip to ``case``; what was in hand waits."""
    from bot.engine import work

    earlier = ctx.conv.draft.get("return") if ctx.conv.screen in SCREENS.values() else None
    key = work.set_aside(ctx) or earlier
    conv = ctx.conv
    conv.screen = SCREENS[kind]
    conv.step_id, conv.path = None, []
    conv.draft = {"case": case.id, "return": key}
    show(ctx)


def _trip_case(ctx: Ctx) -> Case | None:
    case_id = ctx.conv.draft.get("case")
    if not isinstance(case_id, int):
        return None
    try:
        return cases.get(ctx.session, case_id)
    except LookupError:
        return None


def show(ctx: Ctx, *, again: bool = False) -> None:
    tr = ctx.tr
    case = _trip_case(ctx)
    if case is None:
        back(ctx, None)
        return
    screen_name = ctx.conv.screen
    if screen_name == ScreenName.NOTE:
        screen = Screen(
            text=tr._(
                "Type a note for case {number}, or send photos. Everyone who may see the case "
                "will read it on its timeline.",
                number=case.number,
            ),
            title=tr._("Note · {number}", number=case.number),
            expects="photo",
        )
        screen.row((tr._("✓ Done"), "side:done"))
    elif screen_name == ScreenName.CLOSING:
        lines = [
            tr._(
                "Close case {number}? Type a closing note (what was done, the outcome), or "
                "close it without one.",
                number=case.number,
            )
        ]
        assert case.id is not None
        live = [t for t in tasks.live_of_case(ctx.session, case.id) if t.kind == TaskKind.PART]
        if live:
            roles = tr.join([tr._(ROLES.get(t.role, t.role)) for t in live])
            lines.append(tr._("Still open: the part of the {roles}; closing ends it.", roles=roles))
        screen = Screen(
            text="\n\n".join(lines), title=tr._("Close case {number}", number=case.number)
        )
        screen.row((tr._("✔ Close without a note"), "side:close"))
        screen.row((tr._("← Not now"), "side:done"))
    else:
        screen = Screen(
            text=tr._(
                "Why is case {number} reopened? Type the reason in a few words.",
                number=case.number,
            ),
            title=tr._("Reopen case {number}", number=case.number),
        )
        screen.row((tr._("← Not now"), "side:done"))
    ctx.show(screen, again=again)


def back(ctx: Ctx, key: str | None) -> None:
    """The side trip is over: back to what was in hand before it, else the menu."""
    from bot.engine import menu, work

    key = key or ctx.conv.draft.get("return")
    ctx.conv.screen, ctx.conv.draft = ScreenName.MENU, {}
    if isinstance(key, str) and key:
        work.take_up(ctx, key)
    else:
        menu.home(ctx)


def _allowed(ctx: Ctx, case: Case) -> bool:
    """Whether the side trip on display may still be made (roles and the case change)."""
    screen = ctx.conv.screen
    if case.site_id != ctx.staff.site_id or not may_see(ctx, case):
        return False
    if screen == ScreenName.NOTE:
        return case.status in (CaseStatus.REPORTED, CaseStatus.IN_FOLLOW_UP, CaseStatus.CLOSED)
    allowed = followup.may_close(ctx.staff, case, _book(ctx, case))
    if screen == ScreenName.CLOSING:
        return allowed and case.status in (CaseStatus.REPORTED, CaseStatus.IN_FOLLOW_UP)
    return allowed and case.status == CaseStatus.CLOSED


def on_input(ctx: Ctx, incoming: Incoming) -> None:
    """What is sent on a side trip's screen: the note, the closing note, the reason."""
    tr = ctx.tr
    case = _trip_case(ctx)
    if case is None or not _allowed(ctx, case):
        ctx.say(tr._("That cannot be done with this case now."))
        back(ctx, None)
        return
    screen = ctx.conv.screen
    text = incoming.text.strip() if incoming.kind is Kind.TEXT else ""
    if screen == ScreenName.NOTE and incoming.kind is Kind.PHOTO:
        added = 0
        for photo in incoming.photos:
            stored = store_photo(ctx, NOTES_STEP, photo, case)
            if isinstance(stored, str):
                ctx.say(stored)
            else:
                added += 1
        if added:
            ctx.say(
                tr.n_(
                    "{n} photo added to case {number}.",
                    "{n} photos added to case {number}.",
                    added,
                    number=case.number,
                )
            )
        show(ctx, again=True)
        return
    if not text:
        ctx.say(tr._("Please type it, or use the buttons below."))
        show(ctx, again=True)
        return
    if len(text) > TEXT_LIMIT:
        ctx.say(tr._("That is too long: at most {limit} characters.", limit=TEXT_LIMIT))
        show(ctx, again=True)
        return
    if screen == ScreenName.NOTE:
        cases.add_event(
            ctx.session, case, "note", actor_id=ctx.staff_id, now=ctx.now, data={"text": text}
        )
        ctx.say(tr._("Note added to case {number}.", number=case.number))
    elif screen == ScreenName.CLOSING:
        followup.close(ctx, case, text)
    else:
        followup.reopen(ctx, case, text)
    back(ctx, None)


def on_action(ctx: Ctx, argument: str) -> None:
    """The side trip's buttons: done (or not now), close without a note."""
    case = _trip_case(ctx)
    if argument == "close" and ctx.conv.screen == ScreenName.CLOSING and case is not None:
        if _allowed(ctx, case):
            followup.close(ctx, case, None)
        else:
            ctx.say(ctx.tr._("That cannot be done with this case now."))
    back(ctx, None)
