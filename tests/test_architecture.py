"""Boundaries the design promises: the engine knows no Telegram library; SQL lives in services."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
TELEGRAM_FREE = ["engine", "flows", "cases", "staff", "sites", "conversations", "storage"]
SQL_FREE = ["engine", "transports"]
TELEGRAM_LIBRARIES = ("aiogram", "telegram")


def modules(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (BOT / folder).rglob("*.py"))


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", modules(*TELEGRAM_FREE), ids=lambda p: str(p.relative_to(BOT)))
def test_no_telegram_library_below_the_adapters(path: Path) -> None:
    found = {n for n in imported(path) if n.split(".")[0] in TELEGRAM_LIBRARIES}
    assert not found, f"{path} imports {found}"


def test_the_engine_and_console_load_without_telegram_libraries() -> None:
    probe = (
        "import sys, bot.engine.conversation, bot.transports.console, bot.cli.console; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {TELEGRAM_LIBRARIES!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("path", modules(*SQL_FREE), ids=lambda p: str(p.relative_to(BOT)))
def test_no_sql_in_the_engine_or_the_adapters(path: Path) -> None:
    calls = {
        node.func.id
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not calls & {"select", "insert", "update", "delete", "text"}, path
    sql_modules = {
        n
        for n in imported(path)
        if n.split(".")[0] in ("sqlalchemy", "asyncpg", "psycopg", "sqlite3")
    }
    assert not sql_modules, f"{path} imports {sql_modules}"


# Engine modules change rows only through the domain services. The conversation row is the
# one exception, saved by the engine's front door (bot/engine/conversation.py) after each event.
SESSION_WRITES = {"add", "add_all", "delete", "merge", "flush", "commit", "exec", "execute", "get"}
ALLOWED_SESSION_CALLS: set[tuple[str, str]] = set()


def session_calls(path: Path) -> set[str]:
    """Methods called on anything named ``session`` (``session.add``, ``ctx.session.add``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        target = node.func.value
        name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", None)
        if name == "session" and node.func.attr in SESSION_WRITES:
            found.add(node.func.attr)
    return found


@pytest.mark.parametrize("path", modules("engine"), ids=lambda p: str(p.relative_to(BOT)))
def test_the_engine_changes_rows_only_through_the_services(path: Path) -> None:
    calls = {c for c in session_calls(path) if (path.name, c) not in ALLOWED_SESSION_CALLS}
    assert not calls, f"{path} calls session.{', session.'.join(sorted(calls))}"
