"""The month's chart: a sane PNG, Chinese drawn in the packaged font, no glyph missing."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import matplotlib
import matplotlib.text
import pytest
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from bot.i18n import Translator
from bot.reports.charts import month_chart, month_figure, stats_text, wrap
from bot.reports.fonts import CJK_FAMILY, cjk_coverage, cjk_font_path, register_with_matplotlib
from bot.reports.models import MonthStats
from tests.reports import samples

CJK = re.compile("[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.usefixtures("strict")
@pytest.mark.parametrize("reader", ["zh", "en"])
def test_the_chart_is_a_png_of_a_sane_size(reader: str, request: pytest.FixtureRequest) -> None:
    tr: Translator = request.getfixturevalue(reader)
    png = month_chart(samples.stats(), tr)
    assert png.startswith(PNG)
    assert 20_000 < len(png) < 1_000_000
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (1200, 900)
        colours = image.convert("L").getcolors(maxcolors=256)
        assert colours is not None and len(colours) > 16  # something was drawn


@pytest.mark.usefixtures("strict")
def test_chinese_labels_are_drawn_in_the_packaged_font(zh: Translator) -> None:
    figure = month_figure(samples.stats(), zh)
    FigureCanvasAgg(figure).draw()  # lays out and renders every label: warnings would fail
    labels = [
        text
        for text in figure.findobj(matplotlib.text.Text)
        if CJK.search(text.get_text())  # type: ignore[attr-defined]
    ]
    shown = {label.get_text() for label in labels}  # type: ignore[attr-defined]
    assert {"各预案案件数", "投诉级别统计", "一般", "重大", "按时完成"} <= shown
    assert any("示例酒店" in text and "2026年11月" in text for text in shown)
    for label in labels:
        properties = label.get_fontproperties()  # type: ignore[attr-defined]
        used = font_manager.findfont(properties, fallback_to_default=False)
        assert Path(used) == cjk_font_path(), label
        # The first font has every character, so matplotlib falls back for none of them.
        missing = [c for c in label.get_text() if not c.isspace() and ord(c) not in cjk_coverage()]  # type: ignore[attr-defined]
        assert not missing, (label, missing)


def test_drawing_leaves_matplotlib_settings_alone(zh: Translator) -> None:
    before = dict(matplotlib.rcParams)
    month_chart(samples.stats(), zh)
    assert dict(matplotlib.rcParams) == before


def test_the_font_is_registered_by_path_from_the_package() -> None:
    assert register_with_matplotlib() == CJK_FAMILY
    assert "paperang_p2_fonts_cjk" in cjk_font_path().parts
    entries = [f for f in font_manager.fontManager.ttflist if f.name == CJK_FAMILY]
    assert {Path(entry.fname) for entry in entries} == {cjk_font_path()}


def test_a_missing_glyph_would_fail_the_chart_tests() -> None:
    """The check above is real: a glyph no font has makes matplotlib warn, which fails."""
    register_with_matplotlib()
    figure = Figure()
    figure.text(0.5, 0.5, "\U0001f600", family=[CJK_FAMILY])
    with warnings.catch_warnings(), pytest.raises(UserWarning, match="missing from font"):
        warnings.simplefilter("error")
        FigureCanvasAgg(figure).draw()


@pytest.mark.usefixtures("strict")
def test_an_empty_month_says_so(zh: Translator) -> None:
    empty = MonthStats(site_name="示例酒店", timezone="Asia/Shanghai", year=2026, month=2)
    figure = month_figure(empty, zh)
    FigureCanvasAgg(figure).draw()
    texts = [t.get_text() for t in figure.findobj(matplotlib.text.Text)]  # type: ignore[attr-defined]
    assert texts.count("无数据") == 4
    assert month_chart(empty, zh).startswith(PNG)


def test_the_numbers_as_text_lines(zh: Translator, en: Translator) -> None:
    chinese = stats_text(samples.stats(), zh)
    assert chinese[0] == "示例酒店：2026年11月统计"
    assert "【各预案案件数】" in chinese
    assert "• 投诉受理：7" in chinese
    assert "共 13 宗案件" in chinese
    levels = chinese.index("【投诉级别统计】")
    assert chinese[levels + 1 : levels + 5] == ["• 一般：4", "• 重要：2", "• 热点：1", "• 重大：0"]
    assert "• 按时完成：9（82%）" in chinese
    assert "• 首次联系用时中位数：12分钟" in chinese
    english = stats_text(samples.stats(), en)
    assert english[0] == "Demo Hotel: statistics for November 2026"
    assert "• Met late: 2 (18%)" in english
    assert "• Median time to close: 1 day 2 hours 5 minutes" in english


def test_long_labels_wrap_at_words_or_between_chinese_characters() -> None:
    assert wrap("Lost or stolen property and more", 14) == "Lost or stolen\nproperty and\nmore"
    assert wrap("客户挂失财物及失窃的处理预案。", 12) == "客户挂失财物\n及失窃的处理\n预案。"
    # Closing punctuation stays with the character before it.
    assert not any(
        line.startswith(("。", "，")) for line in wrap("甲乙丙丁戊，己庚。", 10).split("\n")
    )
