"""All playbooks in force: the shipped ones, then a site folder that adds or overrides by id."""

from __future__ import annotations

import gc
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bot.flows.loader import LoadedPlaybook, PlaybookError, Problem, load_playbook
from bot.flows.schema import Playbook
from bot.flows.validation import check_playbook

SHIPPED_DIR = Path(__file__).resolve().parent / "playbooks"


def playbook_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


@dataclass
class Registry:
    playbooks: dict[str, LoadedPlaybook] = field(default_factory=dict)

    def get(self, playbook_id: str) -> Playbook:
        return self.playbooks[playbook_id].playbook

    def __contains__(self, playbook_id: object) -> bool:
        return playbook_id in self.playbooks

    def all(self) -> list[Playbook]:
        return [loaded.playbook for loaded in self.playbooks.values()]

    def search(self, words: str) -> list[Playbook]:
        """Playbooks whose title or keywords match what someone typed, best first."""
        query = _fold(words)
        if not query:
            return []
        scored = []
        for book in self.all():
            score = _score(book, query)
            if score:
                scored.append((-score, book.id, book))
        return [book for *_, book in sorted(scored)]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _score(book: Playbook, query: str) -> int:
    score = 0
    titles = [_fold(t) for t in book.title.values()]
    keywords = [_fold(k) for words in book.keywords.values() for k in words]
    for keyword in keywords:
        if keyword and keyword in query:
            score += 3
    for title in titles:
        if query in title:
            score += 2
    tokens = [t for t in query.replace(",", " ").split() if len(t) > 1]
    for token in tokens:
        if any(token in k for k in keywords):
            score += 1
    return score


def load_registry(
    extra_dir: Path | None = None, *, strict: bool = True
) -> tuple[Registry, list[Problem]]:
    """Load and check every playbook. With ``strict`` an error anywhere raises ``PlaybookError``."""
    registry = Registry()
    problems: list[Problem] = []
    dirs = [SHIPPED_DIR] + ([extra_dir] if extra_dir else [])
    with _collector_paused():
        for directory in dirs:
            if not directory.is_dir():
                problems.append(Problem(str(directory), 0, "", "playbook folder not found"))
                continue
            for path in playbook_files(directory):
                try:
                    loaded = load_playbook(path)
                except PlaybookError as exc:
                    problems.extend(exc.problems)
                    continue
                found = check_playbook(loaded)
                problems.extend(found)
                if any(p.severity == "error" for p in found):
                    continue
                registry.playbooks[loaded.playbook.id] = loaded
    if strict and any(p.severity == "error" for p in problems):
        raise PlaybookError([p for p in problems if p.severity == "error"])
    return registry, problems


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading the playbooks makes many objects (YAML nodes, models), some 50,000 of which live
    as long as the process; the cyclic collector would walk them, and every object the imports
    made, again and again as they are made: a third of the loading time at start-up. Its state
    is restored afterwards."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
