"""Where an event goes: commands by name, presses by their callback kind, screen actions by kind.

Handlers are registered per kind (``engine/routes.py`` lists them all), so a new kind of press
or command is one function and one line there, not another branch of an if/elif chain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.engine.callbacks import CallbackData
from bot.engine.context import Ctx

CommandHandler = Callable[[Ctx, str], None]
PressHandler = Callable[[Ctx, Any], None]
ActionHandler = Callable[[Ctx, str], None]
# What a screen outside a report does with what the person sends (typed text, photos).
InputHandler = Callable[[Ctx, Any], None]


@dataclass(frozen=True)
class PressRoute:
    handler: PressHandler
    # A press with a token space of its own (an acknowledgement, a list page): handled whatever
    # the person's own conversation is doing, which it leaves as it is.
    standalone: bool
    # Also accepted from a group chat (a ping sent to a site's group).
    in_groups: bool


@dataclass(frozen=True)
class ActionRoute:
    handler: ActionHandler
    # Only while a report is open (True), only while none is (False), or either (None).
    with_case: bool | None


@dataclass
class Router:
    commands: dict[str, CommandHandler] = field(default_factory=dict)
    presses: dict[type[CallbackData], PressRoute] = field(default_factory=dict)
    actions: dict[str, ActionRoute] = field(default_factory=dict)
    inputs: dict[str, InputHandler] = field(default_factory=dict)

    def command(self, *names: str) -> Callable[[CommandHandler], CommandHandler]:
        def register(handler: CommandHandler) -> CommandHandler:
            for name in names:
                assert name not in self.commands, f"command /{name} registered twice"
                self.commands[name] = handler
            return handler

        return register

    def press(
        self, data: type[CallbackData], *, standalone: bool = False, in_groups: bool = False
    ) -> Callable[[PressHandler], PressHandler]:
        def register(handler: PressHandler) -> PressHandler:
            assert data not in self.presses, f"{data.__name__} registered twice"
            self.presses[data] = PressRoute(handler, standalone, in_groups)
            return handler

        return register

    def action(
        self, *kinds: str, with_case: bool | None = None
    ) -> Callable[[ActionHandler], ActionHandler]:
        """Screen actions are ``kind`` or ``kind:argument``; the handler gets the argument."""

        def register(handler: ActionHandler) -> ActionHandler:
            for kind in kinds:
                assert kind not in self.actions, f"action {kind} registered twice"
                self.actions[kind] = ActionRoute(handler, with_case)
            return handler

        return register

    def input(self, *screens: str) -> Callable[[InputHandler], InputHandler]:
        """What is sent while one of ``screens`` (outside a report) is on display."""

        def register(handler: InputHandler) -> InputHandler:
            for screen in screens:
                assert screen not in self.inputs, f"input of {screen} registered twice"
                self.inputs[screen] = handler
            return handler

        return register

    def press_route(self, data: CallbackData) -> PressRoute | None:
        return self.presses.get(type(data))

    def action_route(self, action: str) -> tuple[ActionRoute | None, str]:
        kind, _, argument = action.partition(":")
        return self.actions.get(kind), argument
