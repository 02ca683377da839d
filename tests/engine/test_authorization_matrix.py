"""Who may do what, as a matrix generated from the router: every command it knows, every kind of
press, every screen action, sent by every role of the case's site, every role of another site, a
revoked member and a stranger.

What must hold:

* someone of another site sees nothing of the case's site: no case number, name, answer, site
  name, request or invite of it in any answer (text, title, buttons, toast);
* a revoked member gets no answer at all, whatever they send (their old invite included);
* a stranger gets only the fixed stranger sentences, without buttons;
* nobody but an administrator reaches an administrator's action, and none of them changes
  anything: the ping stays unacknowledged, the request pending, the invite valid, the report in
  progress where it was.

A command, press kind or screen action added to the router is in the matrix without a change
here; the samples below only say which arguments an action is tried with.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.cases.models import Case, CaseCounter
from bot.conversations import service as conversations
from bot.delivery.models import Delivery
from bot.engine import callbacks, commands, manager_chat
from bot.engine.callbacks import CallbackData, ListPress, RecordPress, ScreenPress
from bot.engine.incoming import Incoming, UserRef
from bot.engine.outgoing import Outgoing
from bot.engine.routes import ROUTER
from bot.escalation.models import Alert, AlertStatus
from bot.i18n import Catalogs
from bot.sites import service as sites
from bot.staff import invites, request_links, requests
from bot.staff import service as staff_service
from bot.staff.access import MANAGERS
from bot.staff.roles import ROLES
from tests.support import World, add_staff

# The case's site (the world's "HQ Hotel") numbers its cases from 2611-041 on, so that no case
# another site opens during the matrix (2611-001 …) can be taken for one of them.
FIRST_SERIAL = 41
ADMIN_ONLY = "That is for administrators only."
NOT_YOURS = "That button is not valid for you; nothing was changed."
STRANGER_ID = 9999


@dataclass
class Scene:
    """The case's site with a reported case, a ping, a report in progress, a pending request and
    an outstanding invite; another site with one member per role; a revoked admin."""

    world: World
    b_site: int
    case_id: int
    alert_id: int
    request_id: int
    invite_id: int
    old_code: str  # an invite the revoked admin made before they were revoked
    ask_payload: str  # the case's site's request link
    ping: Delivery
    reporter_screen: list[str]  # tokens of the reporter's current question
    reporter_nonce: int
    # Texts of the case's site that nobody of another site, and no stranger, may see.
    secrets: list[str] = field(default_factory=list)
    people: dict[str, UserRef] = field(default_factory=dict)


async def build(world: World) -> Scene:
    with world.db.transaction() as session:
        assert world.site.id is not None
        session.add(CaseCounter(site_id=world.site.id, period="2611", last=FIRST_SERIAL - 1))
        b = sites.create(
            session, code="b", name="B Tower", timezone="Asia/Shanghai", locale="en",
            now=world.clock.now(),
        )  # fmt: skip
        assert b.id is not None
    chief = await add_staff(world, 2001, "Zhou Hui", "security_chief")
    admin_a = await add_staff(world, 2005, "Admin Ma", "admin")
    revoked = await add_staff(world, 2009, "Fan Gone", "admin")
    people: dict[str, UserRef] = {}
    for n, role in enumerate(ROLES):
        if role != "admin":  # the case's site's own administrator is allowed everything
            await add_staff(world, 4000 + n, f"Here {role}", role)
            people[f"here:{role}"] = UserRef(4000 + n, f"Here {role}", "en")
        await add_staff(world, 3000 + n, f"B {role}", role, site_id=b.id)
        people[f"other:{role}"] = UserRef(3000 + n, f"B {role}", "en")
    people["revoked"] = UserRef(2009, "Fan Gone", "en")
    people["stranger"] = UserRef(STRANGER_ID, "Mallory", "en", "mallory")

    # The guard reports a theft: case 2611-041, a ping to the chief.
    guard = world.chat(language="en")
    for say in ("/start", "test alarm"):
        await guard.say(say)
    await guard.press("Test alarm")
    await guard.press("Theft")
    await guard.say("Lobby 3F, room 8808")
    await guard.press("Skip")
    await guard.press("Confirm")
    assert "2611-041" in guard.text
    # … and starts another report (2611-042), left at its first question.
    await guard.say("test alarm")
    await guard.press("Test alarm")
    assert "What happened?" in guard.text
    screen = [b.token for row in guard.question.buttons for b in row]

    stranger = world.chat(telegram_id=8888, language="en")
    stranger.user = UserRef(8888, "Qian Secret", "en", "qiansecret")
    with world.db.transaction() as session:
        ask = request_links.payload(
            request_links.of_site(session, world.site.id, world.clock.now())
        )
    await stranger.say(f"/start {ask}")
    assert "passed to the administrators" in stranger.text

    with world.db.transaction() as session:
        invite_code, invite = invites.create(
            session, role="admin", site_id=world.site.id, created_by=admin_a.id,
            valid_for=timedelta(days=2), now=world.clock.now(),
        )  # fmt: skip
        old_code, _ = invites.create(
            session, role="admin", site_id=world.site.id, created_by=revoked.id,
            valid_for=timedelta(days=2), now=world.clock.now(),
        )  # fmt: skip
        assert revoked.id is not None
        staff_service.revoke(session, revoked.id, world.clock.now())
        ping = session.exec(
            select(Delivery).where(Delivery.staff_id == chief.id, Delivery.kind == "ping")
        ).one()
        alert = session.exec(select(Alert)).one()
        [request] = requests.pending(session, world.site.id)
        case = session.exec(select(Case).where(Case.number == "2611-041")).one()
        conv = conversations.lock(session, world.guard.id, world.clock.now())  # type: ignore[arg-type]
    assert invite.id and alert.id and request.id and case.id
    secrets = [
        "2611-041", "2611-042", "HQ Hotel", "Li Wei", "Zhou Hui", "Admin Ma", "Fan Gone",
        "room 8808", "Qian Secret", "qiansecret", "8888", invite_code, old_code, ask,
    ]  # fmt: skip
    return Scene(
        world=world,
        b_site=b.id,
        case_id=case.id,
        alert_id=alert.id,
        request_id=request.id,
        invite_id=invite.id,
        old_code=old_code,
        ask_payload=ask,
        ping=ping,
        reporter_screen=screen,
        reporter_nonce=conv.nonce,
        secrets=secrets,
        people=people,
    )


# --- the events, generated from the router ------------------------------------------------------


@dataclass(frozen=True)
class Event:
    label: str
    # A command or text typed, or a press's token; or a screen action pressed in the sender's own
    # conversation (as though a screen had shown it to them).
    typed: str | None = None
    token: str | None = None
    action: str | None = None
    group: bool = False


def command_events(scene: Scene) -> Iterator[Event]:
    for name in sorted(ROUTER.commands):
        for args in ("", "2611-041", "guard", scene.old_code):
            typed = f"/{name} {args}".strip()
            yield Event(f"command {typed}", typed=typed)


def press_token(kind: type[CallbackData], scene: Scene, *, genuine: bool) -> str:
    """A token of ``kind`` naming the ping's delivery, with its real secret or a forged one."""
    values: list[object] = []
    for spec in fields(kind):
        if spec.type in (int, "int"):
            values.append(scene.ping.id)
        else:
            values.append(scene.ping.secret if genuine else "forged0secret")
    return kind(*values).pack()  # type: ignore[arg-type]


