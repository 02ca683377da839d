"""``dutybot verify [CASE] [--site CODE]``: recompute cases' hash chains and photo fingerprints;
name the first broken link. Exit 0 when every record is intact, 1 when one is not."""

from __future__ import annotations

from typing import Any

from bot.app import open_database
from bot.cases.integrity import Finding, Report, cases_to_verify, verify
from bot.cli.common import UsageError, site_for
from bot.config import Settings
from bot.i18n import Translator
from bot.sites import service as sites
from bot.storage.migrate import ensure_current


async def verify_command(args: Any, settings: Settings, tr: Translator) -> int:
    db = open_database(settings)
    try:
        await ensure_current(db)
        with db.transaction() as session:
            site = site_for(session, args.site, tr) if args.site or args.case else None
            found = cases_to_verify(session, site.id if site else None, args.case)
            if args.case and not found:
                code = site.code if site is not None else "?"
                raise UsageError(tr._("No case {number} at {site}.", number=args.case, site=code))
            codes = {s.id: s.code for s in sites.all_sites(session)}
            reports = [verify(session, case, settings.media.dir) for case in found]
    finally:
        await db.dispose()
    broken = 0
    for report in reports:
        where = f"{codes.get(report.case.site_id, '?')} {report.case.number}"
        if report.finding is None:
            print(
                tr._(
                    "{case}: intact ({n} events, chain head {head}).",
                    case=where,
                    n=report.events,
                    head=report.head[:16],
                )
            )
        else:
            broken += 1
            print(f"{where}: {_finding(report, tr)}")
    if not reports:
        print(tr._("No case to verify."))
    elif broken:
        print(tr.n_("{n} case is not intact.", "{n} cases are not intact.", broken))
    return 1 if broken else 0


def _finding(report: Report, tr: Translator) -> str:
    finding: Finding | None = report.finding
    assert finding is not None
    if finding.what == "link_broken":
        return tr._(
            "broken at event {id}: the event before it is missing or was changed.",
            id=finding.event_id,
        )
    if finding.what == "event_changed":
        return tr._(
            "broken at event {id}: it was changed after it was recorded.", id=finding.event_id
        )
    if finding.what == "answer_changed":
        return tr._(
            "the answer to step “{step}” is not the one the timeline recorded.",
            step=finding.step_id,
        )
    sha = (finding.sha256 or "")[:16]
    if finding.what == "photo_missing":
        return tr._("photo {sha} is missing from the media folder.", sha=sha)
    return tr._("photo {sha} no longer matches the fingerprint recorded for it.", sha=sha)
