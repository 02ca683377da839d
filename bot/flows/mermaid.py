"""``dutybot flows show NAME --format mermaid``: a procedure as a Mermaid flowchart.

The engine walks the steps in order and shows the next one whose condition holds. So a step with a
``when`` gets a decision node in front of it: the "yes" edge (labelled with the condition) enters
the step, the "no" edge goes on to whatever comes next. Sections become subgraphs; a step's actions
(notify, classify, deadline) are listed in its box.
"""

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

_WORDS = {
    "zh": {
        "yes": "是",
        "no": "否",
        "and": " 且 ",
        "or": " 或 ",
        "not": "非",
        "setting": "设置",
        "is_set": "已设定",
        "not_set": "未设定",
        "answered": "已回答",
        "unanswered": "未回答",
        "contains": "含",
        "count": "数量",
        "review": "复核并确认",
        "notify": "通知",
        "classify": "分级",
        "deadline": "时限",
        "when": "当",
        "optional": "可选",
        "sep": "、",
    },
    "en": {
        "yes": "yes",
        "no": "no",
        "and": " AND ",
        "or": " OR ",
        "not": "NOT ",
        "setting": "setting",
        "is_set": "is set",
        "not_set": "is not set",
        "answered": "answered",
        "unanswered": "not answered",
        "contains": "includes",
        "count": "count",
        "review": "Review and confirm",
        "notify": "notify",
        "classify": "classify",
        "deadline": "deadline",
        "when": "when",
        "optional": "optional",
        "sep": ", ",
    },
}
_OPS = {"equals": "=", "in": "∈", "gte": "≥", "gt": ">", "lte": "≤", "lt": "<"}
# Characters that would end a quoted Mermaid label or be read as markup, as Mermaid entity codes.
_ESCAPES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "|": "#124;",
    "`": "#96;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
}


def escape(text: str) -> str:
    """Text safe inside a quoted Mermaid label; line breaks become ``<br/>``."""
    safe = "".join(_ESCAPES.get(char, char) for char in text)
    return "<br/>".join(part.strip() for part in safe.splitlines() if part.strip())


def _pick(text: dict[str, str] | None, lang: str) -> str:
    if not text:
        return ""
    return text.get(lang) or next(iter(text.values()))


def _words(lang: str) -> dict[str, str]:
    return _WORDS.get(lang, _WORDS["en"])


def _step_name(book: Playbook, step_id: str, lang: str) -> str:
    try:
        step = book.step(step_id)
    except KeyError:
        return step_id
    return _pick(step.label, lang) or step_id


