"""The drill scenarios a coordinator picks from, and the library procedure each rehearses."""

from __future__ import annotations

from dataclasses import dataclass

from bot.flows.registry import Registry
from bot.i18n import N_, Translator

PLAYBOOK_PREFIX = "pb:"


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str  # an N_ msgid
    playbook_id: str | None  # the shipped procedure it rehearses, when there is one


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("fire", N_("Fire"), "fire"),
    Scenario("leak", N_("Hazardous chemicals leak"), None),
    Scenario("evacuation", N_("Evacuation"), None),
    Scenario("fall", N_("Fall from height"), None),
    Scenario("elevator", N_("Elevator rescue"), "elevator_trapped"),
    Scenario("flood", N_("Flood / typhoon"), "natural_disaster"),
)
BY_KEY = {s.key: s for s in SCENARIOS}


def canonical(key: str) -> str:
    """A procedure that is one of the listed scenarios counts as that scenario (``pb:fire`` is
    ``fire``), so a site's required interval sees every drill of it."""
    if key.startswith(PLAYBOOK_PREFIX):
        book_id = key[len(PLAYBOOK_PREFIX) :]
        return next((s.key for s in SCENARIOS if s.playbook_id == book_id), key)
    return key


def playbook_of(key: str, registry: Registry) -> str | None:
    """The procedure a scenario rehearses, if the library has it."""
    book_id: str | None
    if key.startswith(PLAYBOOK_PREFIX):
        book_id = key[len(PLAYBOOK_PREFIX) :]
    else:
        scenario = BY_KEY.get(key)
        book_id = scenario.playbook_id if scenario is not None else None
    return book_id if book_id is not None and book_id in registry else None


def name(key: str, tr: Translator, registry: Registry) -> str:
    """The scenario's name in the reader's language."""
    scenario = BY_KEY.get(key)
    if scenario is not None:
        return tr._(scenario.label)
    book_id = key[len(PLAYBOOK_PREFIX) :] if key.startswith(PLAYBOOK_PREFIX) else key
    return tr.pick(registry.get(book_id).title) if book_id in registry else book_id
