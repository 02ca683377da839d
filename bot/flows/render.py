"""``dutybot flows show``: a procedure as readable text, in the reader's language."""

from __future__ import annotations

from bot.engine.steps.options import WithOptions
from bot.engine.steps.people import PeopleStep
from bot.flows.schema import REPORTER, Playbook
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
