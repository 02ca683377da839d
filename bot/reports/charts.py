"""A site's month as one PNG chart, and the same numbers as text lines.

matplotlib draws on an Agg canvas of its own (no pyplot, no display, no global state): cases by
procedure, complaints by level and by category, deadlines met on time and late, with the
medians under them. Every label is drawn in the packaged CJK font (see :mod:`bot.reports.fonts`).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.i18n import Translator
from bot.reports import wording
from bot.reports.fonts import FALLBACK_FAMILY, drawable, register_with_matplotlib
from bot.reports.models import Count, MonthStats

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

SIZE = (12, 9)  # inches; 1200 × 900 pixels at the default 100 dpi
LABEL_WIDTH = 26  # columns (a Chinese character is two)
LEVEL_COLOURS = {
    "general": "#9ecae1",
    "important": "#4292c6",
    "hot": "#fd8d3c",
    "major": "#d7301f",
}
ON_TIME, LATE = "#41ab5d", "#d7301f"
BAR = "#4c72b0"


def month_chart(stats: MonthStats, tr: Translator, *, dpi: int = 100) -> bytes:
    """The month's statistics as a PNG."""
    figure = month_figure(stats, tr)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def month_figure(stats: MonthStats, tr: Translator) -> Figure:
    """The chart as a matplotlib figure (for tests, or another format). Every text names its
    font family itself: nothing reads or changes matplotlib's global settings, so charts can be
    drawn in several threads at once."""
    # Imported here: matplotlib's imports take most of a second, which start-up and
    # stats_text need not pay.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    family = _family()
    figure = Figure(figsize=SIZE, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(_shown(_title(stats, tr)), fontsize=16, fontfamily=family)
    grid = figure.subplots(2, 2)
    for axes in grid.flat:
        axes.tick_params(labelfontfamily=family)
        axes.spines[["top", "right"]].set_visible(False)
    _bars_across(grid[0][0], tr._("Cases by procedure"), _counts(tr, stats.cases_by_procedure), tr)
    _levels(grid[0][1], stats, tr)
    _bars_across(
        grid[1][0], tr._("Complaints by category"), _counts(tr, stats.complaints_by_category), tr
    )
    _deadlines(grid[1][1], stats, tr)
    figure.supxlabel(_shown("\n".join(_medians(stats, tr))), fontsize=11, fontfamily=family)
    return figure


def stats_text(stats: MonthStats, tr: Translator) -> list[str]:
    """The chart's numbers as text lines, for a chat message or a console."""
    lines = [_title(stats, tr)]
    procedures = _counts(tr, stats.cases_by_procedure)
    total = sum(n for _, n in procedures)
    lines += ["", wording.heading(tr, tr._("Cases by procedure"))]
    lines += _items(tr, procedures)
    lines.append(tr.n_("{n} case in all", "{n} cases in all", total))
    lines += ["", wording.heading(tr, tr._("Complaints by level"))]
    lines += _items(tr, _level_counts(stats, tr))
    lines += ["", wording.heading(tr, tr._("Complaints by category"))]
    lines += _items(tr, _counts(tr, stats.complaints_by_category))
    lines += ["", wording.heading(tr, tr._("Deadlines"))]
    met = stats.deadlines_on_time + stats.deadlines_late
    for label, n in _deadline_counts(stats, tr):
        share = f"{round(100 * n / met)}%" if met else "—"
        lines.append(tr._("• {label}: {n} ({share})", label=label, n=n, share=share))
    lines += ["", wording.heading(tr, tr._("Response times"))]
    lines += [f"• {line}" for line in _medians(stats, tr)]
    return lines


def _shown(text: str) -> str:
    return drawable(text)


def _family() -> list[str]:
    """The packaged CJK font first; DejaVu Sans (matplotlib's own) for symbols it lacks."""
    return [register_with_matplotlib(), FALLBACK_FAMILY]


def _title(stats: MonthStats, tr: Translator) -> str:
    return tr._(
        "{site}: statistics for {period}",
        site=wording.pick(tr, stats.site_name),
        period=stats.period_label or wording.period(tr, stats.year, stats.month),
    )


def _counts(tr: Translator, counts: Sequence[Count]) -> list[tuple[str, int]]:
    """Labels picked for the reader, most first; equal labels added up."""
    merged: dict[str, int] = {}
    for count in counts:
        label = wording.pick(tr, count.label) or "—"
        merged[label] = merged.get(label, 0) + count.n
    return sorted(merged.items(), key=lambda item: (-item[1], item[0]))


def _level_counts(stats: MonthStats, tr: Translator) -> list[tuple[str, int]]:
    known = [(wording.level(tr, key), stats.complaints_by_level.get(key, 0)) for key in _LEVELS]
    other = [
        (wording.level(tr, key), n)
        for key, n in stats.complaints_by_level.items()
        if key not in wording.LEVELS
    ]
    return known + sorted(other)


_LEVELS = tuple(wording.LEVELS)


def _deadline_counts(stats: MonthStats, tr: Translator) -> list[tuple[str, int]]:
    return [
        (tr._("Met on time"), stats.deadlines_on_time),
        (tr._("Met late"), stats.deadlines_late),
    ]


def _medians(stats: MonthStats, tr: Translator) -> list[str]:
    def shown(value: object) -> str:
        return tr.duration(value) if value is not None else tr._("no data")  # type: ignore[arg-type]

    return [
        tr._("Median time to first contact: {time}", time=shown(stats.median_first_contact)),
        tr._("Median time to close: {time}", time=shown(stats.median_to_close)),
    ]


def _items(tr: Translator, counts: list[tuple[str, int]]) -> list[str]:
    if not counts:
        return [tr._("• none")]
    return [tr._("• {label}: {n}", label=label, n=n) for label, n in counts]


def _bars_across(axes: Axes, title: str, counts: list[tuple[str, int]], tr: Translator) -> None:
    axes.set_title(_shown(title), loc="left", fontsize=13, fontfamily=_family())
    if not counts:
        _empty(axes, tr)
        return
    labels = [_shown(wrap(label)) for label, _n in counts][::-1]
    values = [n for _label, n in counts][::-1]
    bars = axes.barh(labels, values, color=BAR)
    axes.bar_label(bars, padding=3, fontfamily=_family())
    _whole_numbers(axes.xaxis)
    axes.margins(x=0.15)


def _levels(axes: Axes, stats: MonthStats, tr: Translator) -> None:
    axes.set_title(
        _shown(tr._("Complaints by level")), loc="left", fontsize=13, fontfamily=_family()
    )
    counts = _level_counts(stats, tr)
    if not any(n for _label, n in counts):
        _empty(axes, tr)
        return
    keys = [*_LEVELS, *sorted(k for k in stats.complaints_by_level if k not in wording.LEVELS)]
    colours = [LEVEL_COLOURS.get(key, BAR) for key in keys]
    bars = axes.bar([_shown(label) for label, _n in counts], [n for _l, n in counts], color=colours)
    axes.bar_label(bars, padding=3, fontfamily=_family())
    _whole_numbers(axes.yaxis)
    axes.margins(y=0.15)


def _deadlines(axes: Axes, stats: MonthStats, tr: Translator) -> None:
    axes.set_title(_shown(tr._("Deadlines")), loc="left", fontsize=13, fontfamily=_family())
    counts = _deadline_counts(stats, tr)
    if not any(n for _label, n in counts):
        _empty(axes, tr)
        return
    bars = axes.bar([_shown(label) for label, _n in counts], [n for _l, n in counts])
    for bar, colour in zip(bars, (ON_TIME, LATE), strict=True):
        bar.set_color(colour)
    axes.bar_label(bars, padding=3, fontfamily=_family())
    _whole_numbers(axes.yaxis)
    axes.margins(y=0.15)


def _whole_numbers(axis: Axis) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _empty(axes: Axes, tr: Translator) -> None:
    axes.text(
        0.5,
        0.5,
        _shown(tr._("No data")),
        ha="center",
        va="center",
        fontsize=12,
        color="grey",
        fontfamily=_family(),
    )
    axes.set_xticks([])
    axes.set_yticks([])


def wrap(text: str, width: int = LABEL_WIDTH) -> str:
    """Break a label into lines of at most ``width`` columns: at spaces where it has them,
    between any two characters in Chinese; a wide character counts two columns."""
    lines: list[str] = []
    line, used = "", 0
    for word in _words(text):
        size = sum(_columns(char) for char in word)
        if used and used + size > width:
            lines.append(line.rstrip())
            line, used = "", 0
            word = word.lstrip()
            size = sum(_columns(char) for char in word)
        line += word
        used += size
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def _words(text: str) -> list[str]:
    """Pieces a line may not be broken inside: a Latin word with the spaces before it, or one
    wide character; wide punctuation that ends something (。，、）”) stays with the piece
    before it."""
    words: list[str] = []
    for char in text:
        previous = words[-1][-1] if words else None
        if previous is None:
            words.append(char)
        elif _columns(char) == 2:
            if unicodedata.category(char) in ("Po", "Pe", "Pf"):
                words[-1] += char
            else:
                words.append(char)
        elif char.isspace() or _columns(previous) == 2:
            words.append(char)
        else:
            words[-1] += char
    return words


def _columns(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
