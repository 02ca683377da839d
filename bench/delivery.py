"""The outbox sender against Telegram's limits: N due pings through the fake Bot API enforcing
30 messages a second, sent by dutybot's real sender over aiogram (or python-telegram-bot).

    .venv/bin/python bench/delivery.py                  # 10,000 pings, about 6 minutes
    .venv/bin/python bench/delivery.py --pings 1000     # a quick look
    .venv/bin/python bench/delivery.py --transport ptb

The anchor is the ideal: N / 30 seconds, the fastest any sender may go within the limit. The
benchmark prints the total time and its ratio to the ideal, the 429 answers the fake gave, and
how many pings were lost or delivered twice.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import select  # noqa: E402

from bot.cases import service as cases  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.delivery.limits import Limits  # noqa: E402
from bot.delivery.messages import Renderer  # noqa: E402
from bot.delivery.models import Delivery  # noqa: E402
from bot.delivery.sender import Sender, SenderSettings  # noqa: E402
from bot.escalation import service as alerts  # noqa: E402
from bot.escalation.chains import EscalationSettings  # noqa: E402
from bot.flows.registry import load_registry  # noqa: E402
from bot.i18n import Catalogs  # noqa: E402
from bot.sites import service as sites  # noqa: E402
from bot.staff import service as staff_service  # noqa: E402
from bot.storage.db import Database  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from tests.fakes import FakeBotAPI, RateLimits  # noqa: E402

TOKEN = "123456:BENCH-token"
LIMIT = 30


async def seed(db: Database, pings: int, per_alert: int) -> None:
    """``per_alert`` security chiefs and enough alerts to ping them ``pings`` times in all."""
    now = datetime.now(UTC)
    settings = EscalationSettings()
    registry, _ = load_registry(None)
    with db.transaction() as session:
        site = sites.create(
            session, code="hq", name="HQ", timezone="Asia/Shanghai", locale="en", now=now
        )
        assert site.id is not None
        guard = staff_service.add(
            session, telegram_id=1, name="Guard", roles=["guard"], site_id=site.id,
            locale=None, now=now,
        )  # fmt: skip
        for n in range(per_alert):
            staff_service.add(
                session, telegram_id=100_000 + n, name=f"Chief {n}", roles=["security_chief"],
                site_id=site.id, locale=None, now=now,
            )  # fmt: skip
    book = registry.get("lost_property")
    for _ in range(pings // per_alert):
        with db.transaction() as session:
            case = cases.open_case(
                session, site=site, playbook_id=book.id, playbook_version=book.version,
                reporter_id=guard.id, now=now,  # type: ignore[arg-type]
            )  # fmt: skip
            alerts.raise_alert(
                session, case=case, site=site, step_id="notify_chiefs", roles=["security_chief"],
                message={"zh": "请确认", "en": "Please acknowledge"}, facts=[],
                chain="security", urgent=True, actor_id=guard.id, now=now, settings=settings,
            )  # fmt: skip


def make_port(transport: str, api: FakeBotAPI) -> tuple[object, object]:
    if transport == "ptb":
        from bot.transports.ptb import PtbPort, make_application

        application = make_application(TOKEN, api.url)
        return PtbPort(application), application
    from bot.transports.aiogram import AiogramPort, make_bot

    bot = make_bot(TOKEN, api.url)
    return AiogramPort(bot), bot


async def run(pings: int, per_alert: int, transport: str, per_second: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        await upgrade(db)
        await seed(db, pings, per_alert)
        async with FakeBotAPI(token=TOKEN, limits=RateLimits(per_second=LIMIT)) as api:
            for n in range(per_alert):
                api.user(100_000 + n, f"Chief {n}", started=True)
            port, client = make_port(transport, api)
            if transport == "ptb":
                await client.initialize()  # type: ignore[attr-defined]
            registry, _ = load_registry(None)
            sender = Sender(
                db, port, Renderer(registry, Catalogs()), SystemClock(),  # type: ignore[arg-type]
                Limits(per_second=per_second), SenderSettings(),
            )  # fmt: skip
            stop = asyncio.Event()
            started = time.monotonic()
            task = asyncio.create_task(sender.run(stop))

            def delivered() -> int:
                return sum(1 for _ in api.send_times())

            deadline = pings / LIMIT * 3 + 60
            while delivered() < pings and time.monotonic() - started < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.25)  # a progress poll, not a wait for an event
            elapsed = time.monotonic() - started
            stop.set()
            await task
            if transport == "ptb":
                await client.shutdown()  # type: ignore[attr-defined]
            else:
                await client.session.close()  # type: ignore[attr-defined]
            per_chat = Counter({n: len(api.sent_messages(100_000 + n)) for n in range(per_alert)})
            times = sorted(api.send_times())
            gaps = [b - a for a, b in itertools.pairwise(times)]
            with db.transaction() as session:
                rows = (session.exec(select(Delivery))).all()
            await db.dispose()
            each = pings // per_alert  # every chief gets one ping per alert
            return {
                "pings": pings,
                "elapsed": elapsed,
                "ideal": pings / LIMIT,
                "rate": sum(per_chat.values()) / elapsed,
                "429": sum(api.rate_limit_counts.values()),
                "received": sum(per_chat.values()),
                "lost": sum(max(0, each - n) for n in per_chat.values()),
                "twice": sum(max(0, n - each) for n in per_chat.values()),
                "unsent_rows": sum(1 for r in rows if r.status != "sent"),
                "gap_median_ms": statistics.median(gaps) * 1000 if gaps else 0.0,
            }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--pings", type=int, default=10_000)
    parser.add_argument("--recipients", type=int, default=2_000, help="pings per alert")
    parser.add_argument("--transport", choices=("aiogram", "ptb"), default="aiogram")
    parser.add_argument("--per-second", type=float, default=29.0, help="the sender's pace")
    args = parser.parse_args()
    result = asyncio.run(run(args.pings, args.recipients, args.transport, args.per_second))
    ratio = result["elapsed"] / result["ideal"]
    print(
        f"{args.transport}: {result['pings']} pings in {result['elapsed']:.1f} s "
        f"(ideal {result['ideal']:.1f} s at 30/s; ratio {ratio:.3f}; {result['rate']:.2f}/s)"
    )
    print(f"  received {result['received']}, lost {result['lost']}, twice {result['twice']}, "
          f"429 answers {result['429']}, rows not sent {result['unsent_rows']}, "
          f"median gap {result['gap_median_ms']:.1f} ms")  # fmt: skip
    ok = result["429"] == 0 and result["lost"] == 0 and result["twice"] == 0 and ratio <= 1.10
    print("  target (zero 429, zero lost, within 10 % of N/30 s):", "PASS" if ok else "FAIL")


if __name__ == "__main__":
    main()
