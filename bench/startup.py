"""`dutybot console`: time from starting the process to its first prompt.

A demo site and user are made first (outside the timing), and the package's bytecode is
compiled, as ``pip install`` compiles it (an editable install under ``PYTHONDONTWRITEBYTECODE``
would otherwise compile every module of ``bot`` on every run); then ``dutybot console`` is
started ``--runs`` times with ``/quit`` ready on its input, timing the moment its ``> `` prompt
appears.
The interpreter alone (``python -c pass``) is timed the same way, interleaved, as the floor.
``--imports`` lists the costliest top-level imports of one run (``python -X importtime``).

    .venv/bin/python bench/startup.py [--runs 9] [--imports]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGET = 0.5


def environment(folder: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYBOT_")}
    env.update(
        DUTYBOT_DATABASE__URL=f"sqlite:///{folder}/dutybot.db",
        DUTYBOT_MEDIA__DIR=f"{folder}/media",
        DUTYBOT_SITE__LOCALE="en",
    )
    return env


def prepare(env: dict[str, str]) -> None:
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "bot")], check=True)
    dutybot = [PYTHON, "-m", "bot.cli"]
    subprocess.run([*dutybot, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [*dutybot, "console"], env=env, input=b"y\n/quit\n", check=True, capture_output=True
    )


def first_prompt(env: dict[str, str]) -> float:
    """Seconds from spawning ``dutybot console`` to its ``> `` prompt."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [PYTHON, "-m", "bot.cli", "console"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None and process.stdin is not None
    seen = b""
    while not seen.endswith(b"> "):
        chunk = os.read(process.stdout.fileno(), 4096)
        if not chunk:
            raise RuntimeError(f"console ended before its prompt: {seen[-300:]!r}")
        seen += chunk
    elapsed = time.perf_counter() - started
    process.communicate(b"/quit\n", timeout=30)
    return elapsed


def bare_interpreter() -> float:
    started = time.perf_counter()
    subprocess.run([PYTHON, "-c", "pass"], check=True)
    return time.perf_counter() - started


def imports(env: dict[str, str], top: int) -> list[tuple[float, str]]:
    run = subprocess.run(
        [PYTHON, "-X", "importtime", "-m", "bot.cli", "console"],
        env=env,
        input=b"/quit\n",
        capture_output=True,
        check=True,
    )
    rows = []
    for line in run.stderr.decode().splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( +)(\S+)", line)
        if match and len(match.group(2)) <= 3:  # top-level and their direct imports
            rows.append((int(match.group(1)) / 1e6, match.group(2)[1:] + match.group(3)))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--imports", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = environment(folder)
        prepare(env)
        first_prompt(env)  # warm the file cache
        console, floor = [], []
        for _ in range(args.runs):
            console.append(first_prompt(env))
            floor.append(bare_interpreter())
        print(
            f"dutybot console, first prompt: median {statistics.median(console):.3f} s "
            f"(min {min(console):.3f}, max {max(console):.3f}; {args.runs} runs)"
        )
        print(
            f"python -c pass: median {statistics.median(floor):.3f} s "
            f"(min {min(floor):.3f}, max {max(floor):.3f})"
        )
        best = min(console)
        print(
            f"  {'PASS' if statistics.median(console) < TARGET else 'FAIL'}  first prompt < "
            f"{TARGET} s: median {statistics.median(console):.3f} s, best {best:.3f} s"
        )
        if args.imports:
            print("\ncostliest imports (cumulative, one run with -X importtime):")
            for seconds, name in imports(env, 25):
                print(f"  {seconds * 1000:7.1f} ms  {name}")


if __name__ == "__main__":
    main()
