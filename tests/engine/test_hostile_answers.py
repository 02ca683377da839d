"""Typed answers a hostile tester tried: refused with a translated message, never an exception."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.engine.steps import KINDS
from bot.engine.steps.base import Answered, Invalid, StepIO
from bot.engine.steps.datetime_kind import DateTimeStep
from bot.engine.steps.number import NumberStep
from bot.i18n import Catalogs
from tests.support import World

NOW = datetime(2026, 11, 22, 14, 30, tzinfo=UTC)
TEXT = {"zh": "问", "en": "Question"}
# East and west of Greenwich as far as zones go: year 1 and year 9999 overflow in one or other.
ZONES = ["Asia/Shanghai", "Pacific/Kiritimati", "Etc/GMT+12", "America/Los_Angeles"]


def io(locale: str = "en", zone: str = "Asia/Shanghai") -> StepIO:
    return StepIO(tr=Catalogs().translator(locale, zone), now=NOW)


def moment(text: str, *, past_only: bool = True, locale: str = "en", zone: str = "UTC") -> Any:
    step = DateTimeStep(id="at", kind="datetime", text=TEXT, past_only=past_only)
    return KINDS["datetime"].on_text(step, io(locale, zone), text)


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(
    "typed", ["0001-01-01 00:00", "0001-01-02 00:00", "1900-01-01 00:00", "1969-12-31 23:59"]
)
def test_a_date_before_1970_is_refused(typed: str, zone: str) -> None:
    for past_only in (True, False):
        result = moment(typed, past_only=past_only, zone=zone)
        assert result == Invalid("That date is before 1970. Please check the year."), result
    assert moment(typed, locale="zh_Hans", zone=zone) == Invalid("该日期早于1970年,请核对年份。")


@pytest.mark.parametrize("zone", ZONES)
def test_a_date_far_ahead_is_refused(zone: str) -> None:
    for typed in ("9999-12-31 23:59", "2028-01-01 00:00", "2062-11-21 22:15"):
        ahead = moment(typed, past_only=False, zone=zone)
        assert ahead == Invalid("That date is more than a year ahead. Please check the year.")
        future = moment(typed, past_only=True, zone=zone)
        assert future == Invalid("That time is in the future. Please check it.")
    zh = moment("9999-12-31 23:59", past_only=False, locale="zh_Hans", zone=zone)
    assert zh == Invalid("该日期距今超过一年,请核对年份。")


def test_plausible_dates_are_still_taken() -> None:
    assert moment("1970-01-02 08:00") == Answered("1970-01-02T08:00:00+00:00")
    assert moment("2026-11-21 22:15") == Answered("2026-11-21T22:15:00+00:00")
    # A planned call-back within the year ahead, where the step allows the future.
    assert moment("2027-11-01 09:00", past_only=False) == Answered("2027-11-01T09:00:00+00:00")


@pytest.mark.parametrize("zone", ZONES)
def test_a_stored_time_out_of_range_still_formats(zone: str) -> None:
    step = DateTimeStep(id="at", kind="datetime", text=TEXT)
    tr = Catalogs().translator("en", zone)
    for stored in ("0001-01-01T00:00:00+00:00", "9999-12-31T23:59:00+00:00", "garbage", 5):
        assert KINDS["datetime"].format(step, tr, stored)


def number(text: str, locale: str = "en", **limits: Any) -> Any:
    step = NumberStep(id="n", kind="number", text=TEXT, **limits)
    return KINDS["number"].on_text(step, io(locale), text)


@pytest.mark.parametrize(
    "typed",
    ["9" * 400, "1" + "0" * 27, "-" + "9" * 30, "1000000000000001", "9" * 5000 + ".5"],
    ids=["nines400", "1e27", "minus1e30", "1e15plus1", "nines5000"],
)
def test_a_number_beyond_a_quadrillion_is_refused(typed: str) -> None:
    assert number(typed) == Invalid("That number is too large. Please check it.")
    assert number(typed, min=0) == Invalid("That number is too large. Please check it.")
    assert number(typed, locale="zh_Hans") == Invalid("数字过大,请核对。")


def test_a_quadrillion_itself_is_taken_and_formats() -> None:
    result = number("1,000,000,000,000,000")
    assert result == Answered(10**15)
    step = NumberStep(id="n", kind="number", text=TEXT, unit={"zh": "元", "en": "yuan"})
    tr = Catalogs().translator("en", "UTC")
    assert KINDS["number"].format(step, tr, result.value) == "1,000,000,000,000,000 yuan"


@pytest.mark.parametrize(
    "stored",
    [float("inf"), float("-inf"), float("nan"), 10**27, 1e300, 10**5000, "x", None],
    ids=["inf", "-inf", "nan", "1e27", "1e300", "1e5000", "text", "none"],
)
def test_formatting_a_stored_number_never_raises(stored: Any) -> None:
    step = NumberStep(id="n", kind="number", text=TEXT)
    for locale in ("en", "zh_Hans"):
        assert KINDS["number"].format(step, Catalogs().translator(locale, "UTC"), stored)


async def to_amount(world: World) -> Any:
    chat = world.chat()
    await chat.say("/start")
    await chat.press("Report an incident")
    await chat.press("Other")
    await chat.press("All step kinds")
    for label in ("Done", "Red", "Pen", "Done", "No", "Skip"):
        await chat.press(label)
    assert "Amount" in chat.question.text
    return chat


async def test_the_engine_answers_hostile_numbers_and_dates(world: World) -> None:
    chat = await to_amount(world)
    await chat.say("9" * 400)
    assert "That number is too large. Please check it." in chat.text
    assert "Amount" in chat.question.text
    await chat.say("5")
    await chat.press("Done")
    assert "When?" in chat.question.text
    await chat.say("0001-01-01 00:00")
    assert "That date is before 1970. Please check the year." in chat.text
    await chat.say("9999-12-31 23:59")
    assert "That time is in the future. Please check it." in chat.text
    assert "When?" in chat.question.text
    await chat.say("2026-11-22 21:00")
    assert "Photos" in chat.question.text
