"""Playbook files: broken ones are refused with file, line and field."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.flows.loader import PlaybookError, load_playbook
from bot.flows.registry import SHIPPED_DIR, load_registry
from bot.flows.validation import check_playbook

GOOD = """\
id: sample
version: 1
title: {zh: 样例, en: Sample}
keywords: {zh: [样例], en: [sample]}
steps:
  - id: first
    kind: yesno
    source: "t"
    text: {zh: "是否?", en: "Is it?"}
  - id: second
    kind: text
    source: "t"
    when: {answer: first, equals: true}
    text: {zh: 说明, en: Explain}
"""


def write(tmp_path: Path, body: str, name: str = "sample.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def problems(tmp_path: Path, body: str) -> list[str]:
    path = write(tmp_path, body)
    try:
        loaded = load_playbook(path)
    except PlaybookError as exc:
        return [str(p) for p in exc.problems]
    return [str(p) for p in check_playbook(loaded) if p.severity == "error"]


def test_the_sample_is_clean(tmp_path: Path) -> None:
    assert problems(tmp_path, GOOD) == []


@pytest.mark.parametrize(
    ("change", "line", "expected"),
    [
        (("kind: text", "kind: essay"), 11, "steps[1:second].kind: kind must be one of"),
        (("text: {zh: 说明, en: Explain}", "text: {}"), 14, "steps[1:second].text: needs a zh"),
        (
            ("{answer: first, equals: true}", "{answer: nowhere, equals: true}"),
            13,
            "unknown step 'nowhere'",
        ),
        (
            ("{answer: first, equals: true}", "{answer: second, equals: true}"),
            13,
            "not asked before it",
        ),
        (
            ("{answer: first, equals: true}", "{answer: first, equals: maybe}"),
            13,
            "compare with true or false",
        ),
        (("{answer: first, equals: true}", "{answer: first, gte: 3}"), 13, "compares numbers"),
        (("{answer: first, equals: true}", "{answer: first}"), 13, "exactly one of"),
        (
            ("{answer: first, equals: true}", "{setting: limit, set: true}"),
            13,
            "unknown setting 'limit'",
        ),
        (
            (
                "{answer: first, equals: true}",
                "{all: [{answer: first, equals: true}, {answer: first, equals: false}]}",
            ),
            13,
            "can never be reached",
        ),
        (("text: {zh: 说明, en: Explain}", "text: {zh: 说明}"), 14, "missing en translation"),
        (("id: sample", "id: other"), 1, "should be named after the id"),
        (
            ('    source: "t"\n    when', '    source: "t"\n    source: "u"\n    when'),
            13,
            "duplicate key",
        ),
        (("version: 1", "version: 1\n  bad: indent"), 3, "not valid YAML"),
    ],
)
def test_errors_name_file_line_and_field(
    tmp_path: Path, change: tuple[str, str], line: int, expected: str
) -> None:
    old, new = change
    assert old in GOOD
    found = problems(tmp_path, GOOD.replace(old, new, 1))
    assert found, "the broken playbook was accepted"
    assert any(f"sample.yaml:{line}:" in p and expected in p for p in found), found


def test_a_deadline_is_met_by_this_or_a_later_step(tmp_path: Path) -> None:
    deadline = (
        "    actions:\n      - deadline: {key: reply, after: 1h, title: {zh: 答复, en: Reply},"
        " until: %s}\n"
    )
    lines = GOOD.splitlines(keepends=True)
    at = lines.index('    text: {zh: "是否?", en: "Is it?"}\n') + 1
    for until, expected in (("second", None), ("first", None), ("nowhere", "unknown step")):
        body = "".join(lines[:at]) + deadline % until + "".join(lines[at:])
        found = problems(tmp_path, body)
        if expected is None:
            assert found == [], found
        else:
            assert any("deadline.until" in p and expected in p for p in found), found
    later = GOOD + deadline.replace("    actions", "    actions") % "first"
    assert any("not this step or a later one" in p for p in problems(tmp_path, later))


def test_unknown_role_in_an_action(tmp_path: Path) -> None:
    body = GOOD + "    actions:\n      - notify: [janitor]\n"
    found = problems(tmp_path, body)
    assert any("sample.yaml:16:" in p and "unknown role 'janitor'" in p for p in found), found


def test_shipped_playbooks_are_clean() -> None:
    registry, found = load_registry()
    assert [str(p) for p in found] == []
    assert "lost_property" in registry


def test_site_folder_overrides_a_shipped_playbook(tmp_path: Path) -> None:
    original = (SHIPPED_DIR / "lost_property.yaml").read_text(encoding="utf-8")
    changed = original.replace("version: 2", "version: 3")
    changed = changed.replace("客户挂失财物及失窃", "本店失物处理", 1)
    write(tmp_path, changed, "lost_property.yaml")
    registry, _ = load_registry(tmp_path)
    assert registry.get("lost_property").version == 3
    assert registry.get("lost_property").title["zh"] == "本店失物处理"


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`dutybot ...` speaking English (the deployment default would be Chinese)."""
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        env={**os.environ, "DUTYBOT_SITE__LOCALE": "en"},
    )


def test_flows_check_command(tmp_path: Path) -> None:
    ok = run_cli("flows", "check", cwd=tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "0 error(s)" in ok.stdout
    write(tmp_path, GOOD.replace("kind: text", "kind: essay"))
    broken = run_cli("flows", "check", str(tmp_path), cwd=tmp_path)
    assert broken.returncode == 1
    assert f"{tmp_path / 'sample.yaml'}:11: error:" in broken.stdout


def test_flows_show_command(tmp_path: Path) -> None:
    shown = run_cli("flows", "show", "lost_property", "--locale", "en", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Lost or stolen property  [lost_property v3 · Security]")
    assert (
        "only when (Owner asks for police = yes OR Large value = yes OR Estimated value ≥ "
        "setting large_value_threshold)" in shown.stdout
    )
    assert "notify: Security chief, Service-centre head, Property manager" in shown.stdout
    for spelling in ("zh", "zh_Hans"):  # zh is accepted for zh_Hans
        chart = run_cli(
            "flows",
            "show",
            "lost_property",
            "--format",
            "mermaid",
            "--locale",
            spelling,
            cwd=tmp_path,
        )
        assert chart.returncode == 0, chart.stderr
        assert chart.stdout.startswith("flowchart TD")
        assert "police_report" in chart.stdout and "需调看监控" in chart.stdout
    missing = run_cli("flows", "show", "nothing", cwd=tmp_path)
    assert missing.returncode == 2 and "No playbook “nothing”" in missing.stderr
    # One spelling: --locale, as for site add and staff add.
    old = run_cli("flows", "show", "lost_property", "--lang", "en", cwd=tmp_path)
    assert old.returncode == 2 and "unrecognized arguments: --lang en" in old.stderr


def test_a_text_setting_compared_by_value_is_reachable(tmp_path: Path) -> None:
    body = GOOD.replace(
        "steps:",
        "settings:\n  mode:\n    type: text\n    title: {zh: 模式, en: Mode}\nsteps:",
    ).replace("{answer: first, equals: true}", "{setting: mode, equals: strict}")
    assert problems(tmp_path, body) == []
    never = body.replace(
        "{setting: mode, equals: strict}",
        "{all: [{setting: mode, equals: strict}, {setting: mode, equals: lax}]}",
    )
    assert any("can never be reached" in p for p in problems(tmp_path, never))
