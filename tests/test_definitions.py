"""One definition each: the languages, the playbook groups, the case states, the union tags."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.cases.models import STATUS_NAMES, CaseStatus
from bot.engine import profile
from bot.flows.conditions import CONDITIONS
from bot.flows.groups import GROUPS
from bot.flows.loader import strip_tags
from bot.flows.parts import ACTIONS, LANGS
from bot.flows.schema import Playbook
from bot.i18n import LANGUAGES, PLAYBOOK_LANGS, SUPPORTED, TEXT_KEYS, parse_locale
from bot.reports.wording import CASE_STATUS

BOT = Path(__file__).resolve().parent.parent / "bot"
BASE = {"id": "p", "version": 1, "title": {"zh": "题", "en": "T"}}
STEP = {"id": "s", "kind": "instruction", "text": {"zh": "问", "en": "Q"}}


def test_the_languages_come_from_one_table() -> None:
    assert SUPPORTED == tuple(language.locale for language in LANGUAGES)
    assert LANGS == PLAYBOOK_LANGS == tuple(TEXT_KEYS.values())
    for language in LANGUAGES:
        assert parse_locale(language.locale) == language.locale
        for word in language.typed:
            assert profile.parse_language(word) == language.locale


def test_every_case_state_has_one_name() -> None:
    assert set(CaseStatus) <= set(STATUS_NAMES)
    assert set(STATUS_NAMES) - set(CaseStatus) == {"completed"}  # the old name of reported
    assert CASE_STATUS is STATUS_NAMES


def test_the_groups_come_from_one_table() -> None:
    for group in GROUPS:
        assert Playbook.model_validate({**BASE, "group": group, "steps": [STEP]}).group == group
    with pytest.raises(ValidationError, match="group must be one of: " + ", ".join(GROUPS)):
        Playbook.model_validate({**BASE, "group": "kitchen", "steps": [STEP]})


def test_the_union_tags_come_from_one_table() -> None:
    with pytest.raises(ValidationError, match="an action is one of: " + ", ".join(ACTIONS)):
        Playbook.model_validate({**BASE, "steps": [{**STEP, "actions": [{"ping": ["x"]}]}]})
    with pytest.raises(ValidationError, match="a condition is one of: " + ", ".join(CONDITIONS)):
        Playbook.model_validate({**BASE, "steps": [{**STEP, "when": {"maybe": 1}}]})
    # The loader drops each union's tag from an error's location, whatever the table holds.
    for tag in (*ACTIONS, *CONDITIONS):
        assert strip_tags(("when", tag, "x"), {"when": {tag: {"x": 1}}}) == ("when", "x")


@pytest.mark.parametrize(
    "path",
    sorted(p for folder in ("engine", "flows") for p in (BOT / folder).rglob("*.py")),
    ids=lambda p: str(p.relative_to(BOT)),
)
def test_no_language_or_group_is_spelled_out_again(path: Path) -> None:
    if path.name == "groups.py":
        return
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert node.value != "zh_Hans", f"{path}: a locale spelled out"
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            values = {e.value for e in node.elts if isinstance(e, ast.Constant)}
            assert values != set(PLAYBOOK_LANGS), f"{path}:{node.lineno}: the languages again"
            assert not values >= {"security", "hotel", "complaints"}, f"{path}:{node.lineno}"
