"""The callback decoder on arbitrary input: it never raises, accepts only what pack() makes, and
what it accepts packs back to the same bytes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine.callbacks import MAX_BYTES, AckPress, OpenPress, ScreenPress, unpack

FAST = settings(max_examples=400, derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
ALPHABET = st.characters(codec="utf-8")


@FAST
@given(st.text(ALPHABET, max_size=80))
def test_any_text_is_either_a_press_we_made_or_nothing(data: str) -> None:
    press = unpack(data)
    if press is not None:
        assert press.pack() == data
        assert len(data.encode()) <= MAX_BYTES


@FAST
@given(
    st.sampled_from(["c", "a", "o", "z", ""]),
    st.lists(st.one_of(st.integers(-5, 2**64), st.text(ALPHABET, max_size=12)), max_size=4),
)
def test_shaped_like_a_press_is_still_checked(prefix: str, fields: list[object]) -> None:
    data = prefix + ":" + ".".join(str(f) for f in fields)
    press = unpack(data)
    if press is not None:
        assert press.pack() == data


@FAST
@given(st.integers(0, 2**63 - 1), st.integers(0, 2**63 - 1), st.integers(0, 999))
def test_what_pack_makes_unpacks_to_the_same_press(
    conversation: int, nonce: int, index: int
) -> None:
    press = ScreenPress(conversation, nonce, index)
    try:
        data = press.pack()
    except ValueError:  # over 64 bytes: never put on a button
        return
    assert unpack(data) == press


@FAST
@given(st.integers(1, 2**62), st.from_regex(r"[A-Za-z0-9_-]{8}", fullmatch=True))
def test_ack_and_open_tokens_round_trip(delivery: int, secret: str) -> None:
    for cls in (AckPress, OpenPress):
        press = cls(delivery, secret)
        assert unpack(press.pack()) == press


def test_superscripts_and_other_digits_are_not_numbers() -> None:
    for data in ("c:².0.1", "c:1.٣.1", "a:１.abc", "c:1.2.3 ", "c:-1.2.3", "c:1.2.3.4"):
        assert unpack(data) is None, data
