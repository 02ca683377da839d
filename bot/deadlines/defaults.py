"""The rules' clocks as named defaults: every ★★★ and ★★ row of the catalog's §8.1 (procedures.md)
that is a clock with a number, plus B11's working-day clocks (★).

Each has a stable ``key`` (the lead makes each a site setting: a site shortens or lengthens the
span with ``spec.with_span``), its seed source, a title in Chinese and English side by side, and
the event whose answered time starts it (``spec.starts_at``). Rows of §8.1 that are no usable
clock (no number, a recurring schedule, a counter, a noise document) are listed too, with
``spec`` None and the reason in ``unusable``, so nothing of the table is silently left out.

Due-by defaults remind at 80 % of their span (:data:`REMIND_FRACTION`).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.deadlines.specs import DayReading, DeadlineSpec, Kind, Span


def N_(text: str) -> str:
    return text


REMIND_FRACTION = 0.8

# Events that start the clocks; the caller maps each to an answered time of the case.
RECEIVED = "received"  # the complaint (report, enquiry) was received
ORDER_SUBMITTED = "order_submitted"  # B3: the 《协调工作单》 reached the manager complained about
ORDER_RETURNED = "order_returned"  # B3: the work order came back to the follow-up specialist
FIRST_RESPONSE = "first_response"  # B3: the first response to the customer (初次对应)
AROSE = "arose"  # B1: the complaint arose (投诉发生)
REPAIR_DELIVERED = "repair_delivered"  # B8: the repaired product's delivery date (交货期)
REPLIED = "replied"  # B8: the handling opinion was given to the customer


@dataclass(frozen=True)
class DefaultClock:
    key: str
    row: int | None  # the row of procedures.md §8.1; None for a §8.4 noise rule
    procedure: str  # catalog section, e.g. "B3"
    source: str  # seed file and line(s), e.g. "001:154"
    stars: int  # the catalog's relevance: 3 ★★★, 2 ★★, 1 ★
    zh: str
    en: str
    spec: DeadlineSpec | None
    unusable: str | None = None  # why there is no default spec
    note: str = ""  # the reading chosen where the rule is ambiguous

    def __post_init__(self) -> None:
        if (self.spec is None) == (self.unusable is None):
            raise ValueError(f"{self.key}: either a spec or the reason there is none")

    @property
    def title(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


def _due(
    span: Span,
    starts_at: str = RECEIVED,
    *,
    day_reading: DayReading | None = None,
    counts_start_day: bool = False,
    off_hours_start: bool = False,
) -> DeadlineSpec:
    return DeadlineSpec(
        span,
        starts_at=starts_at,
        day_reading=day_reading,
        counts_start_day=counts_start_day,
        remind_fraction=REMIND_FRACTION,
        off_hours_start=off_hours_start,
    )


def _earliest(span: Span, starts_at: str, *, counts_start_day: bool = False) -> DeadlineSpec:
    return DeadlineSpec(
        span, kind=Kind.EARLIEST, starts_at=starts_at, counts_start_day=counts_start_day
    )


_B3_START = (
    "The rule does not say from when; read from the work order reaching the manager "
    "(step (三) follows its submission), as the coordination_order playbook does."
)

DEFAULTS: tuple[DefaultClock, ...] = (
    # -- B3 客户投诉处理制度 (协调工作单), 001:152-157 ★★★ ------------------------------------
    DefaultClock(
        "b3_submit_order", 1, "B3", "001:154", 3,
        "10分钟内将《协调工作单》提交给被投诉部门经理（或其代理人）",
        "Submit the coordination work order to the manager complained about (or their delegate)"
        " within 10 minutes",
        _due(Span.minutes(10)),
    ),
    DefaultClock(
        "b3_plan_agreement", 2, "B3", "001:154", 3,
        "10分钟内整理方案与客户进行沟通达成初步协议",
        "Plan and reach a preliminary agreement with the customer within 10 minutes",
        _due(Span.minutes(10), ORDER_SUBMITTED),
        note="From the work order reaching the manager (被投诉部门经理…需在10分钟内).",
    ),
    DefaultClock(
        "b3_first_contact_phone", 3, "B3", "001:156", 3,
        "20分钟内与客户有第一次电话接触",
        "First phone contact with the customer within 20 minutes",
        _due(Span.minutes(20), ORDER_SUBMITTED),
        note=_B3_START,
    ),
    DefaultClock(
        "b3_first_contact_on_site", 3, "B3", "001:156", 3,
        "现场10分钟内与客户接触",
        "On site: contact with the customer within 10 minutes",
        _due(Span.minutes(10), ORDER_SUBMITTED),
        note=_B3_START,
    ),
    DefaultClock(
        "b3_callback", 4, "B3", "001:156", 3,
        "40分钟后打电话给客户追踪处理情况",
        "Phone the customer 40 minutes later to check progress",
        _earliest(Span.minutes(40), ORDER_SUBMITTED),
        note="An earliest time: a call before it is not the callback. " + _B3_START,
    ),
    DefaultClock(
        "b3_result_return", 5, "B3", "001:156", 3,
        "12小时内将处理结果记录在《协调工作单》交于回访专员",
        "Record the outcome on the work order and hand it to the follow-up specialist within"
        " 12 hours",
        _due(Span.hours(12), ORDER_SUBMITTED),
        note=_B3_START,
    ),
    DefaultClock(
        "b3_second_contact", 6, "B3", "001:156", 3,
        "接到交回的《协调工作单》后24小时内与客户进行第二次沟通",
        "Second contact with the customer within 24 hours of getting the work order back",
        _due(Span.hours(24), ORDER_RETURNED),
    ),
    DefaultClock(
        "b3_first_response_dissatisfied", 7, "B3", "001:156", 3,
        "初次对应：不满意 30分钟",
        "First response: dissatisfied, 30 minutes",
        _due(Span.minutes(30)),
    ),
    DefaultClock(
        "b3_first_response_very_dissatisfied", 7, "B3", "001:156", 3,
        "初次对应：非常不满意 20分钟",
        "First response: very dissatisfied, 20 minutes",
        _due(Span.minutes(20)),
    ),
    DefaultClock(
        "b3_first_response_major", 7, "B3", "001:156", 3,
        "初次对应：重大投诉 10分钟",
        "First response: major complaint, 10 minutes",
        _due(Span.minutes(10)),
    ),
    DefaultClock(
        "b3_first_response_crisis", 7, "B3", "001:156", 3,
        "初次对应：危机事件 10分钟",
        "First response: crisis, 10 minutes",
        _due(Span.minutes(10)),
    ),
    DefaultClock(
        "b3_second_response", 8, "B3", "001:156", 3,
        "二次对应 24小时",
        "Second response within 24 hours",
        _due(Span.hours(24), FIRST_RESPONSE),
        note="第六条's table does not say from when; read from the first response. Step (六)"
        " words the same second round from the returned work order (b3_second_contact).",
    ),
    DefaultClock(
        "b3_response_rounds", 9, "B3", "001:156", 3,
        "对应次数：2次、2次、2次、视情形而定",
        "Response rounds: 2, 2, 2, case by case",
        None,
        unusable=N_("a limit on the number of contacts per level, not a clock"),
    ),
    DefaultClock(
        "b3_overrun_penalty", 10, "B3", "001:156", 3,
        "超时扣罚：20元、30元、50元、80元",
        "Penalty for an overrun: 20, 30, 50, 80 yuan",
        None,
        unusable=N_("a penalty for an overrun, not a clock (a report can count overruns)"),
    ),
    DefaultClock(
        "b3_complaint_box", 11, "B3", "001:154", 3,
        "回访专员每天及时收取投诉箱意见和建议",
        "Collect the complaint box every day",
        None,
        unusable=N_("a recurring schedule (every day, §9), not a clock started by an event"),
    ),
    # -- B1 业主投诉处理制度, 002:37-43 ★★★ ------------------------------------------------
    DefaultClock(
        "b1_hot_after_week", 12, "B1", "002:41", 3,
        "投诉一周以后由于我方原因仍未解决的属热点投诉",
        "Unresolved a week later for reasons on our side: a hot complaint",
        _due(Span.days(7), AROSE, day_reading=DayReading.SAME_TIME),
        note="7 days at the same wall-clock time; overdue means the rise to 热点 applies"
        " (levels.age_rises) when the delay is on our side.",
    ),
    DefaultClock(
        "b1_major_after_month", 13, "B1", "002:39", 3,
        "投诉发生一个月后由于我方原因仍未能得到有效解决的属重大投诉",
        "Not effectively resolved a month after it arose for reasons on our side: a major"
        " complaint",
        _due(Span.months(1), AROSE, day_reading=DayReading.SAME_TIME),
        note="One calendar month at the same wall-clock time, clamped to the month's end.",
    ),
    DefaultClock(
        "b1_repeat_complaints", 14, "B1", "002:41", 3,
        "一个月内累计三次以上不同投诉人的相同投诉属热点投诉",
        "The same complaint from different people three or more times within a month: hot",
        None,
        unusable=N_("a rolling count of complainants, not a clock: levels.repeat_rise"),
    ),
    # -- B2 ★★★ --------------------------------------------------------------------------------
    DefaultClock(
        "b2_monthly_statistics", 15, "B2", "002:123", 3,
        "每月做出投诉统计",
        "Complaint statistics every month",
        None,
        unusable=N_("a recurring schedule (every month, §9), not a clock started by an event"),
    ),
    # -- B9 building / property customer service ★★★ / ★★ --------------------------------------
    DefaultClock(
        "b9_same_day_check", 16, "B9", "003:367", 3,
        "对住户投诉、来访中谈到的问题当天进行调查、核实",
        "Investigate and verify a resident's complaint the same day",
        _due(Span.days(0)),
        note="当天: by 24:00 of the day it was received.",
    ),
    DefaultClock(
        "b8_written_complaint_call", 17, "B8", "003:15", 2,
        "书面投诉收到后第一时间电话咨询投诉人",
        "Written complaint: phone the complainant at once",
        None,
        unusable=N_("no number (第一时间: at once)"),
    ),
    # -- B8 客户投诉管理制度 (客服主任) ★★ ------------------------------------------------------
    DefaultClock(
        "b8_repair_callback", 18, "B8", "003:37", 2,
        "产品质量类投诉在返修产品交货期第2天回访客户",
        "Product-quality complaint: call the customer back on the 2nd day of the repaired"
        " product's delivery",
        _earliest(Span.days(2), REPAIR_DELIVERED, counts_start_day=True),
        note="第2天 counts the delivery day as day 1 (as 入住第2天 is the day after arrival):"
        " the callback is due from 00:00 of the day after delivery. The catalog's table reads"
        " it as delivery + 2 days; a site wanting that sets the span to 3.",
    ),
    DefaultClock(
        "b8_other_callback", 19, "B8", "003:39", 2,
        "其他类问题投诉在回复客户处理意见后15天回访客户",
        "Other complaints: call the customer back 15 days after replying",
        _earliest(Span.days(15), REPLIED),
        note="From 00:00 of the 15th day after the reply (a calendar day, any time that day).",
    ),
    DefaultClock(
        "b8_packaging_opinion", 20, "B8", "003:318", 2,
        "外观类包装投诉在第2个工作日完成处理意见并反馈客服主任",
        "Packaging complaint: handling opinion back to the customer-service supervisor by the"
        " 2nd working day",
        _due(Span.working_days(2), counts_start_day=True),
        note="第2个工作日 counts the day received as the 1st working day when it is one and"
        " work can still be done on it: by the end of the next working day.",
    ),
    # -- B4 / B5 咨询 ★★ ------------------------------------------------------------------------
    DefaultClock(
        "b4_enquiry_reply", 21, "B4", "000:157", 2,
        "不能当即解答的咨询在24小时答复客户",
        "Enquiry not answerable on the spot: reply to the customer within 24 hours",
        _due(Span.hours(24)),
        note="Also 000:171, 001:86, 001:116 (B5), 002:75, 002:167.",
    ),
    DefaultClock(
        "b4_suggestion_reply", 22, "B4", "000:157", 2,
        "需要回复的建议，给客户承诺一定回复期限",
        "Suggestion: promise the customer a reply period",
        None,
        unusable=N_("no number: the handler promises a period (the complaint playbook asks it)"),
    ),
    # -- B10 客户服务投诉管理制度 ★★ -----------------------------------------------------------
    DefaultClock(
        "b10_investigation_start", 23, "B10", "002:175", 2,
        "一个工作日内展开调查",
        "Start investigating within one working day",
        _due(Span.working_days(1)),
    ),
    DefaultClock(
        "b10_satisfactory_reply", 23, "B10", "002:175", 2,
        "二个工作日内给予客户满意回复",
        "Give the customer a satisfactory reply within two working days",
        _due(Span.working_days(2)),
        note="By the end (closing time, or 24:00) of the 2nd working day after the day"
        " received, that day not counted.",
    ),
    # -- B13 ★★ ----------------------------------------------------------------------------------
    DefaultClock(
        "b13_handling_opinion", 24, "B13", "000:103", 2,
        "营销总监及区域经理在1个工作日内作出处理意见",
        "Handling opinion from the director or regional manager within one working day",
        _due(Span.working_days(1)),
        note="Also 001:120, 002:133.",
    ),
    # -- B11 service-centre window ★ (working-day clocks) ----------------------------------------
    DefaultClock(
        "b11_written_reply", 25, "B11", "002:79", 1,
        "一般书面投诉在2个工作日内作出答复",
        "Ordinary written complaint: reply within two working days",
        _due(Span.working_days(2)),
    ),
    DefaultClock(
        "b11_complex_reply", 25, "B11", "002:79", 1,
        "较为复杂或涉及两个以上部门的投诉在5个工作日内作出答复",
        "Complex complaint, or one involving two or more departments: reply within five"
        " working days",
        _due(Span.working_days(5)),
    ),
    # -- B7 电力客户来信来访 ★★ -----------------------------------------------------------------
    DefaultClock(
        "b7_resolve", 26, "B7", "001:22", 2,
        "正确合理的投诉和要求在5天内给予解决",
        "Justified complaints and requests resolved within 5 days",
        _due(Span.days(5)),
        note="Calendar days, the day received not counted, by 24:00 of the 5th.",
    ),
    DefaultClock(
        "b7_major_reply", 26, "B7", "001:22-24", 2,
        "特殊情况或重大问题及时上报并在10日内给予答复",
        "Special or major issues: report and reply within 10 days",
        _due(Span.days(10)),
        note="Calendar days, the day received not counted, by 24:00 of the 10th.",
    ),
    # -- B14 / B15 ★★ ----------------------------------------------------------------------------
    DefaultClock(
        "b14_case_numbering", 31, "B14", "000:79", 2,
        "编号原则：年度、月份、流水编号",
        "Case numbers: year, month, serial",
        None,
        unusable=N_("the case-number cycle, not a clock (bot/cases/numbering.py)"),
    ),
    DefaultClock(
        "b15_late_arrival", 32, "B15", "000:189", 2,
        "在约定时间迟到半小时以上属一般性投诉",
        "Arriving half an hour or more late for an appointment is a general complaint",
        None,
        unusable=N_("a classification threshold of B15's own levels, not a clock"),
    ),
    DefaultClock(
        "b15_monthly_summary", 33, "B15", "000:189", 2,
        "每月汇总客户投诉情况",
        "Monthly complaint summary",
        None,
        unusable=N_("a recurring schedule (every month, §9), not a clock started by an event"),
    ),
    # -- B20 ★★ (off-hours rule) -----------------------------------------------------------------
    DefaultClock(
        "b20_off_hours", 42, "B20", "002:111", 2,
        "夜间、节假日值班期间接到的投诉举报，应于次日或节假日后的第一个工作日办理",
        "Reports received at night or on a holiday are handled the next day or the first"
        " working day after the holiday",
        _due(Span.working_days(0), off_hours_start=True),
        note="By the end of the first working day from the next opening; needs the site's"
        " working hours to know the night (without them only non-working days are off"
        " hours). Received in working hours: by the end of that day (即接快办).",
    ),
    # -- Part C ★★ -------------------------------------------------------------------------------
    DefaultClock(
        "c3_verify_report", 44, "C3", "004:59", 2,
        "收到举报后24小时内进行核实",
        "Verify a report within 24 hours of receiving it",
        _due(Span.hours(24)),
    ),
    DefaultClock(
        "c4_duty_24h", 45, "C4", "004:75", 2,
        "值班人员负责24小时值班，接收投诉信息",
        "Staff on 24-hour duty receive complaints",
        None,
        unusable=N_("round-the-clock duty: a rota, not a clock"),
    ),
    DefaultClock(
        "c4_immediate_report", 46, "C4", "004:77-82", 2,
        "接到投诉后立即上报应急领导小组",
        "Report a complaint to the emergency leading group at once",
        None,
        unusable=N_("no number (立即: at once); an urgent alert, not a clock"),
    ),
    DefaultClock(
        "b9_serious_feedback", 47, "B9", "003:446", 2,
        "严重事件第一时间为客户反馈和处理",
        "Serious events: feedback and handling at once",
        None,
        unusable=N_("no number (第一时间: at once)"),
    ),
    DefaultClock(
        "b9_serious_deadline", 48, "B9", "003:197", 3,
        "较严重的投诉落实解决措施及职责人，限期进行处理",
        "Serious complaints: measures, owners and a deadline set by the manager",
        None,
        unusable=N_("no number: the manager sets the deadline (限期) case by case"),
    ),
    # -- §8.4 noise ------------------------------------------------------------------------------
    DefaultClock(
        "noise_car_sales_paperwork", None, "§8.4", "003:252", 0,
        "客户资料必须在20分钟内全部交到助理处",
        "Customer papers to the assistant within 20 minutes",
        None,
        unusable=N_("a noise document (§8.4: a car dealer's sales rule), not a complaint clock"),
    ),
)  # fmt: skip

BY_KEY: dict[str, DefaultClock] = {clock.key: clock for clock in DEFAULTS}


def default(key: str) -> DefaultClock:
    return BY_KEY[key]


def usable() -> tuple[DefaultClock, ...]:
    """The defaults that are clocks (have a spec)."""
    return tuple(clock for clock in DEFAULTS if clock.spec is not None)


def default_specs() -> dict[str, DeadlineSpec]:
    """Key → spec of every usable default: what a site's settings start from."""
    return {clock.key: clock.spec for clock in DEFAULTS if clock.spec is not None}
