"""The sender inside ``dutybot run``: claims due outbox rows and delivers them within limits.

Each row is claimed (a lease, committed) before it is sent and settled after: sent with its
message id, deferred after a 429 or a server error, unreachable after a 403 (the site's admins
are told once), failed after the last attempt. Rows of a sender that died come back when their
lease runs out (at once on SQLite, where the restarted process is the only sender), so a restart
sends what was due and unsent. A crash in the few milliseconds between Telegram accepting a
message and its row being settled sends that one message again: a duplicate rather than a lost
ping (the Bot API has no idempotency key that would tell).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.clock import Clock
from bot.delivery import service as outbox
from bot.delivery.limits import Limits
from bot.delivery.messages import Renderer
from bot.delivery.models import Delivery, DeliveryStatus
from bot.delivery.port import Flood, OutboxPort, Rejected, Transient, Unreachable
from bot.engine.outgoing import Outgoing
from bot.escalation import service as alerts
from bot.sites import service as sites
from bot.staff import service as staff_service
from bot.storage.db import Database
from bot.transports import render

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SenderSettings:
    batch: int = 60  # rows claimed at once (two seconds' worth at 30/s)
    workers: int = 6  # chats served side by side (network round trips overlap)
    poll: float = 1.0  # seconds between looks when nothing woke the sender
    max_attempts: int = 12  # server errors: 12 tries over about an hour, then failed
    max_backoff: float = 600.0


def backoff(attempt: int, cap: float) -> float:
    """2 s, 4 s, 8 s … up to ``cap``: for errors that say nothing about when to come back."""
    return min(2.0**attempt, cap)


class Sender:
    def __init__(
        self,
        db: Database,
        port: OutboxPort,
        renderer: Renderer,
        clock: Clock,
        limits: Limits | None = None,
        settings: SenderSettings | None = None,
    ) -> None:
        self.db = db
        self.port = port
        self.renderer = renderer
        self.clock = clock
        self.limits = limits or Limits()
        self.settings = settings or SenderSettings()
        self._wake = asyncio.Event()

    def kick(self) -> None:
        """New rows were committed: look now rather than at the next poll."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set; a failing round is logged and tried again."""
        if self.db.is_sqlite:  # the only sender: rows a dead process had claimed are free now
            released = await self.db.run(outbox.release_leases)
            if released:
                log.warning("%d message(s) claimed before a crash are sent again", released)
        while not stop.is_set():
            try:
                handled = await self.drain_once()
            except Exception:
                log.exception("the sender's round failed; trying again shortly")
                handled = 0
            if handled:
                continue
            self._wake.clear()
            waiting = asyncio.create_task(self._wake.wait())
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait(
                {waiting, stopping}, timeout=self.settings.poll, return_when="FIRST_COMPLETED"
            )
            for task in (waiting, stopping):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def drain_once(self) -> int:
        """Claim what is due now and deliver it; how many rows were claimed."""
        now, batch = self.clock.now(), self.settings.batch
        rows = await self.db.run(lambda session: outbox.claim_due(session, now=now, limit=batch))
        if not rows:
            return 0
        by_chat: dict[object, list[Delivery]] = defaultdict(list)
        for row in rows:
            by_chat[row.chat_id if row.chat_id is not None else ("staff", row.staff_id)].append(row)
        gate = asyncio.Semaphore(self.settings.workers)

        async def serve(chat_rows: list[Delivery]) -> None:
            async with gate:
                for row in chat_rows:  # one chat's messages in order
                    await self._deliver(row)

        await asyncio.gather(*(serve(chat_rows) for chat_rows in by_chat.values()))
        return len(rows)

    async def _deliver(self, row: Delivery) -> None:
        assert row.id is not None

        def prepare(session: Session) -> tuple[int | None, Outgoing | None]:
            chat_id = row.telegram_chat_id or row.chat_id
            if chat_id is None and row.staff_id is not None:
                member = staff_service.get(session, row.staff_id)
                chat_id = member.telegram_id if member and member.active else None
            message = self.renderer.render(session, row) if chat_id is not None else None
            return chat_id, message

        chat_id, message = await self.db.run(prepare)
        if chat_id is None or message is None:
            status = DeliveryStatus.UNREACHABLE if chat_id is None else DeliveryStatus.FAILED
            await self._settle(row, status=status, last_error="no chat or nothing to say")
            return
        wait = self.limits.chat_wait(chat_id)
        if wait:
            await self._settle(row, next_at=self.clock.now() + timedelta(seconds=wait))
            return
        pieces = render.pieces(message)
        editing = row.status == DeliveryStatus.SENT and row.message_id is not None
        try:
            await self.limits.slot(chat_id)
            if editing:
                assert row.message_id is not None
                last = pieces[-1]
                await self.port.amend(chat_id, row.message_id, last.html, last.rows)
            else:
                message_id = 0
                for piece in pieces:
                    message_id = await self.port.post(chat_id, piece.html, piece.rows)
        except Flood as flood:
            self.limits.pause(flood.retry_after)
            log.warning("delivery %s: %s", row.id, flood)
            later = self.clock.now() + timedelta(seconds=flood.retry_after)
            await self._settle(row, next_at=later, last_error=str(flood)[:300])
        except Unreachable as exc:
            await self._unreachable(row, str(exc))
        except Transient as exc:
            attempts = row.attempts + 1
            if attempts >= self.settings.max_attempts:
                log.error(
                    "delivery %s failed for good after %d attempts: %s", row.id, attempts, exc
                )
                await self._settle(
                    row, status=DeliveryStatus.FAILED, attempts=attempts, last_error=str(exc)[:300]
                )
            else:
                delay = backoff(attempts, self.settings.max_backoff)
                log.warning("delivery %s: %s; retry in %.0f s", row.id, exc, delay)
                await self._settle(
                    row,
                    attempts=attempts,
                    next_at=self.clock.now() + timedelta(seconds=delay),
                    last_error=str(exc)[:300],
                )
        except Rejected as exc:
            log.error("delivery %s refused: %s", row.id, exc)
            if editing:  # the message is gone or cannot be edited: stop trying to
                await self._settle(row, needs_edit=False, last_error=str(exc)[:300])
            else:
                await self._settle(row, status=DeliveryStatus.FAILED, last_error=str(exc)[:300])
        else:
            now = self.clock.now()
            if editing:
                await self._settle(row, needs_edit=False)
            else:
                await self._settle(
                    row,
                    status=DeliveryStatus.SENT,
                    attempts=row.attempts + 1,
                    message_id=message_id,
                    telegram_chat_id=chat_id,
                    sent_at=now,
                    needs_edit=False,
                    last_error=None,
                )

    async def _settle(self, row: Delivery, **values: object) -> None:
        row_id = row.id
        assert row_id is not None
        await self.db.run(lambda session: outbox.settle(session, row_id, **values))

    async def _unreachable(self, row: Delivery, error: str) -> None:
        """403: the row is done for; the first time for a person, the site's admins are told."""
        assert row.id is not None
        now: datetime = self.clock.now()
        row_id = row.id

        def record(session: Session) -> int:
            outbox.settle(
                session, row_id, status=DeliveryStatus.UNREACHABLE, last_error=error[:300]
            )
            if row.staff_id is None or not staff_service.mark_unreachable(
                session, row.staff_id, now
            ):
                return 0
            return alerts.tell_admins(
                session,
                sites.get(session, row.site_id),
                key=f"unreachable:{row.staff_id}:{int(now.timestamp())}",
                message="unreachable",
                params={"staff": row.staff_id},
                now=now,
            )

        told = await self.db.run(record)
        log.warning("delivery %s: recipient unreachable (%s)", row.id, error)
        if told:
            self.kick()
