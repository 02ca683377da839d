"""Two dutybot instances on one PostgreSQL: throughput against one, and no message twice.

Each instance is a process of its own (as two `dutybot run --mode webhook` would be), with the
several-instances gate on, taking the updates of its own guards: ``--guards`` people each
walking the A1 report as fast as the bot answers (closed loop). First one instance alone, then
two at once, on the same schema. Throughput is steps per second of wall time, the two
instances' steps counted together.

Then the duplicate check: every update instance A handled is posted to instance B as well (a
webhook redelivered to the other instance). The durable inbox knows them all, so B must send
nothing: any message B sends is a message twice.

    .venv/bin/python bench/instances.py --pg postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.canned import first_update_id
from bench.contenders import FAILURES, Dutybot, watch_failures

HERE = Path(__file__).resolve()


def load(path: str) -> Any:
    return json.loads(Path(path).read_text())


def save(path: str, data: Any) -> None:
    Path(path).write_text(json.dumps(data))


async def worker(args: argparse.Namespace) -> None:
    """One instance: warm up, wait for the common start, run its guards, write its figures."""
    first_update_id(args.base_id * 1000)  # Telegram's update ids are unique per bot
    bot = Dutybot(
        "instance", "aiogram", args.pg, guards=args.guards, base_id=args.base_id,
        schema=args.schema, several_instances=True, seed=False,
    )  # fmt: skip
    await bot.setup()
    sent: list[dict[str, Any]] = []
    original = bot.intake.receive

    async def receive(batch: Any) -> None:
        sent.extend(batch)
        await original(batch)

    bot.intake.receive = receive  # type: ignore[method-assign]
    if args.redeliver:
        updates = load(args.redeliver)
        before = bot.telegram.sends
        for update in updates:
            await original([update])
        await asyncio.sleep(0.5)  # anything dispatched would be answered by now
        await bot.intake.drain(5.0)
        save(args.out, {"resent": len(updates), "sends": bot.telegram.sends - before})
        await bot.close()
        return
    for i in range(args.guards):
        for _ in range(3):
            await bot.step(i)
    sent.clear()
    delay = args.start_at - time.time()
    if delay > 0:
        await asyncio.sleep(delay)
    started = time.time()
    cpu = os.times()
    steps_each = args.steps // args.guards
    latencies: list[float] = []

    async def walk(i: int) -> None:
        for _ in range(steps_each):
            latencies.append(await bot.step(i))

    await asyncio.gather(*(walk(i) for i in range(args.guards)))
    ended = time.time()
    used = os.times()
    busy = (used.user - cpu.user) + (used.system - cpu.system)
    save(
        args.out,
        {
            "started": started,
            "ended": ended,
            "steps": len(latencies),
            "sends": bot.telegram.sends,
            "failures": FAILURES.records[:5],
            "p50": sorted(latencies)[len(latencies) // 2] * 1000,
            "cpu": busy,
        },
    )
    save(args.out + ".updates", sent)
    await bot.close()


async def spawn(argv: list[str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(sys.executable, str(HERE), "--worker", *argv)


async def compare(pg: str, guards: int, steps: int) -> dict[str, Any]:
    """One instance, then two; then B given A's updates. The figures and the verdicts."""
    from bench.step import drop_schemas, make_schema

    schema = await make_schema(pg, "instances")
    base = 70_000_000
    try:
        seeding = Dutybot("seed", "aiogram", pg, guards=3 * guards, base_id=base, schema=schema)
        await seeding.setup()
        await seeding.close()
        with tempfile.TemporaryDirectory() as folder:

            async def run(label: str, bases: list[int]) -> list[dict[str, Any]]:
                start_at = time.time() + 12  # warm-up and imports take a few seconds
                outs = [f"{folder}/{label}-{n}.json" for n in range(len(bases))]
                flags = ["--pg", pg, "--schema", schema, "--guards", str(guards)]
                flags += ["--steps", str(steps), "--start-at", str(start_at)]
                procs = [
                    await spawn([*flags, "--base-id", str(b), "--out", out])
                    for b, out in zip(bases, outs, strict=True)
                ]
                for proc in procs:
                    await proc.wait()
                return [load(out) for out in outs]

            one = await run("one", [base])
            two = await run("two", [base + guards, base + 2 * guards])
            out = f"{folder}/redelivered.json"
            proc = await spawn([
                "--pg", pg, "--schema", schema, "--base-id", str(base + 2 * guards),
                "--guards", str(guards), "--out", out,
                "--redeliver", f"{folder}/two-0.json.updates",
            ])  # fmt: skip
            await proc.wait()
            again = load(out)
    finally:
        await drop_schemas(pg)
    rate_one = one[0]["steps"] / (one[0]["ended"] - one[0]["started"])
    wall = max(r["ended"] for r in two) - min(r["started"] for r in two)
    rate_two = sum(r["steps"] for r in two) / wall
    return {
        "one": rate_one,
        "two": rate_two,
        "ratio": rate_two / rate_one,
        "p50_one": one[0]["p50"],
        "p50_two": [r["p50"] for r in two],
        "cpu_step_ms": one[0]["cpu"] / one[0]["steps"] * 1000,
        "cores_one": one[0]["cpu"] / (one[0]["ended"] - one[0]["started"]),
        "cores_two": sum(r["cpu"] for r in two) / wall,
        "loadavg": os.getloadavg()[0],
        "resent": again["resent"],
        "twice": again["sends"],
        "failures": [f for r in one + two for f in r["failures"]],
    }


def show(result: dict[str, Any], guards: int) -> bool:
    print(
        f"one instance: {result['one']:.0f} steps/s (p50 {result['p50_one']:.1f} ms, "
        f"{guards} guards at once); two instances: {result['two']:.0f} steps/s "
        f"(p50 {', '.join(f'{p:.1f}' for p in result['p50_two'])} ms); "
        f"ratio {result['ratio']:.2f}"
    )
    print(
        f"  CPU: {result['cpu_step_ms']:.1f} ms of this process per step; cores kept busy by "
        f"dutybot: {result['cores_one']:.2f} (one), {result['cores_two']:.2f} (two); "
        f"machine load average {result['loadavg']:.1f} on {os.cpu_count()} cores"
    )
    passed = result["ratio"] >= 1.8
    print(f"  {'PASS' if passed else 'FAIL'}  two instances >= 1.8x one: {result['ratio']:.2f}x")
    clean = result["twice"] == 0 and result["resent"] > 0
    print(
        f"  {'PASS' if clean else 'FAIL'}  no duplicate message: {result['resent']} updates of "
        f"instance A posted to instance B, {result['twice']} message(s) sent again"
    )
    if result["failures"]:
        print(f"  failures logged: {result['failures'][:3]}")
    return passed and clean and not result["failures"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--guards", type=int, default=8, help="guards at once per instance")
    parser.add_argument("--steps", type=int, default=800, help="steps per instance")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--schema", help=argparse.SUPPRESS)
    parser.add_argument("--base-id", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--redeliver", help=argparse.SUPPRESS)
    args = parser.parse_args()
    watch_failures()
    if args.worker:
        asyncio.run(worker(args))
        return
    result = asyncio.run(compare(args.pg, args.guards, args.steps))
    ok = show(result, args.guards)
    print("all targets met" if ok else "some targets missed")


if __name__ == "__main__":
    main()
