"""Map Bot API methods: sendLocation (a pin, optionally live) and sendVenue (a named place).

A venue message carries both ``venue`` and ``location``, as the real API writes it for
backward compatibility.  Coordinates and live-location fields are checked with TDLib's texts
(see :func:`~.bot_api_validate.check_location`).
"""

from __future__ import annotations

from .bot_api_messages import MessageMethods
from .bot_api_models import JsonDict
from .bot_api_params import Params
from .bot_api_validate import VENUE_PLACE_FIELDS, check_location, check_reply_markup, check_venue


class PlaceMethods(MessageMethods):
    async def send_location(self, p: Params) -> JsonDict:
        chat_id = p.chat_id()
        location = check_location(
            p.opt_float("latitude"),
            p.opt_float("longitude"),
            horizontal_accuracy=p.opt_float("horizontal_accuracy"),
            live_period=p.opt_int("live_period"),
            heading=p.opt_int("heading"),
            proximity_alert_radius=p.opt_int("proximity_alert_radius"),
        )
        markup = check_reply_markup(p.raw("reply_markup"))
        info = self.state.chat_for_send(chat_id)
        return self._store(p, info, {"location": location}, markup).public()

    async def send_venue(self, p: Params) -> JsonDict:
        chat_id = p.chat_id()
        location = check_location(p.opt_float("latitude"), p.opt_float("longitude"))
        venue = check_venue(location, p.opt_str("title"), p.opt_str("address"))
        for key in VENUE_PLACE_FIELDS:
            value = p.opt_str(key)
            if value:
                venue[key] = value
        markup = check_reply_markup(p.raw("reply_markup"))
        info = self.state.chat_for_send(chat_id)
        content = {"venue": venue, "location": dict(location)}
        return self._store(p, info, content, markup).public()
