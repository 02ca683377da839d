"""The case timeline as a hash chain: each event carries the hash of its content and of the
event before it, so an edited, removed or inserted event breaks every link after it.

``event_hash`` is the one definition both the writer (``service.add_event``) and the checker
(``integrity.verify``) use. Attachments enter the chain through their sha256, which the
``attachment_added`` event records; an answer through the event that recorded it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64  # the "previous hash" of a case's first event


def canonical_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(
    prev_hash: str,
    *,
    case_id: int,
    at: datetime,
    actor_id: int | None,
    kind: str,
    step_id: str | None,
    data: Any,
) -> str:
    content = json.dumps(
        {
            "prev": prev_hash,
            "case": case_id,
            "at": canonical_time(at),
            "actor": actor_id,
            "kind": kind,
            "step": step_id,
            "data": data,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()
