"""Property tests: whatever a person types or shares, a step kind answers without raising, and
whatever it accepts reads back through its ``format``."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine.incoming import Place
from bot.engine.steps import KINDS
from bot.engine.steps.base import Answered, Invalid, Result, Stay, StepIO
from bot.engine.steps.checklist import ChecklistStep
from bot.engine.steps.choice import ChoiceStep
from bot.engine.steps.datetime_kind import EARLIEST, FUTURE_LIMIT, DateTimeStep
from bot.engine.steps.instruction import InstructionStep
from bot.engine.steps.location import LocationStep
from bot.engine.steps.number import NumberStep
from bot.engine.steps.people import PeopleStep
from bot.engine.steps.photos import PhotosStep
from bot.engine.steps.text import TextStep
from bot.engine.steps.yesno import YesNoStep
from bot.flows.parts import NUMBER_LIMIT, Option
from bot.i18n import Catalogs, Translator

# Modest and repeatable: the whole file runs in a few seconds, the same examples every run.
FAST = settings(max_examples=120, derandomize=True, database=None, deadline=None)

TEXT = {"zh": "问", "en": "Question"}
OPTIONS = [Option(id="lost", zh="遗失", en="Lost"), Option(id="stolen", zh="被盗", en="Stolen")]
UNIT = {"zh": "元", "en": "yuan"}
STEPS: dict[str, list[Any]] = {
    "instruction": [InstructionStep(id="s", kind="instruction", text=TEXT)],
    "choice": [ChoiceStep(id="s", kind="choice", text=TEXT, options=OPTIONS)],
    "yesno": [YesNoStep(id="s", kind="yesno", text=TEXT)],
    "checklist": [ChecklistStep(id="s", kind="checklist", text=TEXT, options=OPTIONS)],
    "text": [
        TextStep(id="s", kind="text", text=TEXT, max_length=20),
        TextStep(id="s", kind="text", text=TEXT),
    ],
    "number": [
        NumberStep(id="s", kind="number", text=TEXT),  # no bounds at all
        NumberStep(id="s", kind="number", text=TEXT, min=0, max=1000, integer=True, unit=UNIT),
        NumberStep(id="s", kind="number", text=TEXT, min=-5.5, unit=UNIT),
    ],
    "datetime": [
        DateTimeStep(id="s", kind="datetime", text=TEXT),
        DateTimeStep(id="s", kind="datetime", text=TEXT, past_only=False),
    ],
    "photos": [PhotosStep(id="s", kind="photos", text=TEXT)],
    "location": [
        LocationStep(id="s", kind="location", text=TEXT),
        LocationStep(id="s", kind="location", text=TEXT, allow_text=False),
    ],
    "people": [PeopleStep(id="s", kind="people", text=TEXT, min=1, max=2)],
}
# Zones far east and far west of Greenwich, where year 1 and year 9999 overflow.
ZONES = ["Asia/Shanghai", "UTC", "Pacific/Kiritimati", "Etc/GMT+12", "America/St_Johns"]
CATALOGS = Catalogs()

translators = st.builds(
    CATALOGS.translator, st.sampled_from(["en", "zh_Hans"]), st.sampled_from(ZONES)
)
nows = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
anything = st.text(max_size=80) | st.text(st.characters(codec="utf-8"), max_size=4096)


@st.composite
def numbers(draw: st.DrawFn) -> str:
    """ "5000", "-5,000.25 元", "9" held down for 400 digits, "１０"..."""
    digits = draw(st.text("0123456789", min_size=1, max_size=20)) + "0" * draw(st.integers(0, 450))
    if draw(st.booleans()):
        digits = f"{int(digits):,}" if len(digits) < 4000 else digits
    if draw(st.booleans()):
        digits += "." + draw(st.text("0123456789", min_size=1, max_size=30))
    text = (
        draw(st.sampled_from(["", "-", "+"])) + digits + draw(st.sampled_from(["", "元", " yuan"]))
    )
    return (
        text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        if draw(st.booleans())
        else text
    )


@st.composite
def moments(draw: st.DrawFn) -> str:
    """ "22:15", "11-21 22:15", "0001-01-01 00:00", "2026年11月21日22点15分"..."""
    hour, minute = draw(st.integers(0, 25)), draw(st.integers(0, 61))
    time = draw(st.sampled_from(["{h}:{m:02d}", "{h}点{m}分", "{h}时", "{h} : {m}"]))
    text = time.format(h=hour, m=minute)
    if draw(st.booleans()):
        month, day = draw(st.integers(0, 13)), draw(st.integers(0, 32))
        date = f"{month}{draw(st.sampled_from('-/.月'))}{day}"
        if draw(st.booleans()):
            date = f"{draw(st.integers(0, 9999)):04d}{draw(st.sampled_from('-/.年'))}{date}"
        text = f"{date} {text}"
    return text


@st.composite
def coordinates(draw: st.DrawFn) -> str:
    def one() -> str:
        whole = draw(st.integers(-999, 999))
        fraction = draw(st.text("0123456789", max_size=15))
        return f"{whole}.{fraction}" if fraction else str(whole)

    return f"{one()}{draw(st.sampled_from([',', '，', ' ', ' , ']))}{one()}"


TYPED = {
    "instruction": st.sampled_from(["ok", "收到", "done", "no"]),
    "choice": st.sampled_from(["1", "2", "3", "lost", "被盗", "LOST", "Ｌｏｓｔ"]),
    "yesno": st.sampled_from(["yes", "Y", "否", "不需要", "maybe"]),
    "checklist": st.sampled_from(["1", "lost"]),
    "text": st.text(max_size=30),
    "number": numbers(),
    "datetime": moments() | st.sampled_from(["now", "现在"]),
    "photos": st.just(""),
    "location": coordinates(),
    "people": st.text(max_size=120),
}
assert set(STEPS) == set(KINDS) == set(TYPED), "every step kind has a property test"


def plausible(kind: str, value: Any, now: datetime) -> bool:
    """What each kind promises about an answer it accepts, beyond reading back."""
    if kind == "number":
        return math.isfinite(value) and abs(value) <= NUMBER_LIMIT
    if kind == "datetime":
        return EARLIEST <= datetime.fromisoformat(value) <= now + FUTURE_LIMIT
    if kind == "location" and "lat" in value:
        return -90 <= value["lat"] <= 90 and -180 <= value["lon"] <= 180
    return True


def reads_back(kind: str, step: Any, io: StepIO, result: Result | None) -> None:
    if result is None:
        return  # an action the kind does not know
    assert isinstance(result, Answered | Stay | Invalid), result
    if isinstance(result, Invalid):
        assert isinstance(result.message, str) and result.message
    if isinstance(result, Answered):
        assert plausible(kind, result.value, io.now), result.value
        assert isinstance(KINDS[kind].format(step, io.tr, result.value), str)


def io_for(kind: str, step: Any, tr: Translator, now: datetime) -> StepIO:
    return StepIO(tr=tr, now=now, draft=KINDS[kind].start(step, None))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_typed_text_never_raises_and_an_answer_reads_back(kind: str) -> None:
    @FAST
    @given(st.sampled_from(STEPS[kind]), translators, nows, TYPED[kind] | anything)
    def check(step: Any, tr: Translator, now: datetime, text: str) -> None:
        io = io_for(kind, step, tr, now)
        reads_back(kind, step, io, KINDS[kind].on_text(step, io, text))

    check()


coordinate = st.floats() | st.floats(-200, 200)
places = st.builds(
    Place, coordinate, coordinate, st.none() | st.text(max_size=80), st.none() | st.text()
)


@FAST
@given(st.sampled_from(sorted(KINDS)), translators, nows, places)
def test_a_shared_place_never_raises_and_an_answer_reads_back(
    kind: str, tr: Translator, now: datetime, place: Place
) -> None:
    for step in STEPS[kind]:
        io = io_for(kind, step, tr, now)
        reads_back(kind, step, io, KINDS[kind].on_place(step, io, place))


actions = st.text(max_size=40) | st.sampled_from(
    ["done", "ack", "now", "yes", "no", "opt:lost", "opt:", "toggle:stolen", "add", "field_skip"]
)


@FAST
@given(st.sampled_from(sorted(KINDS)), translators, nows, actions)
def test_a_pressed_action_never_raises(
    kind: str, tr: Translator, now: datetime, action: str
) -> None:
    for step in STEPS[kind]:
        io = io_for(kind, step, tr, now)
        reads_back(kind, step, io, KINDS[kind].on_action(step, io, action))


@FAST
@given(translators, nows, st.lists(TYPED["people"] | anything, min_size=1, max_size=8))
def test_people_typed_field_by_field_read_back(
    tr: Translator, now: datetime, texts: list[str]
) -> None:
    step = STEPS["people"][0]
    kind = KINDS["people"]
    io = io_for("people", step, tr, now)
    for text in texts:
        if io.draft.get("field") is None:
            kind.on_action(step, io, "add")
        result = kind.on_text(step, io, text)
        reads_back("people", step, io, result)
        if isinstance(result, Answered):
            break
    assert isinstance(kind.format(step, tr, io.draft["people"]), str)
    assert all(isinstance(line, str) for line in kind.body(step, io))
