"""Leaving `dutybot console`: Ctrl-C ends it at once, Enter or not, and /quit too; each says the
report in progress is kept and how to go on with it."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

from tests.e2e.test_console import Console, run_console


async def open_report(console: Console) -> str:
    await console.read_prompt()
    await console.type("y")
    await console.type("钱包被偷")
    await console.press("安防 · 客户挂失财物及失窃")
    number = console.screen.split("已立案 ", 1)[1].split(":", 1)[0].split("：", 1)[0]
    await console.press("失窃")
    return number.strip()


async def ended(console: Console, seconds: float) -> str:
    """Everything printed until the process ends (within ``seconds``)."""
    assert console.process.stdout is not None
    rest = await asyncio.wait_for(console.process.stdout.read(), timeout=seconds)
    await asyncio.wait_for(console.process.wait(), timeout=seconds)
    return rest.decode("utf-8")


async def test_ctrl_c_leaves_at_once_and_says_the_report_is_kept(tmp_path: Path) -> None:
    console = await run_console(tmp_path)
    try:
        number = await open_report(console)
        started = time.monotonic()
        console.process.send_signal(signal.SIGINT)  # waiting for a line; no Enter follows
        said = await ended(console, seconds=10)
        assert time.monotonic() - started < 5
    finally:
        if console.process.returncode is None:
            console.process.kill()
    assert console.process.returncode == 130
    assert f"报告 {number} 仍在进行中" in said, said
    assert 'dutybot console --as "演示保安"' in said and "继续" in said
    assert "Traceback" not in said and "KeyboardInterrupt" not in said


async def test_quit_says_the_report_is_kept_and_how_to_go_on(tmp_path: Path) -> None:
    console = await run_console(tmp_path)
    try:
        number = await open_report(console)
        assert console.process.stdin is not None
        console.process.stdin.write(b"/quit\n")
        said = await ended(console, seconds=10)
    finally:
        if console.process.returncode is None:
            console.process.kill()
    assert console.process.returncode == 0
    assert f"报告 {number} 仍在进行中" in said, said


async def test_ctrl_c_without_a_report_says_goodbye(tmp_path: Path) -> None:
    console = await run_console(tmp_path)
    try:
        await console.read_prompt()
        await console.type("y")
        console.process.send_signal(signal.SIGINT)
        said = await ended(console, seconds=10)
    finally:
        if console.process.returncode is None:
            console.process.kill()
    assert console.process.returncode == 130
    assert "再见" in said, said
