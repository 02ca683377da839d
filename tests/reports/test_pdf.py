"""Case reports and drill records as PDFs: every text there and extractable, the CJK font
embedded, photos embedded, pages that render, nothing lost to long texts."""

from __future__ import annotations

import dataclasses
import time
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from pypdf import PdfReader

from bot.i18n import Translator
from bot.reports.models import AnswerLine, CaseRecord, Photo, Section, TimelineEntry
from bot.reports.pdf import case_pdf, drill_pdf
from bot.reports.wording import pick
from tests.reports import samples
from tests.reports.conftest import squeeze, text_of

CHAIN = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
A4 = (595.28, 841.89)  # points


def rendered(pdf: bytes) -> tuple[int, int]:
    """Render every page at 50 dpi; return (pages, embedded images)."""
    document = pdfium.PdfDocument(pdf)
    images = 0
    try:
        for page in document:
            width, height = page.get_size()
            assert (round(width, 1), round(height, 1)) == (round(A4[0], 1), round(A4[1], 1))
            bitmap = page.render(scale=50 / 72).to_pil()
            assert bitmap.size[0] > 300
            images += sum(1 for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
        return len(document), images
    finally:
        document.close()


def fonts(pdf: bytes) -> set[str]:
    """The embedded fonts' names (a font with a FontFile2 stream is embedded)."""
    names = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            if "/FontFile2" in descendant["/FontDescriptor"].get_object():
                names.add(str(font["/BaseFont"]).split("+")[-1])
    return names


@pytest.mark.usefixtures("strict")
def test_the_case_report_in_chinese_has_every_answer_and_line(
    zh: Translator, photos: tuple[Photo, ...]
) -> None:
    case = samples.case(photos)
    pdf = case_pdf(case, zh, chain_head=CHAIN, generated_at=datetime(2026, 11, 30, 2, tzinfo=UTC))
    text = text_of(pdf)
    expected = [
        "案件报告2611-001",
        "客户挂失财物及失窃",
        "示例酒店",
        "状态已报告",
        "报告人DemoGuard",
        "立案时间2026年11月22日23:05:00",  # site time, not the reader's London
        "结案时间2026年11月23日01:20:00",
        "处理用时2小时15分钟",
        "投诉级别重要",
        "三楼大堂休息区31.230400,121.473700",
        "领班到场2026/11/2223:152026/11/2223:11按时完成",
        "回访业主2026/11/2300:052026/11/2300:45逾期完成",
        "安防队长、服务中心负责人、物业部经理客户财物失窃。",
        "已确认LiSi2026/11/2223:09",
        "总经理2026/11/2223:08等待确认",
        "值班人员签名：________________日期：________________",
        "安防队长签名：",
        f"时间线哈希链头：{CHAIN}",
        "第1页，共",
        "生成于2026/11/3010:00",
    ]
    for section in case.sections:
        expected.append(squeeze(pick(zh, section.title)))
        for line in section.lines:
            expected += [squeeze(pick(zh, line.label)), squeeze(pick(zh, line.value))]
    for entry in case.timeline:
        expected.append(squeeze(entry.who) + squeeze(pick(zh, entry.what)))
    missing = [piece for piece in expected if piece not in text]
    assert not missing
    assert fonts(pdf) == {"WenQuanYiMicroHei"}
    pages, images = rendered(pdf)
    assert pages >= 2
    assert images == len(photos)


@pytest.mark.usefixtures("strict")
def test_the_case_report_in_english(en: Translator, photos: tuple[Photo, ...]) -> None:
    pdf = case_pdf(samples.case(photos[:1]), en)
    text = text_of(pdf)
    for piece in [
        "Casereport2611-001Lostorstolenproperty",
        "SiteDemoHotelStatusreportedReportedbyDemoGuard",
        "OpenedNov22,2026,11:05:00PM",  # Shanghai time: the record's zone, not the reader's
        "Owner'saccount业主称：",
        "PoliceandsceneprotectionDoestheowneraskforthepolice?Yes",
        "11/22/202623:09LiSiacknowledgedthealert",
        "Calltheownerback11/23/202600:0511/23/202600:45metlate",
        "Securitychief,Service-centrehead,PropertymanagerPropertystolen.",
        "Generalmanager11/22/202623:08waitingforanacknowledgement—",
        "Dutyofficersignature:________________Date:________________",
        "Page1of",
        "Photo1·Scene1",
    ]:
        assert piece in text, piece
    assert rendered(pdf)[1] == 1


@pytest.mark.usefixtures("strict")
def test_the_drill_record_reads_like_the_source_records(
    zh: Translator, photos: tuple[Photo, ...]
) -> None:
    drill = samples.drill(photos[:2])
    pdf = drill_pdf(drill, zh)
    text = text_of(pdf)
    expected = [
        "应急救援演练记录示例物业管理有限公司高处坠落",
        "时间2026年11月10日14:50:00至16:31地点迎宪小区项目部施工现场",
        "演练项目高处坠落耗时1小时41分钟",
        "参加人员应急救援领导组全体成员",
        "一、演练目的检验救援组织反应速度",
        "二、事故假设外架子上进行作业的一名工人从二层（距地高度约6m）坠落。",
        "三、演练组织机构及职责",
        "总指挥分公司经理负责现场全面指挥，下达处理方案",
        "四、演练前期工作",
        "五、演练过程",
        "14:50现场安全员发现事故发生",
        "14:52（+2分钟）项目负责人赶到了现场",
        "16:31（+1小时41分钟）分公司经理宣布应急救援程序关闭。分公司经理",
        "照片1·14:50·现场照片1",
        "六、总结评价人员到位情况：迅速准确",
        "七、存在的不足及整改",
        "灭火器皮管破裂更换皮管李四2026/11/112026/11/11",
        "罐区周围有杂草清除杂草王五2026/11/12—",
        "八、结论演练基本达到了目的",
        "记录人签名：",
        "总指挥签名：",
        "示例物业管理有限公司2026年11月10日",
    ]
    expected += [squeeze(pick(zh, step.text)) for step in drill.steps]
    missing = [piece for piece in expected if piece not in text]
    assert not missing
    pages, images = rendered(pdf)
    assert (pages, images) == (2, 2)
    assert fonts(pdf) == {"WenQuanYiMicroHei"}


@pytest.mark.usefixtures("strict")
def test_an_english_drill_record(en: Translator) -> None:
    drill = dataclasses.replace(samples.drill(), purpose="", shortcomings=(), organisation=())
    text = text_of(drill_pdf(drill, en))
    for piece in [
        "Emergencydrillrecord",
        "DrillitemFallfromheightDuration1hour41minutes",
        "1.Purposeofthedrill—2.Assumedaccident",
        "3.Organisationandduties—",
        "7.ShortcomingsandrectificationNonerecorded.",
        "2:52PM(+2minutes)",
    ]:
        assert piece in text, piece


@pytest.mark.usefixtures("strict")
def test_no_text_is_lost_however_long(zh: Translator, tmp_path: Path) -> None:
    """A page-long answer, an unbroken token, a table row taller than a page, an emoji, an
    unreadable photo: all written, none cut."""
    essay = "".join(f"第{n}段：巡查发现消防通道被杂物堵塞，已通知物业清理。" for n in range(1, 200))
    token = "x" * 400
    tall = "\n".join(f"{n}. 处置人员到场核实情况并记录。" for n in range(1, 120))
    broken = tmp_path / "broken"
    broken.write_bytes(b"not a photo")
    case = dataclasses.replace(
        samples.case(),
        sections=(
            Section(
                "长文本",
                (
                    AnswerLine("陈述", essay),
                    AnswerLine("编号", token),
                    AnswerLine("心情", "业主很生气😡但已平复，消防车🚒已离开"),
                ),
            ),
        ),
        timeline=(TimelineEntry(samples.OPENED, "Demo Guard", tall),),
        photos=(Photo("0" * 64, broken), Photo("1" * 64, tmp_path / "missing")),
    )
    pdf = case_pdf(case, zh)
    # Page headers and footers fall between the pieces of a text that runs across pages.
    text = text_of(pdf, chrome=r"案件2611-001·客户挂失财物及失窃|示例酒店第\d+页，共\d+页")
    assert squeeze(essay) in text
    assert token in text
    # DejaVu Sans draws this emoji; no font has the fire engine, so its code point stands in.
    assert "业主很生气😡但已平复，消防车[U+1F692]已离开" in text
    assert squeeze(tall) in text  # written as paragraphs across pages, not as a cut row
    assert text.count("无法读取该照片文件。") == 2
    pages, images = rendered(pdf)
    assert pages >= 5
    assert images == 0


def test_a_twenty_photo_case_renders_quickly(zh: Translator, tmp_path: Path) -> None:
    photos = tuple(samples.photo_files(tmp_path, 20))
    start = time.perf_counter()
    pdf = case_pdf(samples.case(photos), zh, chain_head=CHAIN)
    elapsed = time.perf_counter() - start
    assert elapsed < 10, elapsed  # about 0.5 s on the 2-core machine
    assert rendered(pdf)[1] == 20
    assert len(pdf) < 20 * 100_000  # JPEGs as stored, not decoded pixels


def test_times_are_in_the_record_zone(zh: Translator) -> None:
    moved = dataclasses.replace(samples.case(), timezone="Europe/London")
    text = text_of(case_pdf(moved, zh))
    assert "立案时间2026年11月22日15:05:00" in text
    assert "2026/11/2215:05DemoGuard立案" in text


@pytest.mark.usefixtures("strict")
def test_a_case_with_nothing_but_its_header(zh: Translator) -> None:
    bare = CaseRecord(
        number="2611-009",
        procedure="夜间巡查",
        site_name="示例酒店",
        timezone="Asia/Shanghai",
        status="in_progress",
        reporter="张三",
        opened_at=samples.OPENED,
    )
    pdf = case_pdf(bare, zh)
    text = text_of(pdf)
    assert "案件报告2611-009夜间巡查" in text
    assert "状态进行中报告人张三" in text
    assert "结案时间—" in text
    assert rendered(pdf) == (1, 0)
