"""What the engine answers. Adapters render it; they add no wording of their own."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    label: str
    token: str  # opaque and short (well under Telegram's 64 bytes); carries no authority


@dataclass(frozen=True)
class Outgoing:
    text: str
    title: str | None = None  # shown in bold above the text
    buttons: tuple[tuple[Button, ...], ...] = field(default_factory=tuple)
    # The adapter may offer a matching keyboard: "location" or "photo".
    expects: str | None = None
    # Replace the previous question in place (a checklist toggling its marks).
    replace: bool = False
    # A short note for the press that caused this (a toast in Telegram).
    notice: str | None = None
    # With expects == "location": the label of a "share my location" button.
    share_location: str | None = None
    # The person's command menu changed: (command, description) pairs in their language.
    commands: tuple[tuple[str, str], ...] | None = None

    def button_labels(self) -> list[str]:
        return [button.label for row in self.buttons for button in row]
