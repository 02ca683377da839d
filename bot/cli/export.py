"""``dutybot export case NUMBER`` (a PDF report) and ``dutybot export month YYYY-MM`` (a CSV of
the month's cases): the same files the managers get in the chat, written to a file."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.app import open_database
from bot.cases import service as cases
from bot.cli.common import UsageError, now, site_for
from bot.config import Settings
from bot.engine import case_record
from bot.flows.registry import load_registry
from bot.i18n import Catalogs, Translator
from bot.managers.monthly import month_rows
from bot.managers.periods import period_of
from bot.reports.csv_export import cases_csv
from bot.reports.pdf import case_pdf
from bot.storage.media import MediaStore
from bot.storage.migrate import ensure_current


async def export_command(args: Any, settings: Settings, tr: Translator) -> int:
    registry, _ = load_registry(settings.flows.extra_dir, strict=False)
    db = open_database(settings)
    at = now()
    try:
        await ensure_current(db)
        with db.transaction() as session:
            site = site_for(session, args.site, tr)
            reader = Catalogs().translator(args.locale or site.locale, site.timezone)
            if args.export_command == "case":
                case = cases.by_number(session, site.id, args.number.strip())
                if case is None:
                    raise UsageError(
                        tr._("No case {number} at {site}.", number=args.number, site=site.code)
                    )
                record = case_record.gather(
                    session,
                    case,
                    site=site,
                    registry=registry,
                    media=MediaStore(settings.media.dir),
                    tr=reader,
                    now=at,
                )
                events = cases.timeline(session, case.id or 0)
                head = events[-1].hash if events else None
                data = case_pdf(record, reader, chain_head=head, generated_at=at)
                default = f"case-{case.number}.pdf"
            else:
                period = period_of(args.month, at.date())
                if period is None or period.kind != "month":
                    raise UsageError(
                        tr._("“{month}” is not a month such as 2026-11.", month=args.month)
                    )
                year, month = period.first.year, period.first.month
                rows = month_rows(session, site, registry, year, month, at)
                data = cases_csv(rows, reader)
                default = f"cases-{site.code}-{year:04d}-{month:02d}.csv"
    finally:
        await db.dispose()
    path = Path(args.output or default)
    await asyncio.to_thread(path.write_bytes, data)
    print(tr._("Wrote {path} ({size} bytes).", path=path, size=len(data)))
    return 0
