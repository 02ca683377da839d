"""Each step kind is one file: its schema model, behaviour, checks and answer format. The step
union of the playbook schema and the kind registry are built from those files."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.engine.steps import KINDS, kind_of
from bot.engine.steps.base import StepBase
from bot.flows.schema import Playbook

STEPS = Path(__file__).resolve().parents[2] / "bot" / "engine" / "steps"


def test_every_kind_file_defines_one_kind_and_the_registry_holds_them_all() -> None:
    files = {p.stem for p in STEPS.glob("*.py")} - {"__init__", "base", "options"}
    assert {KINDS[k].__module__.rsplit(".", 1)[-1] for k in KINDS} == files
    assert len(KINDS) == len(files)
    for tag, model in KINDS.items():
        assert kind_of(model) == tag
        assert issubclass(model, StepBase)


def test_the_playbook_schema_admits_exactly_the_registered_kinds() -> None:
    base = {"id": "p", "version": 1, "title": {"zh": "题", "en": "T"}}
    with pytest.raises(ValidationError) as raised:
        Playbook.model_validate(
            {**base, "steps": [{"id": "s", "kind": "essay", "text": {"zh": "问", "en": "Q"}}]}
        )
    assert "kind must be one of: " + ", ".join(KINDS) in str(raised.value)
    book = Playbook.model_validate(
        {**base, "steps": [{"id": "s", "kind": "text", "text": {"zh": "问", "en": "Q"}}]}
    )
    assert type(book.step("s")) is KINDS["text"]


def test_playbook_step_is_typed() -> None:
    hints = typing.get_type_hints(Playbook.step)
    assert hints["return"] is StepBase


def test_step_kinds_import_nothing_else_of_the_engine() -> None:
    """They are the leaf the schema is built from: no context, no database, no transports."""
    allowed = (
        "bot.engine.steps",
        "bot.engine.incoming",
        "bot.flows.parts",
        "bot.flows.conditions",
        "bot.flows.schema",  # for type checking only
        "bot.i18n",
    )
    for path in sorted(STEPS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot"):
                assert node.module.startswith(allowed), f"{path.name} imports {node.module}"
