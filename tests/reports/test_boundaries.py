"""The renderers take plain records: no database, no engine, no Telegram below them."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPORTS = Path(__file__).resolve().parents[2] / "bot" / "reports"
FORBIDDEN = (
    "bot.engine",
    "bot.storage",
    "bot.cases",
    "bot.escalation",
    "bot.delivery",
    "bot.transports",
    "bot.cli",
    "sqlalchemy",
    "sqlmodel",
    "aiogram",
    "telegram",
)
# Plain values without a database below them (a case's states and their names).
ALLOWED = ("bot.cases.states",)


@pytest.mark.parametrize("path", sorted(REPORTS.glob("*.py")), ids=lambda p: p.name)
def test_no_database_or_engine_import(path: Path) -> None:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    assert not {n for n in names if n.startswith(FORBIDDEN) and n not in ALLOWED}


def test_the_records_and_csv_load_without_matplotlib_or_fpdf() -> None:
    probe = (
        "import sys, bot.reports, bot.reports.csv_export; "
        "print(sorted(m for m in ('matplotlib', 'fpdf') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
