"""Photos sent during a report: checked, stored under their sha256 and put on the case at once,
so a crash or a cancelled report loses none of them."""

from __future__ import annotations

from typing import Any

from bot.cases import service as cases
from bot.cases.models import Case
from bot.engine.context import Ctx
from bot.engine.incoming import PhotoIn
from bot.storage.media import sniff_image_mime


def store_photo(
    ctx: Ctx, step_id: str, photo: PhotoIn, case: Case | None = None
) -> dict[str, Any] | str:
    """Store a photo on the case (the report's, or ``case``) at once; an error message when it
    cannot be used."""
    case = case or ctx.case
    assert case is not None
    if photo.size > ctx.max_file_bytes:
        return ctx.tr._(
            "That file is too large ({size} MB). The limit is {limit} MB.",
            size=round(photo.size / 2**20, 1),
            limit=round(ctx.max_file_bytes / 2**20),
        )
    data, file_id = photo.data, photo.telegram_file_id
    mime = sniff_image_mime(data)
    if mime is None:
        return ctx.tr._(
            "That file is not a photo I can use. Please send a JPEG, PNG, WEBP or HEIC image."
        )
    stored = ctx.media.put_sync(data)
    row = cases.add_attachment(
        ctx.session,
        case,
        step_id,
        sha256=stored.sha256,
        size=stored.size,
        mime=mime,
        telegram_file_id=file_id,
        actor_id=ctx.staff_id,
        now=ctx.now,
    )
    return {"id": row.id, "sha256": stored.sha256}
