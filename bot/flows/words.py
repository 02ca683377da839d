"""A playbook in words, for ``dutybot flows show``: conditions, actions, kinds, roles.

The scaffolding words are kept here in both languages, like playbook text; role and group names
come from the catalog (``bot.staff.roles``), so they read as they do everywhere else.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.deadlines.defaults import BY_KEY as CLOCKS
from bot.flows.conditions import (
    AllCondition,
    AnswerCondition,
    AnyCondition,
    NotCondition,
    SettingCondition,
    SettingRef,
)
from bot.flows.groups import GROUPS as PLAYBOOK_GROUPS
from bot.flows.schema import ClassifyAction, DeadlineAction, NotifyAction, Playbook
from bot.i18n import TEXT_KEYS, Translator
from bot.staff.roles import ROLES

WORDS = {
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
        "urgent": "紧急",
        "chain": "上报链",
        "classify": "分级",
        "deadline": "时限",
        "when": "当",
        "only_when": "仅当",
        "by": "作答人",
        "closed_by": "结案人",
        "optional": "可选",
        "source": "出处",
        "site_setting": "场所参数",
        "each_person": "每人记录",
        "met_by": "由此步完成",
        "sep": "、",
        "colon": ":",
        "open": "（",
        "close": "）",
        "group_open": "（",
        "group_close": "）",
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
        "urgent": "urgent",
        "chain": "chain",
        "classify": "classify",
        "deadline": "deadline",
        "when": "when",
        "only_when": "only when",
        "by": "answered by",
        "closed_by": "closed by",
        "optional": "optional",
        "source": "source",
        "site_setting": "site setting",
        "each_person": "each person",
        "met_by": "met by",
        "sep": ", ",
        "colon": ": ",
        "open": " (",
        "close": ")",
        "group_open": "(",
        "group_close": ")",
    },
}
KINDS = {
    "zh": {
        "instruction": "说明",
        "choice": "单选",
        "checklist": "勾选",
        "yesno": "是/否",
        "text": "文字",
        "number": "数字",
        "datetime": "时间",
        "photos": "照片",
        "location": "地点",
        "people": "人员",
        # site setting types
        "boolean": "是/否",
    },
    "en": {
        "instruction": "instruction",
        "choice": "choice",
        "checklist": "checklist",
        "yesno": "yes/no",
        "text": "text",
        "number": "number",
        "datetime": "date and time",
        "photos": "photos",
        "location": "location",
        "people": "people",
        "boolean": "yes/no",
    },
}

# The same names the report menu shows.
GROUPS = {group.id: group.label for group in PLAYBOOK_GROUPS.values()}

_OPS = {"equals": "=", "in": "∈", "gte": "≥", "gt": ">", "lte": "≤", "lt": "<"}


def lang_of(tr: Translator) -> str:
    """The playbook-text key (zh, en) of the reader's language."""
    return TEXT_KEYS.get(tr.locale, "zh")


def words(lang: str) -> dict[str, str]:
    return WORDS.get(lang, WORDS["en"])


def kind_name(kind: str, lang: str) -> str:
    return KINDS.get(lang, KINDS["en"]).get(kind, kind)


def role_names(roles: list[str], tr: Translator) -> str:
    """Roles by their names in the reader's language (an unknown id as it is)."""
    return tr.join(tr._(ROLES[role]) if role in ROLES else role for role in roles)


def pick(text: dict[str, str] | None, lang: str) -> str:
    if not text:
        return ""
    return text.get(lang) or next(iter(text.values()))


def step_name(book: Playbook, step_id: str, lang: str) -> str:
    try:
        step = book.step(step_id)
    except KeyError:
        return step_id
    return pick(step.label, lang) or step_id