def press_events(scene: Scene) -> Iterator[Event]:
    # Buttons of someone else's conversation: the reporter's current question, and one stale.
    for index, token in enumerate(scene.reporter_screen):
        yield Event(f"the reporter's button {index}", token=token)
    conv_id = callbacks.unpack(scene.reporter_screen[0]).conversation  # type: ignore[union-attr]
    stale = ScreenPress(conv_id, scene.reporter_nonce - 1, 0).pack()
    yield Event("the reporter's stale button", token=stale)
    # Every other kind of press, with the ping's delivery (the chief's), genuine and forged, in a
    # private chat and from a group.
    for kind in callbacks.KINDS.values():
        if kind is ScreenPress:
            continue
        for genuine in (True, False):
            token = press_token(kind, scene, genuine=genuine)
            for group in (False, True):
                where = "group" if group else "private"
                yield Event(f"{kind.__name__} {token} ({where})", token=token, group=group)
    yield Event("a garbled press", token="x:1.2")


def action_samples(scene: Scene) -> dict[str, list[str]]:
    """Arguments worth trying for the actions that name a row or a role; others get generic ones."""
    rid, iid = scene.request_id, scene.invite_id
    return {
        "admin": ["admin:home", "admin:invite", "admin:requests", "admin:invites", "admin:link"],
        "inv": ["inv:admin", "inv:guard"],
        "invx": [f"invx:{iid}"],
        "req": [f"req:{rid}", f"req:{rid}:no", f"req:{rid}:as:admin", f"req:{rid}:as:guard"],
        "pb": ["pb:alarm", "pb:nothing"],
        "lang": ["lang:en"],
    }


def action_events(scene: Scene) -> Iterator[Event]:
    samples = action_samples(scene)
    for kind in sorted(ROUTER.actions):
        for action in samples.get(kind, [kind, f"{kind}:{scene.case_id}", f"{kind}:yes"]):
            yield Event(f"action {action}", action=action)


def admin_actions() -> set[str]:
    """The screen action kinds only administrators may use (the administrators' handler's)."""
    handler = ROUTER.actions["admin"].handler
    return {kind for kind, route in ROUTER.actions.items() if route.handler is handler}


def all_events(scene: Scene) -> list[Event]:
    return [
        *command_events(scene),
        *press_events(scene),
        *action_events(scene),
        Event("typing the case number", typed="2611-041"),
        Event("opening the site's request link", typed=f"/start {scene.ask_payload}"),
    ]


SITE_MANAGERS = {f"here:{role}" for role in MANAGERS}


def managers_ask(event: Event) -> bool:
    """A managers' list, record or export: a command, a list's press, the menu's list button."""
    if event.typed is not None and event.typed.startswith("/"):
        return event.typed[1:].split()[0] in manager_chat.COMMANDS
    if event.token is not None:
        return isinstance(callbacks.unpack(event.token), ListPress | RecordPress)
    return event.action is not None and event.action.split(":")[0] == "mgr"


def admin_only(event: Event) -> bool:
    if event.typed is not None and event.typed.startswith("/"):
        return event.typed[1:].split()[0] in dict(commands.ADMINS)
    return event.action is not None and event.action.split(":")[0] in admin_actions()


# --- sending -------------------------------------------------------------------------------------


async def send(scene: Scene, user: UserRef, event: Event) -> list[Outgoing]:
    world = scene.world
    if event.action is not None:
        with world.db.transaction() as session:
            member = staff_service.by_telegram_id(session, user.telegram_id)
            if member is None or member.id is None:
                return []  # a stranger has no conversation to hold a screen
            conv = conversations.lock(session, member.id, world.clock.now())
            conv.buttons, conv.nonce = [event.action], conv.nonce + 1
            conversations.save(session, conv)
            token = ScreenPress(conv.id or 0, conv.nonce, 0).pack()
        return await world.engine.handle(Incoming.press(user, token))
    if event.token is not None:
        where = {"private": False, "chat_id": -100} if event.group else {}
        return await world.engine.handle(Incoming.press(user, event.token, **where))  # type: ignore[arg-type]
    assert event.typed is not None
    return await world.engine.handle(Incoming.message(user, event.typed))


def visible(out: list[Outgoing]) -> str:
    """Everything the person is shown: texts, titles, button labels, toasts."""
    parts: list[str] = []
    for message in out:
        parts += [message.text, message.title or "", message.notice or ""]
        parts += message.button_labels()
    return "\n".join(parts)


def stranger_sentences() -> list[re.Pattern[str]]:
    """The fixed sentences a stranger may get (the time of "try again" varies)."""
    tr = Catalogs().translator("en", "Asia/Shanghai")
    fixed = [
        tr._(
            "Hello! This bot is for registered security and hotel staff only. Please ask your "
            "administrator for an invite link, or your site for its request link."
        ),
        tr._(
            "This invite link cannot be used: it was used already, it has expired or it is "
            "incomplete. Please ask your administrator for a new one."
        ),
        tr._(
            "To ask for access, open your site's request link: your supervisor or the security "
            "office can give it to you. Or ask your administrator for an invite link."
        ),
        tr._(
            "This request link cannot be used: it was replaced or it is incomplete. Please ask "
            "your site for its current link."
        ),
        tr._(
            "Thank you. Your request has been passed to the administrators; they will contact you."
        ),
        tr._("Your request is already with the administrators. Thank you for waiting."),
    ]
    patterns = [re.compile(re.escape(text)) for text in fixed]
    later = re.escape(tr._("Too many attempts. Please try again at {time}.")).replace(
        re.escape("{time}"), r"\d{1,2}:\d{2}\s?[AP]M"
    )
    return [*patterns, re.compile(later)]


# --- the matrix ----------------------------------------------------------------------------------


def actors(group: str) -> list[str]:
    names = [f"{group}:{role}" for role in ROLES]
    return [name for name in names if name != "here:admin"]


@pytest.fixture
async def scene(world: World) -> Scene:
    return await build(world)


async def test_another_sites_staff_see_nothing_of_the_case_and_change_nothing(
    scene: Scene,
) -> None:
    problems: list[str] = []
    for who in actors("other"):
        user = scene.people[who]
        for event in all_events(scene):
            shown = visible(await send(scene, user, event))
            sent = event.typed or event.action or event.token or ""
            leaked = [s for s in scene.secrets if s in shown and s not in sent]
            if leaked:
                problems.append(f"{who} · {event.label}: shows {leaked}: {shown[:200]!r}")
            if admin_only(event) and who != "other:admin" and ADMIN_ONLY not in shown:
                problems.append(f"{who} · {event.label}: reached an admin action: {shown[:200]!r}")
    assert problems == []
    await assert_nothing_changed(scene)


