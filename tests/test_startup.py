"""`dutybot console` starts on what its chat needs: the libraries that only some commands or
answers use (charts, PDFs, calendars, Telegram, migrations) are imported when they are used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

NOT_AT_START = (
    "matplotlib",
    "numpy",
    "fpdf",
    "fontTools",
    "PIL",
    "icalendar",
    "aiogram",
    "telegram",
    "aiohttp",
    "httpx",
    "alembic",
    "apscheduler",
)

# The console run in-process, so that what it imported can be listed as it ends.
PROBE = f"""
import sys
from bot.cli import main
code = main(["console"])
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set({NOT_AT_START!r}))
print("LOADED", loaded)
raise SystemExit(code)
"""


def test_the_console_starts_without_the_libraries_it_does_not_use(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYBOT_")}
    env.update(
        DUTYBOT_DATABASE__URL=f"sqlite:///{tmp_path / 'dutybot.db'}",
        DUTYBOT_MEDIA__DIR=str(tmp_path / "media"),
        DUTYBOT_SITE__LOCALE="en",
    )
    dutybot = [sys.executable, "-m", "bot.cli"]
    subprocess.run(
        [*dutybot, "db", "upgrade"], env=env, cwd=tmp_path, check=True, capture_output=True
    )
    run = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        cwd=tmp_path,
        input="y\n/quit\n",  # create the demo site and user; the menu; leave
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Created site" in run.stdout and "> " in run.stdout
    assert run.stdout.rstrip().endswith("LOADED []"), run.stdout[-500:]
