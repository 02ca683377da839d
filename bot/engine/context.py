"""Everything one incoming event is handled with: one transaction, one person, one clock reading."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.cases.models import Case
from bot.conversations.models import Conversation
from bot.engine.outgoing import Outgoing
from bot.engine.screen import Screen, render
from bot.escalation.chains import EscalationSettings
from bot.flows.registry import Registry
from bot.i18n import Catalogs, Translator
from bot.sites.models import Site
from bot.staff.models import Staff
from bot.storage.media import MediaStore
from bot.tasks.models import Task


@dataclass
class Ctx:
    session: Session
    staff: Staff
    site: Site
    conv: Conversation
    tr: Translator
    now: datetime
    registry: Registry
    media: MediaStore
    max_file_bytes: int
    chains: EscalationSettings = field(default_factory=EscalationSettings)
    catalogs: Catalogs | None = None  # for a change of language mid-event
    bot_username: str = ""
    invite_valid_for: timedelta = timedelta(hours=72)
    case: Case | None = None
    # The follow-up task being answered (None: the person's own report).
    task: Task | None = None
    out: list[Outgoing] = field(default_factory=list)
    notice: str | None = None  # a toast for the button press being handled
    # Set when the person's command menu should change (joined, /start, /lang).
    commands: tuple[tuple[str, str], ...] | None = None
    # The case's current answers, loaded once per event and dropped when one is recorded.
    answers_cache: dict[str, object] | None = None
    # The group the event came from (None: the person's private chat).
    group_chat: int | None = None
    # The screen action being handled ("kind:argument"), for handlers of several kinds.
    action: str = ""
    # Outbox rows were written: the sender is woken once the transaction commits.
    outbox: bool = False

    @property
    def part(self) -> frozenset[str]:
        """The steps walked: the task's stage, or the reporter's."""
        assert self.case is not None
        book = self.registry.get(self.case.playbook_id)
        stage = self.task.stage if self.task is not None else None
        return book.part_steps(stage)

    @property
    def staff_id(self) -> int:
        assert self.staff.id is not None
        return self.staff.id

    def say(self, text: str) -> None:
        self.out.append(Outgoing(text=text))

    def show(self, screen: Screen, *, replace: bool = False, again: bool = False) -> None:
        """Show a screen; ``again`` when it is the one already on display, re-drawn."""
        self.out.append(render(self.conv, screen, replace=replace, notice=self.notice, again=again))
        self.notice = None
