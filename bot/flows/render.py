"""``dutybot flows show``: a procedure as readable text."""

from __future__ import annotations

from typing import Any

from bot.flows.conditions import (
    AllCondition,
    AnswerCondition,
    AnyCondition,
    NotCondition,
    SettingCondition,
    SettingRef,
)
from bot.flows.schema import ClassifyAction, DeadlineAction, NotifyAction, Playbook

_OPS = {
    "equals": "=",
    "gte": "≥",
    "gt": ">",
    "lte": "≤",
    "lt": "<",
    "in": "in",
    "contains": "contains",
    "count_gte": "count ≥",
    "answered": "answered =",
}


def _pick(text: dict[str, str] | None, lang: str) -> str:
    if not text:
        return ""
    return text.get(lang) or next(iter(text.values()))


def describe_condition(cond: Any) -> str:
    match cond:
        case AllCondition(all=items):
            return "(" + " AND ".join(describe_condition(i) for i in items) + ")"
        case AnyCondition(any=items):
            return "(" + " OR ".join(describe_condition(i) for i in items) + ")"
        case NotCondition(not_=inner):
            return "NOT " + describe_condition(inner)
        case SettingCondition():
            if cond.is_set is not None:
                return f"setting {cond.setting} is {'set' if cond.is_set else 'not set'}"
            return f"setting {cond.setting} = {cond.equals!r}"
        case AnswerCondition():
            op = cond.operator
            value = getattr(cond, "in_" if op == "in" else op)
            shown = f"setting {value.setting}" if isinstance(value, SettingRef) else repr(value)
            return f"{cond.answer} {_OPS[op]} {shown}"
    return repr(cond)


def render_text(book: Playbook, lang: str = "zh") -> str:
    lines = [f"{_pick(book.title, lang)}  [{book.id} v{book.version}, group {book.group}]"]
    if book.summary:
        lines.append(_pick(book.summary, lang))
    if book.source:
        lines.append(f"source: {book.source}")
    for name, spec in book.settings.items():
        lines.append(f"site setting {name} ({spec.type}): {_pick(spec.title, lang)}")
    sections = {s.id: _pick(s.title, lang) for s in book.sections}
    current = None
    for number, step in enumerate(book.steps, 1):
        if step.section and step.section != current:
            current = step.section
            lines += ["", f"== {sections.get(step.section, step.section)} =="]
        flags = [step.kind] + ([] if step.required else ["optional"])
        if step.source:
            flags.append(f"source {step.source}")
        lines.append(f"{number:>2}. [{step.id}] ({', '.join(flags)})")
        lines.append(f"    {_pick(step.text, lang)}")
        if step.when is not None:
            lines.append(f"    only when {describe_condition(step.when)}")
        for option in getattr(step, "options", []) or []:
            lines.append(f"    - {option.id}: {_pick(option.text, lang)}")
        if step.kind == "people":
            lines.append("    each person: " + ", ".join(_pick(f.text, lang) for f in step.fields))
        for action in step.actions:
            lines.append("    → " + _describe_action(action, lang))
    return "\n".join(lines)


def _describe_action(action: Any, lang: str) -> str:
    when = f" when {describe_condition(action.when)}" if action.when is not None else ""
    if isinstance(action, NotifyAction):
        message = f": {_pick(action.message, lang)}" if action.message else ""
        return f"notify {', '.join(action.notify)}{when}{message}"
    if isinstance(action, ClassifyAction):
        return f"classify as {action.classify}{when}"
    if isinstance(action, DeadlineAction):
        spec = action.deadline
        roles = f" for {', '.join(spec.roles)}" if spec.roles else ""
        until = f", met by {spec.until}" if spec.until else ""
        title = _pick(spec.title, lang)
        return f"deadline {spec.key} after {spec.after}{roles}{until}{when}: {title}"
    return repr(action)
