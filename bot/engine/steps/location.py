"""A place: a shared location, typed coordinates "lat,lon", or a described place."""

from __future__ import annotations

import re
from typing import Any, ClassVar, Literal

from bot.engine.incoming import Place
from bot.engine.steps.base import Answered, Invalid, Result, StepBase, StepIO, fold
from bot.i18n import Translator

_COORDS = re.compile(r"^\s*([-+]?\d{1,3}(?:\.\d+)?)\s*[,，\s]\s*([-+]?\d{1,3}(?:\.\d+)?)\s*$")
_MAX_TEXT = 300


def place_value(place: Place) -> dict[str, Any]:
    value: dict[str, Any] = {"lat": place.lat, "lon": place.lon}
    if place.title:
        value["title"] = place.title
    if place.address:
        value["address"] = place.address
    return value


class LocationStep(StepBase):
    kind: Literal["location"]
    allow_text: bool = True  # a described place ("3F lobby") where GPS means little

    expects: ClassVar[str | None] = "location"

    def hint(self, io: StepIO) -> str | None:
        if self.allow_text:
            return io.tr._("Share your location, or type the place or coordinates (lat,lon).")
        return io.tr._("Share your location, or type coordinates as lat,lon.")

    def on_place(self, io: StepIO, place: Place) -> Result:
        if not (-90 <= place.lat <= 90 and -180 <= place.lon <= 180):
            return Invalid(io.tr._("Those coordinates are out of range."))
        return Answered(place_value(place))

    def on_text(self, io: StepIO, text: str) -> Result:
        match = _COORDS.match(fold(text))
        if match:
            return self.on_place(io, Place(float(match.group(1)), float(match.group(2))))
        value = text.strip()
        if not self.allow_text:
            return Invalid(io.tr._("Please share a location or type coordinates as lat,lon."))
        if not value:
            return Invalid(io.tr._("The answer is empty. Please type it."))
        if len(value) > _MAX_TEXT:
            return Invalid(
                io.tr._("Please describe the place in at most {limit} characters.", limit=_MAX_TEXT)
            )
        return Answered({"text": value})

    def format(self, tr: Translator, value: Any) -> str:
        if "text" in value:
            return str(value["text"])
        shown = f"{value['lat']:.6f}, {value['lon']:.6f}"
        named = " ".join(str(value[k]) for k in ("title", "address") if value.get(k))
        return tr.aside(named, shown) if named else shown
