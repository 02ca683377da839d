"""``dutybot run`` drives a :class:`Transport`; both client ports are one (mypy checks the
assignment below, this test that the protocol names what the runner uses)."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.transports.aiogram import AiogramTransport
from bot.transports.port import Transport
from bot.transports.ptb import PtbTransport

RUNNER = Path(__file__).resolve().parents[2] / "bot" / "transports" / "runner.py"


def _as_transports(a: AiogramTransport, p: PtbTransport) -> tuple[Transport, Transport]:
    return a, p  # a type error here if either stops being a Transport


def test_the_protocol_names_what_the_runner_uses_of_a_transport() -> None:
    used = {
        node.attr
        for node in ast.walk(ast.parse(RUNNER.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "transport"
    }
    declared = set(Transport.__annotations__) | {
        name for name in vars(Transport) if not name.startswith("_")
    }
    assert used and used <= declared, used - declared
    for client in (AiogramTransport, PtbTransport):
        assert all(hasattr(client, name) for name in declared - {"front"}), client
