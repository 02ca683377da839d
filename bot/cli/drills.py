"""``dutybot drills list | ics | pdf``: the year's drills, their calendar, a drill's record."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import open_database
from bot.cli.common import UsageError, now, site_for
from bot.config import Settings
from bot.drills import ics, scenarios
from bot.drills import pdf as drill_pdf
from bot.drills import service as drills
from bot.drills.messages import status_name, when
from bot.flows.registry import load_registry
from bot.i18n import Catalogs, Translator
from bot.storage.media import MediaStore
from bot.storage.migrate import ensure_current


async def drills_command(args: Any, settings: Settings, tr: Translator) -> int:
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # its subsetting chatter
    db = open_database(settings)
    try:
        await ensure_current(db)
        registry, _ = load_registry(settings.flows.extra_dir, strict=False)
        with db.transaction() as session:
            site = site_for(session, args.site, tr)
            tr = Catalogs(settings.i18n.locales_dir).translator(
                getattr(args, "locale", None) or tr.locale, site.timezone
            )
            if args.drills_command == "pdf":
                drill = drills.get(session, args.id)
                if drill is None or drill.site_id != site.id:
                    raise UsageError(tr._("No drill {id} at this site.", id=args.id))
                media = MediaStore(settings.media.dir)
                data = drill_pdf.render(session, drill, tr, registry, media, now=now())
                return _write(data, args.output)
            start, end = drills.year_window(now(), ZoneInfo(site.timezone))
            rows = drills.of_site(session, site.id or 0, start, end)
            names = {d.id or 0: scenarios.name(d.scenario, tr, registry) for d in rows}
            if args.drills_command == "ics":
                titles = {k: tr._("Drill: {name}", name=v) for k, v in names.items()}
                described = {
                    d.id or 0: "\n".join(x for x in (d.purpose, d.assumption) if x) for d in rows
                }
                data = ics.calendar(
                    rows, site_code=site.code, title_of=titles, describe=described, now=now()
                )
                return _write(data, args.output)
            if not rows:
                print(tr._("No drill is planned yet."))
            for drill in rows:
                cells = (str(drill.id), when(tr, drill), names[drill.id or 0], drill.place)
                print("\t".join((*cells, status_name(tr, drill))))
    finally:
        await db.dispose()
    return 0


def _write(data: bytes, output: str | None) -> int:
    if output:
        Path(output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0
