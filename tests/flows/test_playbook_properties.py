"""Property test: any bytes, above all a real playbook mutated, either load or are refused with a
``PlaybookError`` naming file and line: never another exception, never more than a second."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.flows.loader import PlaybookError, Problem, load_playbook
from bot.flows.validation import check_playbook
from tests.support import TEST_PLAYBOOKS

# Exponential work would take minutes; a shared, busy machine may take a second or two for
# honest work. This catches hangs; it is not a speed claim.
HANG_GUARD = 10.0

SEED = (TEST_PLAYBOOKS / "all_kinds.yaml").read_bytes()  # every step kind, action and condition
# What YAML and the schema react to: anchors, aliases, merge keys, tags, flow and block syntax,
# control characters, invalid UTF-8, huge or odd numbers, impossible dates, durations.
TOKENS = [
    b"&a ", b"*a", b"&b [*a, *a, *a, *a]", b"<<: *a\n", b"[", b"]", b"{", b"}", b": ", b"- ",
    b"? ", b"\n", b"\n  ", b"\n    - ", b"\t", b"'", b'"', b"#", b"|\n", b">-\n", b"---\n",
    b"...\n", b"%YAML 1.1\n", b"!!str ", b"!!binary ", b"!!set ", b"!!python/object:os.system ",
    b"\x00", b"\x07", b"\x1b", b"\x7f", b"\xc2\x85", b"\xe2\x80\xa8", b"\xff", b"\xef\xbb\xbf",
    b"9" * 60, b"9" * 30, b"1e400", b".nan", b"-.inf", b"0x" + b"f" * 30, b"1:2:3:4",
    b"2026-02-30", b"999999999999d", b"99999999m", b"null", b"~", b"true", b"kind: ",
    b"equals: {a: 1}", b"in: [[1]]", b"count_gte: 99999", b"when: ", b"not: ", b"answer: ack",
]  # fmt: skip
LOCATED = re.compile(r"^(?P<file>.+):(?P<line>\d+): (error|warning): ")


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(SEED)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        end = min(len(data), at + draw(st.integers(0, 40)))
        operation = draw(st.sampled_from(["token", "token", "delete", "bytes", "duplicate"]))
        if operation == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif operation == "delete":
            del data[at:end]
        elif operation == "bytes":
            data[at:end] = draw(st.binary(max_size=12))
        else:
            data[at:at] = data[at:end] * draw(st.integers(1, 50))
    return bytes(data)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mutated")


def located(problem: Problem, path: Path) -> None:
    text = str(problem)
    match = LOCATED.match(text)
    assert match, text
    assert match["file"] == str(path) and int(match["line"]) >= 1, text


@settings(max_examples=150, derandomize=True, database=None, deadline=None)
@given(mutated() | st.binary(max_size=300))
def test_any_bytes_load_or_are_refused_with_file_and_line(folder: Path, body: bytes) -> None:
    path = folder / "all_kinds.yaml"  # named after its id, as a playbook must be
    path.write_bytes(body)
    started = time.monotonic()
    try:
        loaded = load_playbook(path)
    except PlaybookError as exc:
        assert exc.problems
        problems = exc.problems
    else:
        problems = check_playbook(loaded)
    assert time.monotonic() - started < HANG_GUARD, "hung"
    for problem in problems:
        located(problem, path)
