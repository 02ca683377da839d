"""Playbook files built to hang or crash the loader: each is refused with file:line, quickly."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.flows.loader import MAX_BYTES, PlaybookError, load_playbook
from bot.flows.registry import load_registry
from bot.flows.validation import check_playbook

# Exponential work would take minutes; a shared, busy machine may take a second or two for
# honest work. This catches hangs; it is not a speed claim.
HANG_GUARD = 10.0

BASE = """\
id: sample
version: 1
title: {zh: 样例, en: Sample}
keywords: {zh: [样例], en: [sample]}
steps:
  - id: kind
    kind: choice
    source: "t"
    text: {zh: 哪种?, en: Which?}
    options:
      - {id: lost, zh: 遗失, en: Lost}
      - {id: stolen, zh: 被盗, en: Stolen}
  - id: amount
    kind: number
    source: "t"
    min: 0
    max: 1000
    text: {zh: 金额, en: Amount}
  - id: detail
    kind: text
    source: "t"
    when: {answer: kind, equals: stolen}
    text: {zh: 说明, en: Explain}
    actions:
      - deadline: {key: reply, after: 1h, title: {zh: 答复, en: Reply}}
"""
# Nine levels of nine aliases each: 400 bytes that expand to 9**9 strings.
LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)


def write(tmp_path: Path, body: str | bytes, name: str = "sample.yaml") -> Path:
    path = tmp_path / name
    if isinstance(body, str):
        body = body.encode("utf-8")
    path.write_bytes(body)
    return path


def refused(tmp_path: Path, body: str | bytes) -> list[str]:
    """The problems the file is refused with, within a second."""
    path = write(tmp_path, body)
    started = time.monotonic()
    try:
        loaded = load_playbook(path)
    except PlaybookError as exc:
        found = [str(p) for p in exc.problems]
    else:
        found = [str(p) for p in check_playbook(loaded) if p.severity == "error"]
    assert time.monotonic() - started < HANG_GUARD, "hung"
    return found


def change(old: str, new: str) -> Callable[[str], str]:
    def apply(body: str) -> str:
        assert old in body, old
        return body.replace(old, new, 1)

    return apply


def test_the_base_is_clean(tmp_path: Path) -> None:
    assert refused(tmp_path, BASE) == []


CASES = {
    "billion laughs": (
        lambda body: LAUGHS + body,
        5,
        "this expands to more than 20000 values (each alias *name repeats",
    ),
    "recursive alias": (lambda body: body + "summary: &loop [*loop]\n", 26, "recursive alias"),
    "recursive mapping": (
        change("title: {zh: 样例, en: Sample}", "title: &t {zh: 样例, en: Sample, self: *t}"),
        3,
        "recursive alias",
    ),
    "NUL": (change("说明", "说\x00明"), 23, "control character U+0000 is not allowed"),
    "bell": (change("金额", "金\x07额"), 18, "control character U+0007 is not allowed"),
    "escape": (change("Explain", "Ex\x1bplain"), 23, "control character U+001B"),
    "DEL": (change("Sample", "Sam\x7fple"), 3, "control character U+007F"),
    "C1 control": (change("Sample", "Sam\x85ple"), 3, "control character U+0085"),
    "huge duration": (change("after: 1h", "after: 999999999999d"), 25, "at most 366 days"),
    "long duration": (change("after: 1h", "after: 367d"), 25, "at most 366 days"),
    "long duration in minutes": (change("after: 1h", "after: 527041"), 25, "at most 366 days"),
    "5,000-digit version": (
        change("version: 1", "version: " + "9" * 5000),
        2,
        "a number longer than 40 characters",
    ),
    "huge version": (change("version: 1", "version: 2147483648"), 2, "less than or equal to"),
    "mapping in equals": (
        change("equals: stolen}", "equals: {stolen: 1}}"),
        22,
        "steps[2:detail].when.equals: compare with a single value",
    ),
    "list in in": (
        change("equals: stolen}", "in: [[stolen]]}"),
        22,
        "compare with a single value",
    ),
    "NaN min": (change("min: 0", "min: .nan"), 16, "steps[1:amount].min: Input should be a finite"),
    "NaN max": (
        change("max: 1000", "max: .nan"),
        17,
        "steps[1:amount].max: Input should be a finite",
    ),
    "infinite max": (change("max: 1000", "max: .inf"), 17, "finite number"),
    "max beyond a quadrillion": (change("max: 1000", "max: 1e16"), 17, "less than or equal"),
    "NaN bound in a condition": (
        change("{answer: kind, equals: stolen}", "{answer: amount, gte: .nan}"),
        22,
        "compare with a finite number",
    ),
    "huge count": (
        change("{answer: kind, equals: stolen}", "{answer: amount, count_gte: 99999999999}"),
        22,
        "less than or equal to 1000",
    ),
    "nested too deep": (
        lambda body: body + "summary: " + "[" * 40 + "]" * 40 + "\n",
        26,
        "nested deeper than 32 levels",
    ),
    "nested too deep through aliases": (
        lambda body: (
            "".join(f"l{n}: &l{n} [{f'*l{n - 1}' if n else 'x'}]\n" for n in range(40)) + body
        ),
        32,
        "nested deeper than 32 levels (counting what aliases bring in)",
    ),
    "impossible date": (change("version: 1", "version: 2026-02-30"), 2, "cannot read this"),
}


@pytest.mark.parametrize("name", CASES)
def test_a_hostile_playbook_is_refused_with_file_and_line(tmp_path: Path, name: str) -> None:
    edit, line, expected = CASES[name]
    found = refused(tmp_path, edit(BASE))
    assert any(f"sample.yaml:{line}: error:" in p and expected in p for p in found), found


def test_bytes_that_are_not_utf8_name_their_line(tmp_path: Path) -> None:
    found = refused(tmp_path, BASE.encode("utf-8").replace("金额".encode(), b"\xff\xfe", 1))
    assert any("sample.yaml:18: error: not UTF-8 text (byte 0xff)" in p for p in found), found


def test_a_file_too_large_is_refused_unread(tmp_path: Path) -> None:
    found = refused(tmp_path, BASE + "# " + "x" * MAX_BYTES + "\n")
    assert any("sample.yaml:1: error: the file is larger than 512 kB" in p for p in found), found


def test_anchors_and_aliases_within_bounds_still_work(tmp_path: Path) -> None:
    body = change("when: {answer: kind", "when: &stolen {answer: kind")(BASE)
    body += (
        "  - id: more\n    kind: text\n    source: t\n    when: *stolen\n"
        "    text: {zh: 补充, en: More}\n"
    )
    assert refused(tmp_path, body) == []


def test_reachability_work_is_bounded(tmp_path: Path) -> None:
    """Hundreds of steps, each with thousands of answer combinations to try: still quick."""
    questions = "".join(
        f"  - {{id: q{n}, kind: yesno, required: false, source: t, text: {{zh: 问, en: Q}}}}\n"
        for n in range(7)  # 4**7 combinations per step: under the per-step limit
    )
    every = ", ".join(f"{{answer: q{n}, equals: true}}" for n in range(7))
    never = (
        "  - {{id: never{n}, kind: text, source: t, text: {{zh: 问, en: Q}},"
        " when: {{all: [{every}, {{not: {{answer: q0, equals: true}}}}]}}}}\n"
    )
    steps = "".join(never.format(n=n, every=every) for n in range(300))
    body = BASE + questions + steps
    started = time.monotonic()
    found = refused(tmp_path, body)  # some are proven unreachable, the rest left unchecked
    assert time.monotonic() - started < HANG_GUARD
    assert 0 < sum("never" in p and "can never be reached" in p for p in found) < 300


def test_start_up_refuses_the_billion_laughs_quickly(tmp_path: Path) -> None:
    write(tmp_path, LAUGHS + BASE)
    started = time.monotonic()
    with pytest.raises(PlaybookError) as refused_:
        load_registry(tmp_path)
    assert time.monotonic() - started < HANG_GUARD
    assert "sample.yaml:5: error: this expands to more than" in str(refused_.value)


def test_flows_check_refuses_the_billion_laughs(tmp_path: Path) -> None:
    write(tmp_path, LAUGHS + BASE)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "flows", "check", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={**os.environ, "DUTYBOT_SITE__LOCALE": "en"},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{tmp_path / 'sample.yaml'}:5: error: this expands" in result.stdout
    assert "Traceback" not in result.stderr