def value_words(book: Playbook, step_id: str, value: Any, lang: str) -> str:
    said = words(lang)
    if isinstance(value, SettingRef):
        return f"{said['setting']} {value.setting}"
    if isinstance(value, bool):
        return said["yes"] if value else said["no"]
    if isinstance(value, list):
        return said["sep"].join(value_words(book, step_id, item, lang) for item in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    try:
        options = getattr(book.step(step_id), "options", None) or []
    except KeyError:
        options = []
    for option in options:
        if option.id == value:
            return pick(option.text, lang)
    return str(value)


def describe(cond: Any, book: Playbook, lang: str = "zh") -> str:
    """A condition in words, naming steps by their labels and options by their text."""
    said = words(lang)
    match cond:
        case AllCondition(all=items):
            inner = said["and"].join(describe(i, book, lang) for i in items)
            return said["group_open"] + inner + said["group_close"]
        case AnyCondition(any=items):
            inner = said["or"].join(describe(i, book, lang) for i in items)
            return said["group_open"] + inner + said["group_close"]
        case NotCondition(not_=inner):
            return said["not"] + describe(inner, book, lang)
        case SettingCondition():
            name = f"{said['setting']} {cond.setting}"
            if cond.is_set is not None:
                return f"{name} {said['is_set'] if cond.is_set else said['not_set']}"
            shown = (
                said["yes" if cond.equals else "no"]
                if isinstance(cond.equals, bool)
                else cond.equals
            )
            return f"{name} = {shown}"
        case AnswerCondition():
            name = step_name(book, cond.answer, lang)
            op = cond.operator
            if op == "answered":
                return f"{name} {said['answered'] if cond.answered else said['unanswered']}"
            if op == "contains":
                shown = value_words(book, cond.answer, cond.contains, lang)
                return f"{name} {said['contains']} {shown}"
            if op == "count_gte":
                return f"{name} {said['count']} ≥ {cond.count_gte}"
            raw = cond.in_ if op == "in" else getattr(cond, op)
            return f"{name} {_OPS[op]} {value_words(book, cond.answer, raw, lang)}"
    return repr(cond)


def duration(after: timedelta) -> str:
    minutes = int(after.total_seconds() // 60)
    for size, unit in ((1440, "d"), (60, "h")):
        if minutes % size == 0:
            return f"{minutes // size}{unit}"
    return f"{minutes}m"


def action_words(action: Any, book: Playbook, tr: Translator, *, until: bool = False) -> str:
    """An action in a line: whom it notifies, how it classifies, which deadline it sets.

    ``until`` adds the step that meets a deadline (the text view; the chart draws steps).
    """
    lang = lang_of(tr)
    said = words(lang)
    if isinstance(action, NotifyAction):
        line = f"{said['notify']}{said['colon']}{role_names(action.notify, tr)}"
        marks = [said["urgent"]] if action.urgent else []
        if action.chain:
            marks.append(f"{said['chain']} {action.chain}")
        if marks:
            line += said["open"] + said["sep"].join(marks) + said["close"]
        if action.message:
            line += f" — {pick(action.message, lang)}"
    elif isinstance(action, ClassifyAction):
        line = f"{said['classify']}{said['colon']}{action.classify}"
    elif isinstance(action, DeadlineAction):
        spec = action.deadline
        span = duration(spec.after) if spec.after is not None else _clock_span(spec.clock)
        line = f"{said['deadline']} {span}{said['colon']}{pick(spec.title, lang)}"
        if spec.roles:
            line += f" → {role_names(spec.roles, tr)}"
        if until and spec.until:
            line += f"{said['open']}{said['met_by']} {step_name(book, spec.until, lang)}"
            line += said["close"]
    else:
        line = repr(action)
    if action.when is not None:
        line += f"{said['open']}{said['when']} {describe(action.when, book, lang)}{said['close']}"
    return line


def _clock_span(key: str | None) -> str:
    """A default clock's span as the rules set it ("2wd"); a site may set its own."""
    found = CLOCKS.get(key or "")
    return f"{key} {found.spec.span}" if found is not None and found.spec is not None else "?"
