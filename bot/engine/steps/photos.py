"""One or several photos, then "Done". Each photo is stored the moment it arrives."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from bot.engine.steps.base import (
    Answered,
    Invalid,
    Result,
    Rows,
    Stay,
    StepBase,
    StepIO,
    list_candidates,
)
from bot.i18n import Translator


class PhotosStep(StepBase):
    kind: Literal["photos"]
    min: int = Field(default=1, ge=0, le=50)
    max: int = Field(default=10, ge=1, le=50)

    @model_validator(mode="after")
    def _range(self) -> PhotosStep:
        if self.min > self.max:
            raise ValueError("min is greater than max")
        return self

    expects: ClassVar[str | None] = "photo"
    holds_list: ClassVar[bool] = True

    def start(self, current: Any) -> dict[str, Any]:
        return {"photos": list(current) if isinstance(current, list) else []}

    def hint(self, io: StepIO) -> str | None:
        count = len(io.draft.get("photos", []))
        if 0 < count < self._needed():
            return io.tr.n_(
                "{n} photo received. Send at least {needed} in all.",
                "{n} photos received. Send at least {needed} in all.",
                count,
                needed=self._needed(),
            )
        if count:
            return io.tr.n_(
                "{n} photo received. Send more or press “Done”.",
                "{n} photos received. Send more or press “Done”.",
                count,
            )
        return io.tr.n_(
            "Send up to {n} photo, then press “Done”.",
            "Send up to {n} photos, then press “Done”.",
            self.max,
        )

    def buttons(self, io: StepIO) -> Rows:
        # "Done" once it can be done: before the first photo an optional step offers "Skip".
        if len(io.draft.get("photos", [])) < self._needed():
            return []
        return [[(io.tr._("✓ Done"), "done")]]

    def _needed(self) -> int:
        return max(self.min, 1)

    def on_photo(self, io: StepIO, attachment: dict[str, Any]) -> Result:
        photos = list(io.draft.get("photos", []))
        if len(photos) >= self.max:
            return Invalid(
                io.tr.n_(
                    "This step takes at most {n} photo; the extra one was kept with the case.",
                    "This step takes at most {n} photos; the extra one was kept with the case.",
                    self.max,
                )
            )
        photos.append(attachment)
        io.draft["photos"] = photos
        if len(photos) == self.max:
            return Answered(photos)
        return Stay(notice=io.tr._("Photo {n} saved.", n=len(photos)))

    def on_action(self, io: StepIO, action: str) -> Result | None:
        if action != "done":
            return None
        photos = list(io.draft.get("photos", []))
        if len(photos) < self._needed():
            return Invalid(
                io.tr.n_(
                    "Send at least {n} photo first.",
                    "Send at least {n} photos first.",
                    self._needed(),
                )
            )
        return Answered(photos)

    def on_text(self, io: StepIO, text: str) -> Result:
        if len(io.draft.get("photos", [])) >= self._needed():
            return Invalid(io.tr._("Please send a photo here (or press “Done”)."))
        if not self.required:
            return Invalid(io.tr._("Please send a photo here, or press “Skip”."))
        return Invalid(io.tr._("Please send a photo here."))

    def format(self, tr: Translator, value: Any) -> str:
        return tr.n_("{n} photo", "{n} photos", len(value or []))

    def candidate_answers(self, constants: list[Any]) -> list[Any]:
        return list_candidates(constants)
