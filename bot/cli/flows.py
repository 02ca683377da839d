"""``dutybot flows check | show``."""

from __future__ import annotations

import sys
from typing import Any

from bot.config import Settings
from bot.flows.loader import PlaybookError, Problem, load_playbook
from bot.flows.mermaid import render_mermaid
from bot.flows.registry import load_registry, playbook_files
from bot.flows.render import render_text
from bot.flows.validation import check_playbook
from bot.i18n import Catalogs, Translator


async def flows_command(args: Any, settings: Settings, tr: Translator) -> int:
    if args.flows_command == "check":
        return _check(args.dir, settings, tr)
    # Shown in the language asked for (default: the site's), whatever the operator reads.
    reader = Catalogs(settings.i18n.locales_dir).translator(
        args.locale or settings.site.locale, settings.site.timezone
    )
    return _show(args.name, reader, args.format, settings, tr)


def _check(directory: Any, settings: Settings, tr: Translator) -> int:
    problems: list[Problem] = []
    count = 0
    if directory is not None:
        if not directory.is_dir():
            message = tr._("Not a folder: {path}", path=str(directory))
            print(f"dutybot: {message}", file=sys.stderr)
            return 2
        for path in playbook_files(directory):
            count += 1
            try:
                problems.extend(check_playbook(load_playbook(path)))
            except PlaybookError as exc:
                problems.extend(exc.problems)
    else:
        registry, problems = load_registry(settings.flows.extra_dir, strict=False)
        count = len(registry.playbooks) + len({p.file for p in problems if p.severity == "error"})
    for problem in problems:
        print(problem)  # technical lines (file:line: error: field: message), read by tools
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    print(
        tr._(
            "{count} playbook(s) checked: {errors} error(s), {warnings} warning(s)",
            count=count,
            errors=errors,
            warnings=warnings,
        )
    )
    return 1 if errors else 0


def _show(name: str, reader: Translator, fmt: str, settings: Settings, tr: Translator) -> int:
    registry, _ = load_registry(settings.flows.extra_dir, strict=False)
    if name not in registry:
        known = ", ".join(sorted(registry.playbooks)) or tr._("none")
        message = tr._("No playbook “{name}” (known: {known}).", name=name, known=known)
        print(f"dutybot: {message}", file=sys.stderr)
        return 2
    book = registry.get(name)
    print(render_mermaid(book, reader) if fmt == "mermaid" else render_text(book, reader))
    return 0
