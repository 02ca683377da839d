"""Every shipped playbook, every branch: paths are generated from the playbooks themselves.

For each playbook the branching steps (those a ``when`` of a step or an action reads) are tried
with each value that can change a condition, and the site settings a playbook declares with each
value that matters. That gives the distinct paths: the sequence of steps shown plus the actions
that fire. A greedy cover then picks the fewest paths that together show every step, fire every
action and take every branch value at least once (at most ``MAX_PATHS`` per playbook), and each is
driven through the engine like a person would: picker → every step with valid input → review →
confirm. The case must end completed with an answer stored for exactly the steps of the path and
the actions the path predicts on its timeline.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.cases import service as cases
from bot.cases.models import CaseStatus
from bot.engine.incoming import Incoming
from bot.flows.conditions import (
    AnswerCondition,
    SettingRef,
    answer_conditions,
    evaluate,
    setting_conditions,
)
from bot.flows.groups import GROUPS as PLAYBOOK_GROUPS
from bot.flows.registry import SHIPPED_DIR, Registry
from bot.flows.schema import REPORTER, Playbook
from bot.sites import service as sites
from bot.tasks import service as tasks
from tests import support
from tests.support import Chat, World, png

MAX_PATHS = 10  # walked per playbook; the cover of every step, action and branch value needs fewer
MAX_LEAVES = 20_000  # paths enumerated per settings combination before giving up
NUMBER_SETTING = 100  # the value tried for a number setting
SKIP = "<skip>"
GROUPS = {"security": "Security", "hotel": "Hotel emergencies", "complaints": "Complaints"}

SHIPPED = Registry(
    {pid: pb for pid, pb in support.playbooks().playbooks.items() if pb.path.parent == SHIPPED_DIR}
)


@dataclass
class Path:
    book: str
    settings: dict[str, Any]
    answers: list[tuple[str, Any]]  # (step id, value or SKIP) in the order they are asked
    actions: frozenset[str]  # "step#index" of every action that fires
    features: frozenset[str] = field(default_factory=frozenset)  # steps, actions, branch values
    extra: frozenset[str] = field(default_factory=frozenset)  # value pairs and settings

    @property
    def steps(self) -> tuple[str, ...]:
        return tuple(step_id for step_id, _ in self.answers)


# --- what the conditions read ------------------------------------------------------------------


def _conditions(book: Playbook) -> Iterator[Any]:
    for step in book.steps:
        if step.when is not None:
            yield step.when
        for action in step.actions:
            if action.when is not None:
                yield action.when


def _read(book: Playbook) -> dict[str, list[AnswerCondition]]:
    found: dict[str, list[AnswerCondition]] = {}
    for cond in _conditions(book):
        for sub in answer_conditions(cond):
            found.setdefault(sub.answer, []).append(sub)
    return found


# --- values to try ------------------------------------------------------------------------------


def _number(step: Any, value: float) -> float | None:
    if step.min is not None and value < step.min:
        return None
    if step.max is not None and value > step.max:
        return None
    return int(value) if step.integer or float(value).is_integer() else value


def _default(step: Any) -> Any:
    """A valid answer for a step no condition reads."""
    if step.kind == "checklist":
        return [option.id for option in step.options]
    if step.kind == "choice":
        return step.options[0].id
    if step.kind == "yesno":
        return True
    if step.kind == "number":
        low = step.min if step.min is not None else 0
        return _number(step, low + 1) if _number(step, low + 1) is not None else _number(step, low)
    if step.kind in ("photos", "people"):
        return max(step.min, 1)
    return "x"  # instruction, text, datetime, location: the driver supplies the input


def _candidates(step: Any, conds: list[AnswerCondition]) -> list[Any]:
    if not conds:
        return [_default(step)]
    values: list[Any] = []
    if step.kind == "yesno":
        values = [True, False]
    elif step.kind == "choice":
        values = [option.id for option in step.options]
    elif step.kind == "checklist":
        ids = [option.id for option in step.options]
        wanted = [c.contains for c in conds if c.contains is not None]
        values = [ids]
        if step.min_selected <= 1:
            values += [[o] for o in ids if o in wanted]
            plain = [o for o in ids if o not in wanted]
            values.append(plain[:1] if step.min_selected else [])
    elif step.kind == "number":
        numbers: set[float] = set()
        for cond in conds:
            for bound in (cond.gte, cond.gt, cond.lte, cond.lt, cond.equals):
                if isinstance(bound, SettingRef):
                    bound = NUMBER_SETTING
                if isinstance(bound, int | float) and not isinstance(bound, bool):
                    numbers.update({bound - 1, bound, bound + 1})
        values = [v for v in (_number(step, n) for n in sorted(numbers)) if v is not None]
        values = values or [_default(step)]
    elif step.kind in ("photos", "people"):
        # 0: a people step's explicit "nobody" answer.
        low = 0 if getattr(step, "none_option", None) else max(step.min, 1)
        counts = {max(step.min, 1)}
        for cond in conds:
            if cond.count_gte is not None:
                counts.update({cond.count_gte - 1, cond.count_gte})
        values = sorted(c for c in counts if low <= c <= step.max)
    else:
        values = [_default(step)]
    if not step.required and any(c.answered is not None for c in conds):
        values.append(SKIP)
    unique: list[Any] = []
    for value in values:
        if value not in unique:
            unique.append(value)
    return unique


def _setting_values(book: Playbook) -> list[dict[str, Any]]:
    choices: list[list[tuple[str, Any]]] = []
    for name, spec in book.settings.items():
        if spec.type == "boolean":
            options: list[Any] = [None, True, False]
        elif spec.type == "number":
            options = [None, NUMBER_SETTING]
        else:
            options = [None]
            for cond in _conditions(book):
                for sub in setting_conditions(cond):
                    if sub.setting == name and sub.equals is not None:
                        options.append(sub.equals)
        choices.append([(name, value) for value in dict.fromkeys(options)])
    combos = []
    for combo in itertools.product(*choices):
        combos.append({name: value for name, value in combo if value is not None})
    return combos


# --- enumeration --------------------------------------------------------------------------------


def _as_answer(step: Any, value: Any) -> Any:
    """The answer as conditions see it: photos and people are lists, a skip is None."""
    if value == SKIP:
        return None
    if step.kind in ("photos", "people"):
        return [{}] * value
    return value


def _fired(step: Any, before: dict[str, Any], after: dict[str, Any], settings: dict) -> set[str]:
    answers = before if step.actions_on == "enter" else after
    return {
        f"{step.id}#{index}"
        for index, action in enumerate(step.actions)
        if evaluate(action.when, answers, settings)
    }


def enumerate_paths(book: Playbook) -> list[Path]:
    """Every distinct path: the steps shown and the actions fired, deduplicated."""
    reads = _read(book)
    steps = list(book.steps)
    found: dict[tuple[Any, ...], Path] = {}
    for settings in _setting_values(book):
        leaves = 0

        def walk(position: int, answers: dict, trail: list, fired: frozenset, s=settings) -> None:
            nonlocal leaves
            if leaves >= MAX_LEAVES:
                return
            index = next(
                (i for i in range(position, len(steps)) if evaluate(steps[i].when, answers, s)),
                None,
            )
            if index is None:
                leaves += 1
                key = (tuple(step_id for step_id, _ in trail), fired)
                values = frozenset(f"{sid}={v!r}" for sid, v in trail if sid in reads)
                features = frozenset(key[0]) | fired | values
                ordered = sorted(values)
                extra = {f"{a} & {b}" for a, b in itertools.combinations(ordered, 2)}
                extra |= {f"setting {name}={value!r}" for name, value in s.items()}
                if key not in found:
                    found[key] = Path(book.id, dict(s), list(trail), fired, features)
                path = found[key]  # the same path reached with other values: more features
                path.features |= values
                path.extra |= extra
                return
            step = steps[index]
            for value in _candidates(step, reads.get(step.id, [])):
                after = {**answers, step.id: _as_answer(step, value)}
                more = _fired(step, answers, after, s)
                walk(index + 1, after, [*trail, (step.id, value)], fired | more)

        walk(0, {}, [], frozenset())
    return list(found.values())


def _cost(path: Path) -> int:
    return len(path.answers) + len(path.settings)


def choose_paths(paths: list[Path]) -> list[Path]:
    """All paths when there are few, else a greedy cover of every step, action and branch value
    (cheapest paths first on ties)."""
    if len(paths) <= MAX_PATHS:
        return list(paths)
    needed = frozenset().union(*(path.features for path in paths))
    chosen: list[Path] = []
    covered: frozenset[str] = frozenset()
    while covered != needed and len(chosen) < MAX_PATHS:
        best = max(paths, key=lambda p: (len(p.features - covered), -_cost(p)))
        chosen.append(best)
        covered |= best.features
    # Room left: add the paths that try the most new pairs of branch values and settings.
    seen = frozenset().union(*(path.extra for path in chosen)) if chosen else frozenset()
    while len(chosen) < MAX_PATHS:
        best = max(paths, key=lambda p: (len(p.extra - seen), -_cost(p)))
        if not best.extra - seen:
            break
        chosen.append(best)
        seen |= best.extra
    return chosen


ALL_PATHS = {book.id: enumerate_paths(book) for book in SHIPPED.all()}
CHOSEN = {book_id: choose_paths(paths) for book_id, paths in ALL_PATHS.items()}
CASES = [(book_id, n) for book_id, paths in sorted(CHOSEN.items()) for n in range(len(paths))]


def test_the_chosen_paths_cover_every_step_action_and_branch() -> None:
    assert set(GROUPS) >= {book.group for book in SHIPPED.all()}
    for book in SHIPPED.all():
        chosen = CHOSEN[book.id]
        every = frozenset().union(*(path.features for path in ALL_PATHS[book.id]))
        covered = frozenset().union(*(path.features for path in chosen))
        assert covered == every, f"{book.id}: {MAX_PATHS} paths leave {sorted(every - covered)}"
        steps_seen = {step_id for path in chosen for step_id in path.steps}
        assert steps_seen == {step.id for step in book.steps}, book.id
        actions = {f"{s.id}#{i}" for s in book.steps for i in range(len(s.actions))}
        assert actions <= covered, f"{book.id}: actions never fired {sorted(actions - covered)}"


# --- driving the engine ---------------------------------------------------------------------------


async def tap(chat: Chat, label: str) -> None:
    """Press the button whose label is exactly ``label`` on the latest screen."""
    for message in reversed(chat.last):
        for row in message.buttons:
            for button in row:
                if button.label == label:
                    chat.last = await chat.engine.handle(Incoming.press(chat.user, button.token))
                    return
    raise AssertionError(f"no button {label!r} in {chat.labels()}")


async def answer(chat: Chat, step: Any, value: Any) -> None:
    en = step.text["en"]
    assert en in chat.question.text, f"expected step {step.id!r}, got:\n{chat.question.text}"
    if value == SKIP:
        await tap(chat, "Skip")
    elif step.kind == "instruction":
        await tap(chat, "✓ Done")
    elif step.kind == "yesno":
        await tap(chat, "Yes" if value else "No")
    elif step.kind == "choice":
        await tap(chat, next(o.en for o in step.options if o.id == value))
    elif step.kind == "checklist":
        for option in step.options:
            if option.id in value:
                await tap(chat, f"☐ {option.en}")
        await tap(chat, "✓ Done")
    elif step.kind == "text":
        await chat.say(f"{step.id} answer"[: step.max_length])
    elif step.kind == "number":
        await chat.say(str(value))
    elif step.kind == "datetime":
        await tap(chat, "🕒 Now")
    elif step.kind == "location":
        await chat.place(31.2304, 121.4737)
    elif step.kind == "photos":
        await chat.photo(*(png(n) for n in range(value)))
        if value < step.max:
            await tap(chat, "✓ Done")
    elif step.kind == "people" and value == 0:
        await tap(chat, step.none_option["en"])
    elif step.kind == "people":
        for person in range(value):
            if person:
                await tap(chat, "➕ Add another")
            for number, person_field in enumerate(step.fields):
                if number < 2:
                    await chat.say(f"{person_field.id} {person + 1}")
                else:
                    await tap(chat, "Skip this detail")
        if value < step.max:
            await tap(chat, "✓ Done")
    else:  # pragma: no cover - a new step kind needs a line here
        raise AssertionError(f"no input for step kind {step.kind}")


def stored(step: Any, value: Any) -> Any:
    """What the engine keeps for the input ``answer`` gave."""
    if step.kind in ("yesno", "choice", "number"):
        return value
    if step.kind == "checklist":
        return [option.id for option in step.options if option.id in value]
    if step.kind == "instruction":
        return True
    if step.kind == "text":
        return f"{step.id} answer"[: step.max_length]
    if step.kind in ("photos", "people"):
        return value  # compared by count
    return ...  # datetime and location: any value


async def follow_up(
    world: World, book: Playbook, case: Any, answers: dict[str, Any]
) -> Chat | None:
    """Every stage of the case's follow-up, in turn: a holder of its role (one person per role)
    takes the task from /tasks and answers its steps from ``answers`` (a step not in it gets
    the default input). The chat of the last holder; None when there was no stage."""
    holders: dict[str, Chat] = {}
    holder = None
    while True:
        with world.db.transaction() as session:
            assert case.id is not None
            live = [t for t in tasks.live_of_case(session, case.id) if t.kind == "part"]
        if not live:
            return holder
        [task] = live
        if task.role not in holders:
            telegram_id = 7000 + len(holders)
            await support.add_staff(world, telegram_id, f"Holder {len(holders)}", task.role)
            holders[task.role] = world.chat(telegram_id)
        holder = holders[task.role]
        await holder.say("/tasks")
        await holder.press(f"▶ 1. {case.number}")
        assert task.stage is not None
        mine = book.stages[task.stage].steps
        while holder.question.title != "Review":
            step = next(
                s for s in book.steps if s.id in mine and s.text["en"] in holder.question.text
            )
            await answer(holder, step, answers.get(step.id, _default(step)))
        await tap(holder, "✓ Confirm")
        assert "is recorded" in holder.text


@pytest.mark.parametrize(
    ("book_id", "number"), CASES, ids=[f"{book_id}-{n}" for book_id, n in CASES]
)
async def test_path(world: World, book_id: str, number: int) -> None:
    book = SHIPPED.get(book_id)
    path = CHOSEN[book_id][number]
    if path.settings:
        with world.db.transaction() as session:
            assert world.site_id is not None
            site = sites.get(session, world.site_id)
            for name, value in path.settings.items():
                sites.set_setting(session, site, name, value)

    chat = world.chat()
    await chat.say("/start")
    await tap(chat, "📝 Report an incident")
    await tap(chat, f"{PLAYBOOK_GROUPS[book.group].icon} {GROUPS[book.group]}")
    await tap(chat, book.title["en"])
    assert "opened" in chat.text
    for step_id, value in path.answers:
        if book.owner(step_id) == REPORTER:
            await answer(chat, book.step(step_id), value)
    assert chat.question.title == "Review", chat.question.text
    await tap(chat, "✓ Confirm")
    assert "is recorded" in chat.text

    # The follow-up, stage by stage: a holder of each stage's role takes its task.
    with world.db.transaction() as session:
        assert world.guard.id is not None
        [case] = cases.by_reporter(session, world.guard.id, limit=1)
        assert case.status == CaseStatus.REPORTED
    holder = await follow_up(world, book, case, dict(path.answers))
    closes = holder is not None and "✔ Close without a note" in holder.labels()
    if closes:  # the last holder's role closes the case: asked at once
        assert holder is not None
        await tap(holder, "✔ Close without a note")
        assert f"Case {case.number} is closed." in holder.text
    parts = holder is not None

    with world.db.transaction() as session:
        case_id = case.id
        assert case_id is not None and case.playbook_id == book_id
        case = cases.get(session, case_id)
        expected = (
            CaseStatus.CLOSED
            if closes
            else CaseStatus.IN_FOLLOW_UP
            if parts
            else CaseStatus.REPORTED
        )
        assert case.status == expected
        rows = cases.current_answers(session, case_id)
        events = cases.timeline(session, case_id)
    assert set(rows) == set(path.steps)
    for step_id, value in path.answers:
        row, step = rows[step_id], book.step(step_id)
        if value == SKIP:
            assert row.skipped and row.value is None, step_id
            continue
        assert not row.skipped, step_id
        expected = stored(step, value)
        if step.kind in ("photos", "people"):
            assert len(row.value) == expected, step_id
        elif expected is not ...:
            assert row.value == expected, step_id
        else:
            assert row.value, step_id
    fired = {event.data["key"] for event in events if event.kind == "action"}
    assert fired == set(path.actions)
