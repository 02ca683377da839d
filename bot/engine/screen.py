"""A screen: text plus buttons, each button an action the engine will look up when pressed."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.conversations.models import Conversation
from bot.engine.callbacks import ScreenPress
from bot.engine.outgoing import Button, Outgoing


class ScreenName(StrEnum):
    """What a person's conversation is showing (stored in ``conversations.screen``)."""

    MENU = "menu"  # the main menu, or a screen reached from it (my reports, language, staff)
    PICK = "pick"  # choosing a procedure
    STEP = "step"  # a question of the report in progress
    REVIEW = "review"  # the report's summary, before confirming it
    CANCEL = "cancel"  # "cancel this report?"
    TASKS = "tasks"  # the person's work: reports set aside, tasks held and waiting
    NOTE = "note"  # adding a note or photos to a case (a side trip)
    CLOSING = "closing"  # closing a case: its closing note (a side trip)
    REOPENING = "reopening"  # reopening a closed case: the reason (a side trip)


@dataclass
class Screen:
    text: str
    title: str | None = None
    rows: list[list[tuple[str, str]]] = field(default_factory=list)  # (label, action)
    expects: str | None = None
    share_location: str | None = None

    def row(self, *buttons: tuple[str, str]) -> Screen:
        if buttons:
            self.rows.append(list(buttons))
        return self


def render(
    conversation: Conversation,
    screen: Screen,
    *,
    replace: bool = False,
    notice: str | None = None,
    again: bool = False,
) -> Outgoing:
    """Turn a screen into an outgoing message and remember its buttons on the conversation.

    A new screen bumps the conversation's nonce, so buttons of every earlier message go stale.
    The same screen shown ``again`` (a photo added, a wrong answer explained) keeps the nonce and
    each action's token, so the buttons of its earlier copies still work: a guard who sends three
    photos may press "Done" under any of the copies.
    """
    actions: list[str] = list(conversation.buttons) if again else []
    if not again:
        conversation.nonce += 1
    rows: list[tuple[Button, ...]] = []
    for row in screen.rows:
        buttons = []
        for label, action in row:
            if action not in actions:
                actions.append(action)
            token = ScreenPress(
                conversation.id or 0, conversation.nonce, actions.index(action)
            ).pack()
            buttons.append(Button(label=label, token=token))
        rows.append(tuple(buttons))
    conversation.buttons = actions
    return Outgoing(
        text=screen.text,
        title=screen.title,
        buttons=tuple(rows),
        expects=screen.expects,
        share_location=screen.share_location,
        replace=replace,
        notice=notice,
    )


def resolve(conversation: Conversation, press: ScreenPress) -> str | None:
    """The action behind a press on the person's current screen; None when it is stale."""
    if press.conversation != conversation.id or press.nonce != conversation.nonce:
        return None
    buttons = conversation.buttons
    return buttons[press.index] if press.index < len(buttons) else None