async def test_the_sites_own_staff_reach_no_admin_action_nor_anyone_elses_press(
    scene: Scene,
) -> None:
    problems: list[str] = []
    for who in actors("here"):
        user = scene.people[who]
        for event in all_events(scene):
            out = await send(scene, user, event)
            shown = visible(out)
            if admin_only(event) and ADMIN_ONLY not in shown:
                problems.append(f"{who} · {event.label}: reached an admin action: {shown[:200]!r}")
            # The reporter's report in progress is nobody else's, but the site's managers see
            # it in their lists (may_see_case: every case of their site).
            if "2611-042" in shown and not (who in SITE_MANAGERS and managers_ask(event)):
                problems.append(f"{who} · {event.label}: shows the report in progress")
            pinged_press = event.token is not None and event.token[:2] in ("a:", "o:")
            if pinged_press and not event.group and NOT_YOURS not in shown:
                problems.append(f"{who} · {event.label}: used the chief's ping: {shown[:200]!r}")
    assert problems == []
    await assert_nothing_changed(scene)


async def test_a_revoked_member_gets_no_answer_at_all(scene: Scene) -> None:
    user = scene.people["revoked"]
    events = [
        *all_events(scene),
        Event("their own old invite", typed=f"/start {scene.old_code}"),
        Event("a photo-less text", typed="hello"),
    ]
    answered = [event.label for event in events if await send(scene, user, event)]
    assert answered == []
    with scene.world.db.transaction() as session:
        member = staff_service.by_telegram_id(session, user.telegram_id)
        assert member is not None and not member.active
    await assert_nothing_changed(scene)


async def test_a_stranger_gets_only_the_fixed_sentences(scene: Scene) -> None:
    user = scene.people["stranger"]
    allowed = stranger_sentences()
    problems: list[str] = []
    for event in all_events(scene):
        out = await send(scene, user, event)
        if event.action is not None:
            continue  # nothing to press: a stranger has no screen
        if event.group:
            if out:
                problems.append(f"{event.label}: answered in a group: {visible(out)[:200]!r}")
            continue
        for message in out:
            text = message.text
            if message.buttons or message.title or message.photos or message.place:
                problems.append(f"{event.label}: more than a sentence: {message!r}")
            if not any(pattern.fullmatch(text) for pattern in allowed):
                problems.append(f"{event.label}: {text[:200]!r}")
        if len(out) != 1:
            problems.append(f"{event.label}: {len(out)} answers")
    assert problems == []
    with scene.world.db.transaction() as session:
        assert staff_service.by_telegram_id(session, user.telegram_id) is None
        # Their request (through the link) went to the case's site, and to nobody else's list.
        assert requests.pending(session, scene.b_site) == []
    await assert_nothing_changed(scene)


def test_the_matrix_covers_every_command_press_and_action(world: World) -> None:
    """The events come from the router: a new command, press kind or action is in them."""
    fake = Scene(
        world=world, b_site=2, case_id=1, alert_id=1, request_id=1, invite_id=1,
        old_code="c", ask_payload="ask_x",
        ping=Delivery.model_construct(id=7, secret="s3cret"),
        reporter_screen=[ScreenPress(5, 3, 0).pack()], reporter_nonce=3,
    )  # fmt: skip
    events = all_events(fake)
    typed = {e.typed.split()[0][1:] for e in events if e.typed and e.typed.startswith("/")}
    assert typed >= set(ROUTER.commands)
    pressed = {type(callbacks.unpack(e.token)) for e in events if e.token and e.token != "x:1.2"}
    assert pressed == set(callbacks.KINDS.values())
    acted = {e.action.split(":")[0] for e in events if e.action}
    assert acted == set(ROUTER.actions)
    assert admin_actions() >= {"admin", "inv", "invx", "req"}
    assert set(action_samples(fake)) >= admin_actions()  # each admin action tried with a real row


async def assert_nothing_changed(scene: Scene) -> None:
    """The case's site is as the scene left it: whatever was sent changed nothing of it."""
    world = scene.world
    with world.db.transaction() as session:
        alert = session.get(Alert, scene.alert_id)
        assert alert is not None and alert.status == AlertStatus.OPEN
        assert alert.acknowledged_by is None
        request = requests.get(session, scene.request_id)
        assert request is not None and request.status == requests.PENDING
        invite = invites.get(session, scene.invite_id)
        assert invite is not None and invites.is_outstanding(session, invite, world.clock.now())
        conv = conversations.lock(session, world.guard.id, world.clock.now())  # type: ignore[arg-type]
        assert conv.nonce == scene.reporter_nonce
        here = staff_service.active_at_site(session, world.site.id)  # type: ignore[arg-type]
        assert [m.name for m in here if "admin" in m.roles] == ["Admin Ma"]
        cases = session.exec(
            select(Case).where(Case.site_id == world.site.id).order_by(col(Case.id))
        ).all()
        assert [(c.number, c.status) for c in cases][:2] == [
            ("2611-041", "reported"),
            ("2611-042", "in_progress"),
        ]