def _value(book: Playbook, step_id: str, value: Any, lang: str) -> str:
    words = _words(lang)
    if isinstance(value, SettingRef):
        return f"{words['setting']} {value.setting}"
    if isinstance(value, bool):
        return words["yes"] if value else words["no"]
    if isinstance(value, list):
        return words["sep"].join(_value(book, step_id, item, lang) for item in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    try:
        options = getattr(book.step(step_id), "options", None) or []
    except KeyError:
        options = []
    for option in options:
        if option.id == value:
            return _pick(option.text, lang)
    return str(value)


def describe(cond: Any, book: Playbook, lang: str = "zh") -> str:
    """A condition in words, naming steps by their labels and options by their text."""
    words = _words(lang)
    match cond:
        case AllCondition(all=items):
            return "(" + words["and"].join(describe(i, book, lang) for i in items) + ")"
        case AnyCondition(any=items):
            return "(" + words["or"].join(describe(i, book, lang) for i in items) + ")"
        case NotCondition(not_=inner):
            return words["not"] + describe(inner, book, lang)
        case SettingCondition():
            name = f"{words['setting']} {cond.setting}"
            if cond.is_set is not None:
                return f"{name} {words['is_set'] if cond.is_set else words['not_set']}"
            shown = (
                words["yes" if cond.equals else "no"]
                if isinstance(cond.equals, bool)
                else cond.equals
            )
            return f"{name} = {shown}"
        case AnswerCondition():
            name = _step_name(book, cond.answer, lang)
            op = cond.operator
            if op == "answered":
                return f"{name} {words['answered'] if cond.answered else words['unanswered']}"
            if op == "contains":
                return (
                    f"{name} {words['contains']} {_value(book, cond.answer, cond.contains, lang)}"
                )
            if op == "count_gte":
                return f"{name} {words['count']} ≥ {cond.count_gte}"
            raw = cond.in_ if op == "in" else getattr(cond, op)
            return f"{name} {_OPS[op]} {_value(book, cond.answer, raw, lang)}"
    return repr(cond)


def _action_line(action: Any, book: Playbook, lang: str) -> str:
    words = _words(lang)
    if isinstance(action, NotifyAction):
        line = f"{words['notify']}: {', '.join(action.notify)}"
    elif isinstance(action, ClassifyAction):
        line = f"{words['classify']}: {action.classify}"
    elif isinstance(action, DeadlineAction):
        spec = action.deadline
        roles = f" → {', '.join(spec.roles)}" if spec.roles else ""
        line = f"{words['deadline']} {_duration(spec.after)}: {_pick(spec.title, lang)}{roles}"
    else:
        line = repr(action)
    if action.when is not None:
        line += f" ({words['when']} {describe(action.when, book, lang)})"
    return line


def _duration(after: Any) -> str:
    minutes = int(after.total_seconds() // 60)
    for size, unit in ((1440, "d"), (60, "h")):
        if minutes % size == 0:
            return f"{minutes // size}{unit}"
    return f"{minutes}m"


def render_mermaid(book: Playbook, lang: str = "zh") -> str:
    """The playbook as ``flowchart TD`` text: steps, branches and the final review."""
    words = _words(lang)
    steps = list(book.steps)
    sections = {section.id: _pick(section.title, lang) for section in book.sections}

    def entry(index: int) -> str:
        if index >= len(steps):
            return "review"
        step = steps[index]
        return f"c_{step.id}" if step.when is not None else f"s_{step.id}"

    lines = ["flowchart TD", f'  start(["{escape(_pick(book.title, lang))}"])']
    groups: list[tuple[str | None, list[int]]] = []
    for index, step in enumerate(steps):
        if groups and groups[-1][0] == step.section:
            groups[-1][1].append(index)
        else:
            groups.append((step.section, [index]))

    for number, (section, members) in enumerate(groups, 1):
        indent = "  "
        if section is not None:
            title = escape(sections.get(section, section))
            lines.append(f'  subgraph sec_{number}_{section}["{title}"]')
            indent = "    "
        for index in members:
            step = steps[index]
            if step.when is not None:
                lines.append(f'{indent}c_{step.id}{{"{index + 1}?"}}')
            parts = [f"{index + 1}. {_pick(step.label, lang) or _pick(step.text, lang)}"]
            kind = step.kind if step.required else f"{step.kind}, {words['optional']}"
            parts.append(f"({kind})")
            parts += [_action_line(action, book, lang) for action in step.actions]
            label = "<br/>".join(escape(part) for part in parts)
            lines.append(f'{indent}s_{step.id}["{label}"]')
        if section is not None:
            lines.append("  end")
    lines.append(f'  review(["{escape(words["review"])}"])')

    lines.append(f"  start --> {entry(0)}")
    for index, step in enumerate(steps):
        following = entry(index + 1)
        if step.when is not None:
            condition = escape(f"{words['yes']}: {describe(step.when, book, lang)}")
            lines.append(f'  c_{step.id} -->|"{condition}"| s_{step.id}')
            lines.append(f'  c_{step.id} -->|"{escape(words["no"])}"| {following}')
        lines.append(f"  s_{step.id} --> {following}")
    return "\n".join(lines) + "\n"
