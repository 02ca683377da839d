"""The case summary the reporter reviews, section by section."""

from __future__ import annotations

from typing import Any

from bot.cases.models import Case
from bot.engine.steps.base import StepBase
from bot.flows.schema import Playbook
from bot.i18n import Translator

CHUNK = 3500  # well under Telegram's 4096, leaving room for a title and escaping


def format_value(step: StepBase, tr: Translator, value: Any, skipped: bool = False) -> str:
    if skipped or value is None:
        return tr._("— skipped")
    return step.format(tr, value)


def summary_lines(
    book: Playbook, case: Case, tr: Translator, answers: dict[str, Any], reporter: str
) -> list[str]:
    lines = [
        tr._("Case {number}", number=case.number),
        tr._("Procedure: {title}", title=tr.pick(book.title)),
        tr._("Reported by {name}, opened {when}", name=reporter, when=tr.datetime(case.opened_at)),
    ]
    titles = {section.id: tr.pick(section.title) for section in book.sections}
    current_section: str | None = None
    for step in book.steps:
        if step.id not in answers:
            continue
        if step.section and step.section != current_section:
            current_section = step.section
            lines.append("")
            lines.append(f"【{titles.get(step.section, step.section)}】")
        label = tr.pick(step.label or step.text)
        value = format_value(step, tr, answers[step.id])
        separator = "\n" if "\n" in value else " "
        lines.append(f"• {label}:{separator}{value}")
    return lines


def chunk(lines: list[str], limit: int = CHUNK) -> list[str]:
    """Join lines into messages no longer than ``limit``; a too-long line is cut into pieces."""
    pieces: list[str] = []
    for line in lines:
        while len(line) > limit:
            pieces.append(line[:limit])
            line = line[limit:]
        pieces.append(line)
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}\n{piece}" if current else piece
        if len(candidate) > limit:
            chunks.append(current)
            current = piece
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks
