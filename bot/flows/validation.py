"""Checks across steps: references, kinds, roles, translations and reachability."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from bot.engine.steps.base import StepBase
from bot.flows.conditions import (
    Condition,
    SettingRef,
    answer_conditions,
    answer_refs,
    evaluate,
    leaves,
    setting_conditions,
    setting_refs,
)
from bot.flows.loader import LoadedPlaybook, Problem
from bot.flows.schema import LANGS, REPORTER, DeadlineAction, NotifyAction, Playbook
from bot.staff.roles import ROLES

_MISSING = object()
_MAX_COMBINATIONS = 50_000  # per step; a step with more is not checked for reachability
# The whole playbook's reachability work (combinations times the comparisons each evaluates):
# a fifth of a second or so, so that no file can make ``flows check`` or start-up hang. The
# shipped playbooks need 3% of it at most; steps beyond it are not checked, as above.
_MAX_WORK = 1_000_000


def check_playbook(loaded: LoadedPlaybook) -> list[Problem]:
    book, file = loaded.playbook, str(loaded.path)
    found: list[Problem] = []

    def add(loc: tuple[Any, ...], field: str, message: str, severity: str = "error") -> None:
        found.append(Problem(file, loaded.lines.line_of(loc), field, message, severity))

    if loaded.path.stem != book.id:
        add(("id",), "id", f"the file should be named after the id: {book.id}.yaml")
    _check_ids(book, add)
    _check_references(book, add)
    _check_owners(book, add)
    _check_kinds(book, add)
    _check_translations(book, add)
    _check_sources(book, add)
    if not any(issue.severity == "error" for issue in found):
        _check_reachability(book, add)
    return found


def _check_ids(book: Playbook, add: Any) -> None:
    seen: dict[str, int] = {}
    sections = {section.id for section in book.sections}
    for index, step in enumerate(book.steps):
        if step.id in seen:
            add(("steps", index, "id"), f"steps[{index}].id", f"duplicate step id {step.id!r}")
        seen[step.id] = index
        if step.section is not None and step.section not in sections:
            add(
                ("steps", index, "section"),
                f"steps[{index}:{step.id}].section",
                f"unknown section {step.section!r}",
            )


def _conditions(book: Playbook) -> Iterator[tuple[tuple[Any, ...], str, int, Any]]:
    for index, step in enumerate(book.steps):
        if step.when is not None:
            yield ("steps", index, "when"), f"steps[{index}:{step.id}].when", index, step.when
        for number, action in enumerate(step.actions):
            if action.when is not None:
                loc = ("steps", index, "actions", number, "when")
                yield (
                    loc,
                    f"steps[{index}:{step.id}].actions[{number}].when",
                    index + 1,
                    action.when,
                )


def _check_references(book: Playbook, add: Any) -> None:
    positions = {step.id: index for index, step in enumerate(book.steps)}
    for loc, field, limit, cond in _conditions(book):
        for name in setting_refs(cond):
            if name not in book.settings:
                add(loc, field, f"unknown setting {name!r} (declare it under settings:)")
        for sub in answer_conditions(cond):
            if sub.answer not in positions:
                add(loc, field, f"unknown step {sub.answer!r}")
                continue
            if positions[sub.answer] >= limit:
                add(loc, field, f"refers to step {sub.answer!r}, which is not asked before it")
                continue
            message = book.steps[positions[sub.answer]].condition_problem(sub)
            if message:
                add(loc, field, message)
    for number, name in enumerate(book.brief):
        if name not in positions:
            add(("brief", number), f"brief[{number}]", f"unknown step {name!r}")
    for index, step in enumerate(book.steps):
        for number, action in enumerate(step.actions):
            roles = []
            if isinstance(action, NotifyAction):
                roles = action.notify
            elif isinstance(action, DeadlineAction):
                roles = action.deadline.roles
                until = action.deadline.until
                if until is not None and positions.get(until, -1) < index:
                    add(
                        ("steps", index, "actions", number, "deadline", "until"),
                        f"steps[{index}:{step.id}].actions[{number}].deadline.until",
                        f"until names {until!r}, which is not this step or a later one"
                        if until in positions
                        else f"unknown step {until!r}",
                    )
            for role in roles:
                if role not in ROLES:
                    add(
                        ("steps", index, "actions", number),
                        f"steps[{index}:{step.id}].actions[{number}]",
                        f"unknown role {role!r} (known: {', '.join(ROLES)})",
                    )


def _check_owners(book: Playbook, add: Any) -> None:
    """``by`` names a role (or the reporter); a part's conditions read only answers given
    before it: the reporter's, or its own part's (parts after the reporter's run side by side)."""
    known = f"known: {REPORTER}, {', '.join(ROLES)}"
    for index, section in enumerate(book.sections):
        if section.by is not None and section.by != REPORTER and section.by not in ROLES:
            add(
                ("sections", index, "by"),
                f"sections[{index}:{section.id}].by",
                f"unknown role {section.by!r} ({known})",
            )
    for number, role in enumerate(book.closed_by):
        if role not in ROLES:
            add(("closed_by", number), f"closed_by[{number}]", f"unknown role {role!r} ({known})")
    if book.follow_up_roles and not book.closed_by:
        add(("closed_by",), "closed_by", "a procedure with follow-up parts names who closes it")
    for index, step in enumerate(book.steps):
        if step.by is not None and step.by != REPORTER and step.by not in ROLES:
            add(
                ("steps", index, "by"),
                f"steps[{index}:{step.id}].by",
                f"unknown role {step.by!r} ({known})",
            )
    if book.steps and book.owner(book.steps[0].id) != REPORTER:
        add(
            ("steps", 0),
            "steps[0]",
            "the first step is the reporter's: a case starts with a report",
        )
    order = {None: -1} | {n: n for n in range(len(book.stages))}
    for index, step in enumerate(book.steps):
        asker = order[book.stage_of(step.id)]
        conditions: list[tuple[tuple[Any, ...], str, Condition | None]] = [
            (("steps", index, "when"), f"steps[{index}:{step.id}].when", step.when)
        ]
        conditions += [
            (
                ("steps", index, "actions", n, "when"),
                f"steps[{index}:{step.id}].actions[{n}].when",
                a.when,
            )
            for n, a in enumerate(step.actions)
        ]
        for loc, field, cond in conditions:
            for ref in answer_refs(cond) if cond is not None else []:
                if ref in book.owners and order[book.stage_of(ref)] > asker:
                    add(
                        loc,
                        field,
                        f"refers to step {ref!r}, answered by {book.owner(ref)} in a later "
                        "part of the follow-up (only the reporter's answers and those of the "
                        "parts before count)",
                    )


def texts(book: Playbook) -> Iterator[tuple[tuple[Any, ...], str, dict[str, str] | None]]:
    yield ("title",), "title", book.title
    yield ("summary",), "summary", book.summary
    for name, spec in book.settings.items():
        yield ("settings", name), f"settings.{name}.title", spec.title
        yield ("settings", name), f"settings.{name}.note", spec.note
    for index, section in enumerate(book.sections):
        yield ("sections", index), f"sections[{index}:{section.id}].title", section.title
    for index, step in enumerate(book.steps):
        base = f"steps[{index}:{step.id}]"
        for loc, field, text in step.texts():
            yield ("steps", index, *loc), f"{base}.{field}", text
        for number, action in enumerate(step.actions):
            loc = ("steps", index, "actions", number)
            if isinstance(action, NotifyAction):
                yield loc, f"{base}.actions[{number}].message", action.message
            elif isinstance(action, DeadlineAction):
                yield loc, f"{base}.actions[{number}].deadline.title", action.deadline.title


def _check_translations(book: Playbook, add: Any) -> None:
    for loc, field, text in texts(book):
        if text is None:
            continue
        for lang in LANGS:
            if not text.get(lang):
                add(loc, field, f"missing {lang} translation")
    for lang in LANGS:
        if not book.keywords.get(lang):
            add(
                ("keywords",),
                "keywords",
                f"no {lang} keywords: typed words cannot find it",
                "warning",
            )


def _check_sources(book: Playbook, add: Any) -> None:
    for index, step in enumerate(book.steps):
        if not step.source:
            add(
                ("steps", index),
                f"steps[{index}:{step.id}].source",
                "no source reference (file:line of the rule it comes from)",
                "warning",
            )


def _candidates(step: StepBase, constants: list[Any]) -> list[Any]:
    return [*step.candidate_answers(constants), None, _MISSING]


def _check_kinds(book: Playbook, add: Any) -> None:
    """What each step's kind checks across steps (e.g. a time that names an earlier one)."""
    for index, step in enumerate(book.steps):
        for loc, field, message in step.problems(book, index):
            add(("steps", index, *loc), f"steps[{index}:{step.id}].{field}", message)


def _check_reachability(book: Playbook, add: Any) -> None:
    constants: dict[str, list[Any]] = {}
    setting_values: dict[str, list[Any]] = {}
    for _loc, _field, _limit, cond in _conditions(book):
        for sub in answer_conditions(cond):
            bucket = constants.setdefault(sub.answer, [])
            for op in ("equals", "gte", "gt", "lte", "lt", "count_gte"):
                value = getattr(sub, op)
                if value is not None and not isinstance(value, SettingRef):
                    bucket.append(value)
            bucket.extend(sub.in_ or [])
    for name, spec in book.settings.items():
        if spec.type == "number":
            setting_values[name] = [None, 0, 1e15]
        elif spec.type == "boolean":
            setting_values[name] = [None, True, False]
        else:
            setting_values[name] = [None, "x"]
    for _loc, _field, _limit, cond in _conditions(book):
        for compared in setting_conditions(cond):
            values = setting_values.get(compared.setting)
            if "equals" in compared.model_fields_set and values is not None:
                if compared.equals not in values:
                    values.append(compared.equals)

    budget = _MAX_WORK
    for index, step in enumerate(book.steps):
        if step.when is None:
            continue
        refs = _closure(book, step.id)
        names = sorted(
            {n for r in refs for n in _setting_names(book, r)} | set(setting_refs(step.when))
        )
        domains = [_candidates(book.step(r), constants.get(r, [])) for r in refs]
        domains += [setting_values.get(n, [None]) for n in names]
        total = 1
        for domain in domains:
            total *= len(domain)
            if total > _MAX_COMBINATIONS:
                break
        if total > _MAX_COMBINATIONS:
            continue
        comparisons = sum(_size(book.step(r).when) for r in refs) + _size(step.when)
        work = total * (comparisons + len(refs) + 1)
        if work > budget:
            continue
        budget -= work
        if not any(
            _reachable(book, step, refs, names, combo) for combo in itertools.product(*domains)
        ):
            add(
                ("steps", index, "when"),
                f"steps[{index}:{step.id}].when",
                "this step can never be reached: its condition is never true",
            )


def _size(cond: Any) -> int:
    return 0 if cond is None else sum(1 for _ in leaves(cond))


def _setting_names(book: Playbook, step_id: str) -> list[str]:
    step = book.step(step_id)
    return setting_refs(step.when) if step.when is not None else []


def _closure(book: Playbook, step_id: str) -> list[str]:
    """The steps a step's condition depends on, directly or through their own conditions."""
    order = {step.id: index for index, step in enumerate(book.steps)}
    pending, seen = list(answer_refs(book.step(step_id).when)), set()
    while pending:
        ref = pending.pop()
        if ref in seen or ref not in order:
            continue
        seen.add(ref)
        when = book.step(ref).when
        if when is not None:
            pending.extend(answer_refs(when))
    return sorted(seen, key=order.__getitem__)


def _reachable(
    book: Playbook, step: StepBase, refs: list[str], names: list[str], combo: tuple[Any, ...]
) -> bool:
    settings = {n: v for n, v in zip(names, combo[len(refs) :], strict=True) if v is not None}
    answers: dict[str, Any] = {}
    for ref, value in zip(refs, combo[: len(refs)], strict=True):
        ref_step = book.step(ref)
        shown = evaluate(ref_step.when, answers, settings)
        if not shown and value is not _MISSING:
            return False  # a step that is not asked has no answer
        if shown and value is _MISSING:
            return False  # steps are answered (or skipped) before later ones are asked
        if value is None and ref_step.required:
            return False  # a required step cannot be skipped
        if value is not _MISSING:
            answers[ref] = value
    return evaluate(step.when, answers, settings)
