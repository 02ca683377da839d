"""`dutybot export case NUMBER` and `dutybot export month YYYY-MM` write the files managers get
in the chat: a PDF in the chosen language, a CSV that Excel opens."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.sites import service as sites
from bot.storage.db import Database
from tests.managers import seeding
from tests.reports.conftest import text_of
from tests.test_cli import deployment, dutybot

__all__ = ["deployment"]  # the fixture, shared with the other command-line tests


def seed(path: Path) -> None:
    async def work() -> None:
        db = Database(f"sqlite:///{path}")
        try:
            with db.transaction() as session:
                site = sites.by_code(session, "HQ")
                assert site is not None
                opened = datetime(2026, 11, 20, 3, tzinfo=UTC)
                guard = seeding.person(session, site, "Li Wei", "guard", now=opened)
                seeding.case(session, site, guard, opened, answers={"what": "=cmd()"})
        finally:
            await db.dispose()

    asyncio.run(work())


def test_export_case_and_month(deployment: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dutybot(capsys, "db", "upgrade")
    dutybot(capsys, "site", "add", "HQ", "HQ Hotel")
    seed(deployment / "dutybot.db")
    code, out, err = dutybot(capsys, "export", "case", "2611-001", "--locale", "en")
    assert code == 0 and err == "" and "case-2611-001.pdf" in out
    pdf = (deployment / "case-2611-001.pdf").read_bytes()
    assert "Casereport2611-001" in text_of(pdf) and "LiWei" in text_of(pdf)
    code, out, _ = dutybot(capsys, "export", "case", "2611-001", "-o", "zh.pdf")
    assert code == 0 and "案件报告2611-001" in text_of((deployment / "zh.pdf").read_bytes())
    code, out, err = dutybot(capsys, "export", "month", "2026-11", "--locale", "en")
    data = (deployment / "cases-HQ-2026-11.csv").read_bytes()
    assert code == 0 and data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "Case number" and [r[0] for r in rows[1:]] == ["2611-001"]
    code, _, err = dutybot(capsys, "export", "case", "2611-999")
    assert code == 2 and "2611-999" in err
    code, _, err = dutybot(capsys, "export", "month", "November")
    assert code == 2 and "November" in err
