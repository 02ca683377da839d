"""Records to render: a lost-property case, a drill like the source's fall-from-height record,
a month of statistics, photos made on the spot."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

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
    Photo,
    Place,
    Section,
    Shortcoming,
    TimelineEntry,
)

OPENED = datetime(2026, 11, 22, 15, 5, tzinfo=UTC)  # 23:05 in Shanghai
SITE = {"zh": "示例酒店", "en": "Demo Hotel"}
PROCEDURE = {"zh": "客户挂失财物及失窃", "en": "Lost or stolen property"}
LONG_STATEMENT = (
    "业主称：晚上十点左右在三楼大堂休息区放下钱包，去前台办理手续约五分钟，回来后发现钱包不见了。"
    "钱包为黑色皮质，内有身份证、两张银行卡和现金约两千元。业主要求调取监控录像并报警。"
) * 6
TIMELINE = (
    (0, "Demo Guard", {"zh": "立案", "en": "opened the case"}),
    (1, "Demo Guard", {"zh": "记录失窃类型：失窃", "en": "recorded the type: stolen"}),
    (4, "Li Si", {"zh": "确认了通知", "en": "acknowledged the alert"}),
    (9, "Demo Guard", {"zh": "上传了 3 张现场照片", "en": "added 3 photos of the scene"}),
    (31, "Wang Wu", {"zh": "调取监控录像完毕", "en": "finished reviewing the CCTV"}),
)


def photo_files(folder: Path, count: int, size: tuple[int, int] = (640, 480)) -> list[Photo]:
    """JPEG photos (one PNG with transparency, one JPEG turned by EXIF), stored by sha256."""
    folder.mkdir(parents=True, exist_ok=True)
    photos = []
    for index in range(count):
        image = Image.new("RGB", size, (40 + 9 * index % 200, 90, 160 - 5 * index % 150))
        draw = ImageDraw.Draw(image)
        draw.rectangle(
            (size[0] // 5, size[1] // 5, size[0] // 2, size[1] // 2), fill=(240, 200, 40)
        )
        draw.text((20, 20), f"photo {index + 1}", fill=(255, 255, 255))
        raw = folder / f"raw{index}"
        if index == 1:
            image.convert("RGBA").save(raw, "PNG")
        elif index == 2:
            exif = Image.Exif()
            exif[0x0112] = 6  # shot sideways: the viewer turns it 90°
            image.save(raw, "JPEG", quality=80, exif=exif)
        else:
            image.save(raw, "JPEG", quality=80)
        sha = hashlib.sha256(raw.read_bytes()).hexdigest()
        path = folder / sha[:2] / sha
        path.parent.mkdir(exist_ok=True)
        raw.rename(path)
        photos.append(Photo(sha, path, {"zh": f"现场照片 {index + 1}", "en": f"Scene {index + 1}"}))
    return photos


def case(photos: tuple[Photo, ...] = ()) -> CaseRecord:
    return CaseRecord(
        number="2611-001",
        procedure=PROCEDURE,
        site_name=SITE,
        timezone="Asia/Shanghai",
        status="reported",
        reporter="Demo Guard",
        opened_at=OPENED,
        closed_at=OPENED + timedelta(hours=2, minutes=15),
        sections=(
            Section(
                {"zh": "报告", "en": "Report"},
                (
                    AnswerLine({"zh": "类型", "en": "Type"}, {"zh": "失窃", "en": "Stolen"}),
                    AnswerLine(
                        {"zh": "报告人", "en": "Reporter"}, "1. 张三（联系电话：13800000000）"
                    ),
                    AnswerLine({"zh": "业主陈述", "en": "Owner's account"}, LONG_STATEMENT),
                    AnswerLine({"zh": "备注", "en": "Note"}, "=cmd()|' /C calc'!A0"),
                ),
            ),
            Section(
                {"zh": "报警与保护现场", "en": "Police and scene protection"},
                (
                    AnswerLine(
                        {
                            "zh": "业主是否明确要求向公安机关报案？",
                            "en": "Does the owner ask for the police?",
                        },
                        {"zh": "是", "en": "Yes"},
                    ),
                    AnswerLine({"zh": "报警时间", "en": "Police called at"}, "23:20"),
                ),
            ),
        ),
        photos=photos,
        places=(Place(31.2304, 121.4737, {"zh": "三楼大堂休息区", "en": "3F lobby lounge"}),),
        timeline=tuple(
            TimelineEntry(OPENED + timedelta(minutes=m), who, what) for m, who, what in TIMELINE
        ),
        deadlines=(
            DeadlineRecord(
                {"zh": "领班到场", "en": "Foreman on scene"},
                due=OPENED + timedelta(minutes=10),
                met_at=OPENED + timedelta(minutes=6),
            ),
            DeadlineRecord(
                {"zh": "回访业主", "en": "Call the owner back"},
                due=OPENED + timedelta(hours=1),
                met_at=OPENED + timedelta(hours=1, minutes=40),
            ),
        ),
        alerts=(
            AlertRecord(
                roles=("security_chief", "service_centre_head", "property_manager"),
                state="acknowledged",
                raised_at=OPENED + timedelta(minutes=2),
                message={"zh": "客户财物失窃。", "en": "Property stolen."},
                acknowledged_by="Li Si",
                acknowledged_at=OPENED + timedelta(minutes=4),
            ),
            AlertRecord(
                roles=("general_manager",), state="open", raised_at=OPENED + timedelta(minutes=3)
            ),
        ),
        sign_offs=(
            {"zh": "值班人员", "en": "Duty officer"},
            {"zh": "安防队长", "en": "Security chief"},
        ),
        level="important",
        category={"zh": "治安", "en": "Security"},
    )


def drill(photos: tuple[Photo, ...] = ()) -> DrillRecord:
    start = datetime(2026, 11, 10, 6, 50, tzinfo=UTC)  # 14:50 in Shanghai
    minutes = (0, 2, 3, 6, 10, 30, 33, 101)
    texts = (
        "现场安全员发现事故发生，一面抢救伤者，一面用手机向项目负责人报告了事故。",
        "项目负责人赶到了现场，安排门卫保护现场，并通知外架子上所有人员撤离架子，暂停生产。",
        "项目负责人将事故报告给了分公司办公室，同时通知了“120”。",
        "分公司经理宣布启动分公司应急救援预案。",
        "应急救援领导组全体成员乘车去现场。",
        "应急救援领导组赶到现场开始工作。",
        "“120”救护车赶到现场。",
        "分公司经理宣布应急救援程序关闭。",
    )
    actors = ("安全员", "项目负责人", "项目负责人", "分公司经理", "", "", "", "分公司经理")
    steps = tuple(
        DrillStep(start + timedelta(minutes=m), text, actor, photos[i : i + 1] if i < 2 else ())
        for i, (m, text, actor) in enumerate(zip(minutes, texts, actors, strict=True))
    )
    return DrillRecord(
        item={"zh": "高处坠落", "en": "Fall from height"},
        site_name=SITE,
        timezone="Asia/Shanghai",
        started_at=start,
        ended_at=start + timedelta(minutes=101),
        place="迎宪小区项目部施工现场",
        participants="应急救援领导组全体成员、分公司负责人、项目部负责人及项目部安全员",
        purpose="检验救援组织反应速度、救援能力、协同配合，演练救援技能。",
        scenario="外架子上进行作业的一名工人从二层（距地高度约6m）坠落。",
        organisation=(
            DrillRole("总指挥", "分公司经理", "负责现场全面指挥，下达处理方案"),
            DrillRole("组员", "项目负责人、安全员", "抢救伤者，保护现场"),
        ),
        preparation="参演人员集中，专职安全员讲解处置流程和演练的注意事项。",
        steps=steps,
        evaluation="人员到位情况：迅速准确；物资到位情况：全部有效；实战效果：达到预期目标。",
        shortcomings=(
            Shortcoming(
                "灭火器皮管破裂",
                "更换皮管",
                "李四",
                deadline=date(2026, 11, 11),
                done_on=date(2026, 11, 11),
            ),
            Shortcoming("罐区周围有杂草", "清除杂草", "王五", deadline=date(2026, 11, 12)),
        ),
        conclusion="演练基本达到了目的，应急救援预案基本能够满足突发事故的救援要求。",
        organisation_name="示例物业管理有限公司",
        sign_offs=("记录人", "总指挥"),
    )


def stats() -> MonthStats:
    return MonthStats(
        site_name=SITE,
        timezone="Asia/Shanghai",
        year=2026,
        month=11,
        cases_by_procedure=(
            Count(PROCEDURE, 5),
            Count({"zh": "投诉受理", "en": "Complaint intake"}, 7),
            Count({"zh": "初期火灾灭火及火警应急预案", "en": "Fire and fire alarm"}, 1),
        ),
        complaints_by_level={"general": 4, "important": 2, "hot": 1, "major": 0},
        complaints_by_category=(
            Count({"zh": "服务态度", "en": "Service attitude"}, 3),
            Count({"zh": "设施设备维修", "en": "Facilities and repairs"}, 2),
            Count({"zh": "噪音扰民", "en": "Noise"}, 2),
        ),
        deadlines_on_time=9,
        deadlines_late=2,
        median_first_contact=timedelta(minutes=12),
        median_to_close=timedelta(hours=26, minutes=5),
    )


def rows() -> list[CaseRow]:
    complaint = CaseRow(
        number="2611-002",
        procedure={"zh": "投诉受理", "en": "Complaint intake"},
        site_name=SITE,
        timezone="Asia/Shanghai",
        opened_at=OPENED + timedelta(days=1),
        closed_at=None,
        status="in_progress",
        level="hot",
        category={"zh": "噪音扰民\n（夜间施工）", "en": 'Noise "at night"'},
    )
    return [case().row(), complaint]
