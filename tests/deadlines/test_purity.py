"""bot/deadlines' arithmetic is pure: no database, no engine, no transport, no other part of the
bot. The domain's rows, service, settings, jobs and messages (``STORED``) sit beside it and use
the database; the pure modules never import them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.test_architecture import BOT, imported, modules

ALLOWED_BOT = ("bot.deadlines",)
FORBIDDEN = ("sqlalchemy", "sqlmodel", "asyncpg", "aiosqlite", "alembic", "aiogram", "telegram")
STORED = ("models", "service", "settings", "jobs", "messages", "rises")
PURE = [path for path in modules("deadlines") if path.stem not in STORED]


def test_the_pure_modules_are_the_arithmetic() -> None:
    names = {path.stem for path in PURE}
    assert {"calendar", "clocks", "specs", "levels", "defaults"} <= names


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(BOT)))
def test_no_database_engine_or_transport_import(path: object) -> None:
    names = imported(path)  # type: ignore[arg-type]
    assert not {n for n in names if n.split(".")[0] in FORBIDDEN}, path
    assert all(n.startswith(ALLOWED_BOT) for n in names if n.split(".")[0] == "bot"), path
    stored = {f"bot.deadlines.{stem}" for stem in STORED}
    assert not {n for n in names if n in stored}, path


def test_importing_it_loads_nothing_else_of_the_bot() -> None:
    probe = (
        "import sys, bot.deadlines, bot.deadlines.levels, bot.deadlines.defaults; "
        "print(sorted(m for m in sys.modules if m.startswith('bot.') "
        "and not m.startswith('bot.deadlines')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
