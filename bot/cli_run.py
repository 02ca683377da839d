"""``dutybot run``: the Telegram bot, until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import Any

from bot.app import build_app
from bot.config import Settings
from bot.transports.runner import NotConfigured, check, serve


async def run_command(args: Any, settings: Settings) -> int:
    try:
        check(settings.telegram)
    except NotConfigured as exc:
        print(f"dutybot: {exc}", file=sys.stderr)
        return 2
    app = await build_app(settings)  # refuses an un-migrated database
    try:
        missing = app.engine.catalogs.missing()
        if missing:
            print(
                "dutybot: compiled translations not found: "
                + ", ".join(str(p) for p in missing)
                + " (set DUTYBOT_I18N__LOCALES_DIR to the folder holding zh_Hans/ and en/)",
                file=sys.stderr,
            )
            return 2
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve(app, stop)
        return 0
    finally:
        await app.close()
