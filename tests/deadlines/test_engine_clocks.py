"""A playbook's deadline action with a default clock timed from an answered time, through the
chat: the clock waits for the answer, runs from the time answered (not from when it was typed),
and the step that fulfils it meets it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.deadlines import service as deadlines
from bot.deadlines.models import DeadlineStatus
from bot.flows.parts import DeadlineSpec
from tests.deadlines.support import SH, at
from tests.support import World


async def test_a_clock_runs_from_the_received_time_the_guard_answers(world: World) -> None:
    # 22:30 in Shanghai (the world's start); the complaint came in at 21:15.
    chat = world.chat(language="en")
    await chat.say("/start")
    await chat.say("test reply")
    await chat.press("Test reply clock")
    with world.db.transaction() as session:
        (pending,) = deadlines.of_case(session, 1)
    assert (pending.status, pending.clock, pending.due_at) == (
        DeadlineStatus.PENDING,
        "b4_enquiry_reply",
        None,
    )
    world.clock.advance(timedelta(minutes=3))
    await chat.say("21:15")
    with world.db.transaction() as session:
        (running,) = deadlines.of_case(session, 1)
    assert running.status == DeadlineStatus.OPEN
    assert running.started_at == at(SH, 2026, 11, 22, 21, 15)
    assert running.due_at == at(SH, 2026, 11, 23, 21, 15)  # 24 hours from the answered time
    assert running.owner_role == "complaint_officer"
    world.clock.advance(timedelta(minutes=2))
    await chat.press("Yes")
    with world.db.transaction() as session:
        (met,) = deadlines.of_case(session, 1)
    assert (met.status, met.met_by, met.met_at) == (
        DeadlineStatus.MET,
        "replied",
        world.clock.now(),
    )


def test_a_deadline_names_a_default_clock_or_a_span() -> None:
    spec = DeadlineSpec.model_validate(
        {
            "key": "x",
            "clock": "b3_callback",
            "from": "received_at",
            "title": {"zh": "回访", "en": "Call"},
        }
    )
    assert (spec.clock, spec.start, spec.after) == ("b3_callback", "received_at", None)
    for wrong in ({"clock": "no_such_clock"}, {"clock": "c4_duty_24h"}, {}):
        with pytest.raises(ValueError, match="clock"):
            DeadlineSpec.model_validate({"key": "x", "title": {"zh": "甲", "en": "a"}, **wrong})
