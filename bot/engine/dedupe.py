"""Redelivered transport events: each event id is acted on once, across restarts and instances."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlmodel import Session

from bot.engine.incoming import Incoming, Kind
from bot.inbox import service as inbox


def first_time(session: Session, incoming: Incoming, now: datetime) -> Incoming | None:
    """What is new in ``incoming``; None when all of it was handled before.

    An album arrives as one event made of several transport events (one per photo); a photo
    whose own event was seen before is dropped, the others are kept.
    """
    ids = {incoming.event_id} | {photo.event_id for photo in incoming.photos}
    ids.discard(None)
    if not ids:
        return incoming
    fresh = inbox.mark_handled(
        session, incoming.source, sorted(i for i in ids if i is not None), now
    )
    if not fresh:
        return None
    if incoming.kind is Kind.PHOTO and any(p.event_id is not None for p in incoming.photos):
        photos = tuple(p for p in incoming.photos if p.event_id is None or p.event_id in fresh)
        return replace(incoming, photos=photos) if photos else None
    return incoming if incoming.event_id is None or incoming.event_id in fresh else None
