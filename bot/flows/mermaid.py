"""``dutybot flows show NAME --format mermaid``: a procedure as a Mermaid flowchart.

The engine walks the steps in order and shows the next one whose condition holds. So a step with a
``when`` gets a decision node in front of it: the "yes" edge (labelled with the condition) enters
the step, the "no" edge goes on to whatever comes next. Sections become subgraphs; a step's actions
(notify, classify, deadline) are listed in its box.
"""

from __future__ import annotations

from bot.flows.schema import Playbook
from bot.flows.words import action_words, describe, kind_name, lang_of, pick, words
from bot.i18n import Translator

__all__ = ["describe", "escape", "render_mermaid"]

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


def render_mermaid(book: Playbook, tr: Translator) -> str:
    """The playbook as ``flowchart TD`` text: steps, branches and the final review.

    Labels are in the reader's language: step labels, kinds and role names, not ids.
    """
    lang = lang_of(tr)
    said = words(lang)
    steps = list(book.steps)
    sections = {section.id: pick(section.title, lang) for section in book.sections}

    def entry(index: int) -> str:
        if index >= len(steps):
            return "review"
        step = steps[index]
        return f"c_{step.id}" if step.when is not None else f"s_{step.id}"

    lines = ["flowchart TD", f'  start(["{escape(pick(book.title, lang))}"])']
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
            parts = [f"{index + 1}. {pick(step.label, lang) or pick(step.text, lang)}"]
            flags = [kind_name(step.kind, lang)] + ([] if step.required else [said["optional"]])
            parts.append(said["group_open"] + said["sep"].join(flags) + said["group_close"])
            parts += [action_words(action, book, tr) for action in step.actions]
            label = "<br/>".join(escape(part) for part in parts)
            lines.append(f'{indent}s_{step.id}["{label}"]')
        if section is not None:
            lines.append("  end")
    lines.append(f'  review(["{escape(said["review"])}"])')

    lines.append(f"  start --> {entry(0)}")
    for index, step in enumerate(steps):
        following = entry(index + 1)
        if step.when is not None:
            condition = escape(f"{said['yes']}: {describe(step.when, book, lang)}")
            lines.append(f'  c_{step.id} -->|"{condition}"| s_{step.id}')
            lines.append(f'  c_{step.id} -->|"{escape(said["no"])}"| {following}')
        lines.append(f"  s_{step.id} --> {following}")
    return "\n".join(lines) + "\n"
