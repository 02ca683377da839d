"""One or several photos, then "Done". Each photo is stored the moment it arrives."""

from __future__ import annotations

from typing import Any

from bot.engine.steps.base import Answered, Invalid, Result, Rows, Stay, StepIO, StepKind
from bot.i18n import Translator


class PhotosKind(StepKind):
    expects = "photo"

    def start(self, step: Any, current: Any) -> dict[str, Any]:
        return {"photos": list(current) if isinstance(current, list) else []}

    def hint(self, step: Any, io: StepIO) -> str | None:
        count = len(io.draft.get("photos", []))
        if count:
            return io.tr.n_(
                "{n} photo received. Send more or press “Done”.",
                "{n} photos received. Send more or press “Done”.",
                count,
            )
        return io.tr.n_(
            "Send up to {n} photo, then press “Done”.",
            "Send up to {n} photos, then press “Done”.",
            step.max,
        )

    def buttons(self, step: Any, io: StepIO) -> Rows:
        return [[(io.tr._("✓ Done"), "done")]]

    def on_photo(self, step: Any, io: StepIO, attachment: dict[str, Any]) -> Result:
        photos = list(io.draft.get("photos", []))
        if len(photos) >= step.max:
            return Invalid(
                io.tr.n_(
                    "This step takes at most {n} photo; the extra one was kept with the case.",
                    "This step takes at most {n} photos; the extra one was kept with the case.",
                    step.max,
                )
            )
        photos.append(attachment)
        io.draft["photos"] = photos
        if len(photos) == step.max:
            return Answered(photos)
        return Stay(notice=io.tr._("Photo {n} saved.", n=len(photos)))

    def on_action(self, step: Any, io: StepIO, action: str) -> Result | None:
        if action != "done":
            return None
        photos = list(io.draft.get("photos", []))
        if len(photos) < max(step.min, 1):
            return Invalid(
                io.tr.n_(
                    "Send at least {n} photo first.",
                    "Send at least {n} photos first.",
                    max(step.min, 1),
                )
            )
        return Answered(photos)

    def on_text(self, step: Any, io: StepIO, text: str) -> Result:
        return Invalid(io.tr._("Please send a photo here (or press “Done”)."))

    def format(self, step: Any, tr: Translator, value: Any) -> str:
        return tr.n_("{n} photo", "{n} photos", len(value or []))
