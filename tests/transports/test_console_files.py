"""The console shows a file the bot sends (a PDF, a CSV, a chart) as the path it saved it to."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.engine.outgoing import FileOut, Outgoing
from bot.transports.console import render


def test_a_file_is_saved_and_its_path_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DUTYBOT_CONSOLE_FILES", str(tmp_path))
    out = io.StringIO()
    sent = FileOut("../case-2611-001.pdf", b"%PDF-1.7", caption="Case report 2611-001")
    render(Outgoing(text="", files=(sent,)), out)
    saved = tmp_path / "dutybot" / "case-2611-001.pdf"  # the name only, never a path
    assert saved.read_bytes() == b"%PDF-1.7"
    assert f"📎 Case report 2611-001: {saved}" in out.getvalue()
