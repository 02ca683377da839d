"""The month's CSV: a BOM for Excel, a translated header, local times, formula-safe fields."""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest

from bot.i18n import Translator
from bot.reports.csv_export import cases_csv, protect
from tests.reports import samples

HEADER = [
    "案件编号",
    "预案",
    "场所",
    "立案时间（当地时间）",
    "结案时间（当地时间）",
    "状态",
    "投诉级别",
    "投诉分类",
    *[f"时限 {n}{suffix}" for n in (1, 2) for suffix in ("", " 截止时间", " 完成时间", " 结果")],
]


def parse(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_month_as_csv_in_chinese(zh: Translator) -> None:
    data = cases_csv(samples.rows(), zh)
    assert b"\r\n" in data
    header, lost, complaint = parse(data)
    assert header == HEADER
    assert lost == [
        "2611-001",
        "客户挂失财物及失窃",
        "示例酒店",
        "2026-11-22 23:05",
        "2026-11-23 01:20",
        "已报告",
        "重要",
        "治安",
        "领班到场",
        "2026-11-22 23:15",
        "2026-11-22 23:11",
        "按时完成",
        "回访业主",
        "2026-11-23 00:05",
        "2026-11-23 00:45",
        "逾期完成",
    ]
    # No deadlines: empty cells; a line break and quotes in a field survive the round trip.
    assert complaint[:8] == [
        "2611-002",
        "投诉受理",
        "示例酒店",
        "2026-11-23 23:05",
        "",
        "进行中",
        "热点",
        "噪音扰民\n（夜间施工）",
    ]
    assert complaint[8:] == [""] * 8


def test_english_headers_and_quotes(en: Translator) -> None:
    header, lost, complaint = parse(cases_csv(samples.rows(), en))
    assert header[:4] == ["Case number", "Procedure", "Site", "Opened (site time)"]
    assert header[8:12] == [
        "Deadline 1",
        "Deadline 1 due",
        "Deadline 1 met at",
        "Deadline 1 result",
    ]
    assert lost[5:8] == ["reported", "Important", "Security"]
    assert complaint[7] == 'Noise "at night"'


def test_an_answer_that_looks_like_a_formula_stays_text(zh: Translator) -> None:
    evil = dataclasses.replace(
        samples.rows()[1],
        number="+2611-003",
        procedure="@SUM(1+1)",
        category="=cmd()|' /C calc'!A0",
    )
    row = parse(cases_csv([evil], zh))[1]
    assert row[7] == "'=cmd()|' /C calc'!A0"
    assert row[:2] == ["'+2611-003", "'@SUM(1+1)"]
    assert cases_csv([], zh).decode("utf-8-sig").splitlines() == [",".join(HEADER[:8])]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-2", "'-2"),
        ("@A1", "'@A1"),
        ("\tcalc", "'\tcalc"),
        ("\rcalc", "'\rcalc"),
        ("2611-001", "2611-001"),
        ("张三 = 李四", "张三 = 李四"),
        ("", ""),
    ],
)
def test_protect(value: str, shown: str) -> None:
    assert protect(value) == shown
