"""``dutybot flows show``: a procedure as readable text, in the reader's language."""

from __future__ import annotations

import re

from bot.deadlines.defaults import DEFAULTS
from bot.engine.steps.options import WithOptions
from bot.engine.steps.people import PeopleStep
from bot.flows.schema import REPORTER, DeadlineAction, Playbook
from bot.flows.words import (
    GROUPS,
    action_words,
    describe,
    kind_name,
    lang_of,
    pick,
    words,
)
from bot.i18n import Translator
from bot.staff.roles import ROLES


def render_text(book: Playbook, tr: Translator) -> str:
    """Every step with its kind, source, condition, options and actions; roles by name."""
    lang = lang_of(tr)
    said = words(lang)
    colon, opened, closed = said["colon"], said["open"], said["close"]
    group = tr._(GROUPS[book.group]) if book.group in GROUPS else book.group
    head = f"{pick(book.title, lang)}  [{book.id} v{book.version} · {group}]"
    lines = [head]
    if book.summary:
        lines.append(pick(book.summary, lang))
    if book.source:
        lines.append(f"{said['source']}{colon}{book.source}")
    for name, spec in book.settings.items():
        kind = kind_name(spec.type, lang)
        title = pick(spec.title, lang)
        lines.append(f"{said['site_setting']} {name}{opened}{kind}{closed}{colon}{title}")
    if book.closed_by:
        closers = said["sep"].join(tr._(ROLES.get(r, r)) for r in book.closed_by)
        lines.append(f"{said['closed_by']}{colon}{closers}")
    clocks = rule_clocks(book, tr)
    if clocks:
        lines += ["", tr._("The rules' clocks for this procedure (catalog §8.1):"), *clocks]
    sections = {s.id: pick(s.title, lang) for s in book.sections}
    current = None
    for number, step in enumerate(book.steps, 1):
        if step.section and step.section != current:
            current = step.section
            lines += ["", f"== {sections.get(step.section, step.section)} =="]
        flags = [kind_name(step.kind, lang)] + ([] if step.required else [said["optional"]])
        if step.source:
            flags.append(f"{said['source']} {step.source}")
        label = pick(step.label, lang)
        name = f" {label}" if label else ""
        lines.append(f"{number:>2}. [{step.id}]{name}{opened}{said['sep'].join(flags)}{closed}")
        lines.append(f"    {pick(step.text, lang)}")
        owner = book.owner(step.id)
        if owner != REPORTER:
            lines.append(f"    {said['by']}{colon}{tr._(ROLES.get(owner, owner))}")
        if step.when is not None:
            lines.append(f"    {said['only_when']} {describe(step.when, book, lang)}")
        if isinstance(step, WithOptions):
            for option in step.options:
                lines.append(f"    - {option.id}{colon}{pick(option.text, lang)}")
        if isinstance(step, PeopleStep):
            fields = said["sep"].join(pick(f.label or f.text, lang) for f in step.fields)
            lines.append(f"    {said['each_person']}{colon}{fields}")
        for action in step.actions:
            lines.append("    → " + action_words(action, book, tr, until=True))
    return "\n".join(lines)


def _lines_of(source: str) -> list[tuple[str, int, int]]:
    """Seed references ("001:152-157, 002:39") as (file, first line, last line)."""
    found = []
    for part in source.split(","):
        match = re.fullmatch(r"\s*(\d{3}):(\d+)(?:-(\d+))?\s*", part)
        if match:
            first = int(match.group(2))
            found.append((match.group(1), first, int(match.group(3) or first)))
    return found


# B1's week and month: not a step's deadline but the scheduler's level rises (deadlines/rises.py).
AGE_RISES = frozenset({"b1_hot_after_week", "b1_major_after_month"})


def rule_clocks(book: Playbook, tr: Translator) -> list[str]:
    """Each ★★★ and ★★ clock of the rules whose seed lines this procedure covers: the step that
    opens it as a deadline, or why it is not one."""
    mine = _lines_of(book.source or "")
    used: dict[str, str] = {}  # a clock: the first step that opens it
    for step in book.steps:
        for action in step.actions:
            if isinstance(action, DeadlineAction) and action.deadline.clock:
                used.setdefault(action.deadline.clock, step.id)
    lang = lang_of(tr)
    lines = []
    for clock in DEFAULTS:
        theirs = _lines_of(clock.source)
        if clock.stars < 2 or not any(
            f1 == f2 and a1 <= b2 and a2 <= b1 for f1, a1, b1 in mine for f2, a2, b2 in theirs
        ):
            continue
        if clock.key in used:
            state = tr._("a deadline of step {step}", step=used[clock.key])
        elif clock.key in AGE_RISES:
            state = tr._("applied by the scheduler: an unresolved complaint's level rises")
        elif clock.unusable is not None:
            state = tr._("not a deadline: {reason}", reason=tr._(clock.unusable))
        else:
            state = tr._(
                "the default clock {key}; no step of this procedure opens it", key=clock.key
            )
        title = clock.zh if lang == "zh" else clock.en
        lines.append(f"• {title} [{clock.source}]: {state}")
    return lines
