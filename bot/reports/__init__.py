"""Manager reports and drill records, rendered from plain records: no database, no engine.

- :mod:`bot.reports.models` — the frozen records a caller fills (re-exported here);
- :mod:`bot.reports.charts` — ``month_chart`` (PNG bytes), ``month_figure``, ``stats_text``;
- :mod:`bot.reports.pdf` — ``case_pdf`` and ``drill_pdf`` (PDF bytes, A4, CJK font embedded);
- :mod:`bot.reports.csv_export` — ``cases_csv`` (UTF-8 with BOM, formula-safe) and ``protect``.

The renderers import matplotlib or fpdf2 only when their module is imported.
"""

from bot.reports.models import (
    AlertRecord,
    AnswerLine,
    CaseRecord,
    CaseRow,
    Count,
    DeadlineRecord,
    DrillRecord,
    DrillRole,
    DrillStep,
    MonthStats,
    Outcome,
    Photo,
    Place,
    Section,
    Shortcoming,
    Text,
    TimelineEntry,
)

__all__ = [
    "AlertRecord",
    "AnswerLine",
    "CaseRecord",
    "CaseRow",
    "Count",
    "DeadlineRecord",
    "DrillRecord",
    "DrillRole",
    "DrillStep",
    "MonthStats",
    "Outcome",
    "Photo",
    "Place",
    "Section",
    "Shortcoming",
    "Text",
    "TimelineEntry",
]
