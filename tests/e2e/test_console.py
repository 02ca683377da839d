"""`dutybot console` driven over stdin/stdout like a newcomer: A1 with the police branch."""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.support import png

ROOT = Path(__file__).resolve().parents[2]
BUTTON = re.compile(r"\[(\d+)\] (.+?)(?=   \[\d+\]|$)")


class Console:
    """A running `dutybot console`: type lines, read screens."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.screen = ""
        self.transcript: list[str] = []

    async def read_prompt(self) -> str:
        assert self.process.stdout is not None
        buffer = ""
        while not (buffer.endswith("\n> ") or buffer.endswith("[Y/n] ")):
            chunk = await asyncio.wait_for(self.process.stdout.read(4096), timeout=30)
            if not chunk:
                raise AssertionError(f"console ended:\n{buffer}")
            buffer += chunk.decode("utf-8")
        self.screen = buffer
        self.transcript.append(buffer)
        return buffer

    async def type(self, line: str) -> str:
        assert self.process.stdin is not None
        self.transcript.append(line + "\n")
        self.process.stdin.write((line + "\n").encode("utf-8"))
        await self.process.stdin.drain()
        return await self.read_prompt()

    def buttons(self) -> dict[str, str]:
        last = self.screen.rsplit("\n== ", 1)[-1]
        found: dict[str, str] = {}
        for line in last.splitlines():
            for number, label in BUTTON.findall(line.strip()):
                found[label.strip()] = number
        return found

    async def press(self, label: str) -> str:
        buttons = self.buttons()
        matches = [n for text, n in buttons.items() if text == label] or [
            n for text, n in buttons.items() if text.split(" ", 1)[-1] == label
        ]
        assert matches, f"no button {label!r} in {list(buttons)}\n{self.screen}"
        return await self.type("#" + matches[0])

    def asks(self, words: str) -> None:
        assert words in self.screen.rsplit("\n== ", 1)[-1], f"expected {words!r} in\n{self.screen}"


async def run_console(workdir: Path) -> Console:
    env = {
        **os.environ,
        "DUTYBOT_DATABASE__URL": f"sqlite:///{workdir / 'dutybot.db'}",
        "DUTYBOT_MEDIA__DIR": str(workdir / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DUTYBOT_CONFIG", None)
    upgrade = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "db",
        "upgrade",
        cwd=workdir,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await upgrade.communicate()
    assert upgrade.returncode == 0, out.decode()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "console",
        cwd=workdir,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    return Console(process)


async def test_a_newcomer_reports_a_theft_with_the_police_branch(tmp_path: Path) -> None:
    workdir = tmp_path
    photo = workdir / "scene.png"
    photo.write_bytes(png(42, size=8))
    console = await run_console(workdir)
    try:
        await console.read_prompt()
        assert "创建演示场所和演示用户" in console.screen
        await console.type("y")
        # Two sentences in Chinese: no space after 。
        assert "用户“演示保安”。下次可用:dutybot console --as" in console.screen
        console.asks("📝 报告事件")
        await console.type("1")  # a bare number presses the button
        await console.type("钱包被偷")  # typed words find the procedure
        await console.press("安防 · 客户挂失财物及失窃")
        number = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%y%m") + "-001"
        assert f"已立案 {number}" in console.screen
        console.asks("第 1 步")
        await console.press("失窃")
        await console.press("现在")
        await console.type("张三")
        await console.type("业主 1203室")
        await console.type("13800000000")
        console.asks("发送位置")
        await console.type("31.2304,121.4737")
        await console.press("现在")  # foreman arrived
        await console.press("是")  # CCTV needed: the chief reviews it, in his part
        await console.press("照相机")
        await console.press("手套")
        await console.press("完成")
        await console.type("失主称钱包放在大堂沙发上,离开约十分钟后发现不见")
        await console.type("黑色皮质钱包,内有身份证和现金约3000元")
        await console.type("3000")
        await console.type(str(photo))
        console.asks("已收到 1 张照片")
        await console.press("完成")
        console.asks("物业部经理。dutybot 已即时通知对方（附“确认收到”按钮）")
        await console.press("完成")
        await console.type("李四")  # a person asked to stay
        await console.press("跳过此项")
        await console.type("13900000000")
        await console.press("完成")
        await console.press("是")  # the owner asks for the police
        console.asks("价值是否较大")  # no site threshold: the handler judges
        await console.press("否")
        console.asks("立即报告公安机关")
        await console.press("完成")
        await console.press("现在")
        await console.press("不许任何人进出")
        await console.press("不许移动、拿走、放入任何物品")
        await console.press("完成")
        await console.press("公共区域")
        await console.press("已拉安全隔离带")
        await console.press("完成")
        assert "请确认两项均已做到。" in console.screen  # tape AND people (000:21)
        await console.press("已派人员封锁")
        await console.press("完成")
        await console.press("跳过")  # cordon photos
        await console.press("完成")  # superiors briefed
        await console.press("否")  # no suspect caught on the spot
        console.asks("请核对报告内容")
        assert "【报警与保护现场】" in console.transcript[-1]
        await console.press("确认提交")
        assert f"报告 {number} 已记录" in console.screen
        assert "案件已转给安防队长跟进。" in console.screen  # the investigation is the chief's
        console.process.stdin.write(b"/quit\n")  # type: ignore[union-attr]
    finally:
        if console.process.stdin is not None:
            console.process.stdin.close()
        await asyncio.wait_for(console.process.wait(), timeout=30)
    assert console.process.returncode == 0

    with sqlite3.connect(workdir / "dutybot.db") as connection:
        case_id, status = connection.execute(
            "SELECT id, status FROM cases WHERE number = ?", (number,)
        ).fetchone()
        answers = dict(
            connection.execute(
                "SELECT step_id, value FROM answers WHERE case_id = ? AND superseded_at IS NULL",
                (case_id,),
            ).fetchall()
        )
        sha256, size = connection.execute(
            "SELECT sha256, size FROM attachments WHERE case_id = ?", (case_id,)
        ).fetchone()
        events = [
            row[0]
            for row in connection.execute(
                "SELECT kind FROM case_events WHERE case_id = ? ORDER BY id", (case_id,)
            )
        ]
        notified = [
            row[0]
            for row in connection.execute(
                "SELECT roles FROM alerts WHERE case_id = ? ORDER BY id", (case_id,)
            )
        ]
    assert status == "reported"
    for step in (
        "report_kind",
        "reporter",
        "place",
        "equipment",
        "value_estimate",
        "scene_photos",
        "police_requested",
        "value_large",
        "police_report",
        "police_called_at",
        "scene_protected",
        "scene_area",
        "cordon",
        "suspect_caught",
    ):
        assert step in answers, step
    assert answers["place"] == '{"lat": 31.2304, "lon": 121.4737}'
    assert answers["scene_area"] == '"public"'
    stored = workdir / "media" / sha256[:2] / sha256
    assert stored.read_bytes() == photo.read_bytes() and size == len(photo.read_bytes())
    assert events[0] == "opened" and set(events[events.index("reported") + 1 :]) <= {
        "task_created",
        "close_task_created",
    }
    assert events.count("answered") + events.count("skipped") >= 20
    assert '["security_chief", "service_centre_head", "property_manager"]' in notified
