"""The month's cases and complaints as CSV that Excel opens as it is.

UTF-8 with a byte-order mark (Excel reads BOM-less UTF-8 as the local code page and garbles
Chinese), a translated header row, CRLF line ends, quotes and embedded line breaks handled by
the :mod:`csv` module. Times are the site's local time as ``YYYY-MM-DD HH:MM``, which Excel
reads as a date. A case has as many deadline column groups as the case with the most.

Every field is protected against formula injection (OWASP, "CSV Injection"): a value starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a ``'`` in front, so a
spreadsheet shows it as text instead of running it. The header row is protected too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from bot.reports import wording
from bot.reports.models import CaseRow, DeadlineRecord

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cases_csv(rows: Iterable[CaseRow], tr: Translator) -> bytes:
    """The rows as a UTF-8 CSV file with a BOM."""
    cases = list(rows)
    deadlines = max((len(case.deadlines) for case in cases), default=0)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([protect(value) for value in header(tr, deadlines)])
    for case in cases:
        writer.writerow([protect(value) for value in _row(case, tr, deadlines)])
    return (BOM + buffer.getvalue()).encode("utf-8")


def protect(value: str) -> str:
    """``value`` as text a spreadsheet will not evaluate: ``'=1+1`` for ``=1+1``."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def header(tr: Translator, deadlines: int) -> list[str]:
    names = [
        tr._("Case number"),
        tr._("Procedure"),
        tr._("Site"),
        tr._("Opened (site time)"),
        tr._("Closed (site time)"),
        tr._("Status"),
        tr._("Complaint level"),
        tr._("Complaint category"),
    ]
    for n in range(1, deadlines + 1):
        names += [
            tr._("Deadline {n}", n=n),
            tr._("Deadline {n} due", n=n),
            tr._("Deadline {n} met at", n=n),
            tr._("Deadline {n} result", n=n),
        ]
    return names


def _row(case: CaseRow, tr: Translator, deadlines: int) -> list[str]:
    zone = ZoneInfo(case.timezone)
    values = [
        case.number,
        wording.pick(tr, case.procedure),
        wording.pick(tr, case.site_name),
        _local(case.opened_at, zone),
        _local(case.closed_at, zone),
        wording.status(tr, case.status),
        wording.level(tr, case.level),
        wording.pick(tr, case.category),
    ]
    for index in range(deadlines):
        values += _deadline(case.deadlines, index, tr, zone)
    return values


def _deadline(
    deadlines: Sequence[DeadlineRecord], index: int, tr: Translator, zone: ZoneInfo
) -> list[str]:
    if index >= len(deadlines):
        return ["", "", "", ""]
    deadline = deadlines[index]
    return [
        wording.pick(tr, deadline.title),
        _local(deadline.due, zone),
        _local(deadline.met_at, zone),
        wording.outcome(tr, deadline.outcome),
    ]


def _local(value: datetime | None, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value is not None else ""
