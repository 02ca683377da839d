"""A site's own playbook folder, through the command line: overrides apply, broken files refuse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.flows.registry import SHIPPED_DIR


def dutybot(*args: str, folder: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DUTYBOT_FLOWS__EXTRA_DIR": str(folder),
        "DUTYBOT_DATABASE__URL": f"sqlite:///{cwd / 'dutybot.db'}",
    }
    env.pop("DUTYBOT_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_a_changed_copy_overrides_the_shipped_playbook(tmp_path: Path) -> None:
    folder = tmp_path / "site-playbooks"
    folder.mkdir()
    original = (SHIPPED_DIR / "fire.yaml").read_text(encoding="utf-8")
    changed = original.replace("version: 1", "version: 2", 1)
    changed = changed.replace(
        "en: Fire alarm and initial fire", "en: Fire (Harbour Hotel rules)", 1
    )
    assert changed.count("Harbour Hotel") == 1
    (folder / "fire.yaml").write_text(changed, encoding="utf-8")
    check = dutybot("flows", "check", folder=folder, cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    shown = dutybot("flows", "show", "fire", "--locale", "en", folder=folder, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Fire (Harbour Hotel rules)  [fire v2")


def test_a_broken_copy_is_refused_with_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "site-playbooks"
    folder.mkdir()
    lines = (SHIPPED_DIR / "fire.yaml").read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.strip() == "kind: yesno")
    lines[number] = lines[number].replace("yesno", "yes-or-no")
    broken = folder / "fire.yaml"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    where = f"{broken}:{number + 1}: error:"
    check = dutybot("flows", "check", folder=folder, cwd=tmp_path)
    assert check.returncode == 1
    assert where in check.stdout, check.stdout
    upgrade = dutybot("db", "upgrade", folder=folder, cwd=tmp_path)
    assert upgrade.returncode == 0, upgrade.stderr
    console = dutybot("console", folder=folder, cwd=tmp_path)
    assert console.returncode == 1
    assert where in console.stderr, console.stderr
