"""``dutybot run``: the Telegram bot, until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import Any

from bot.app import build_app
from bot.config import Settings
from bot.i18n import Translator
from bot.transports.runner import NotConfigured, check, serve


async def run_command(args: Any, settings: Settings, tr: Translator) -> int:
    try:
        check(settings.telegram)
    except NotConfigured as exc:
        message = tr._(str(exc))  # an N_-marked msgid from runner.check
        print(f"dutybot: {message}", file=sys.stderr)
        return 2
    app = await build_app(settings)  # refuses an un-migrated database
    try:
        missing = app.engine.catalogs.missing()
        if missing:
            # Without its catalog this message can only be English; the other language may be there.
            message = tr._(
                "Compiled translations not found: {files} (set DUTYBOT_I18N__LOCALES_DIR to the "
                "folder holding zh_Hans/ and en/).",
                files=", ".join(str(p) for p in missing),
            )
            print(f"dutybot: {message}", file=sys.stderr)
            return 1
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve(app, stop)
        return 0
    finally:
        await app.close()
