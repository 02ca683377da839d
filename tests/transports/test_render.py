"""Outgoing → Telegram messages: escaping, the bold title, keyboards, Telegram's limits."""

from __future__ import annotations

import pytest

from bot.engine.outgoing import Button, Outgoing
from bot.transports.render import MAX_TEXT, pieces, split_text, utf16_len
from tests.fakes.bot_api_html import parse_html


def test_text_and_title_are_escaped_and_the_title_is_bold() -> None:
    (piece,) = pieces(Outgoing(text='a < b & "c" > d', title="Case <1> & co"))
    assert piece.html == '<b>Case &lt;1&gt; &amp; co</b>\n\na &lt; b &amp; "c" &gt; d'
    parsed = parse_html(piece.html)
    assert parsed.text == 'Case <1> & co\n\na < b & "c" > d'


def test_buttons_carry_the_engine_tokens_on_the_last_piece() -> None:
    message = Outgoing(
        text="x\n" * 3000,
        buttons=((Button("Yes", "7.0"), Button("No", "7.1")), (Button("✗ Cancel", "7.2"),)),
    )
    parts = pieces(message)
    assert len(parts) == 2 and parts[0].rows == ()
    assert parts[1].rows == ((("Yes", "7.0"), ("No", "7.1")), (("✗ Cancel", "7.2"),))


def test_callback_data_over_64_bytes_is_a_bug() -> None:
    with pytest.raises(ValueError, match="1-64 bytes"):
        pieces(Outgoing(text="x", buttons=((Button("x", "好" * 22),),)))


@pytest.mark.parametrize("unit", ["line\n", "word ", "汉", "😀"])
def test_long_text_is_split_within_the_limit(unit: str) -> None:
    text = unit * 9000
    parts = pieces(Outgoing(text=text, title="Review"))
    assert len(parts) >= 2
    for part in parts:
        plain = parse_html(part.html).text
        assert 0 < utf16_len(plain) <= MAX_TEXT
    joined = "".join(parse_html(p.html).text for p in parts)
    assert joined.replace("\n", "").replace(" ", "").startswith("Review")
    assert joined.count(unit.strip()) == 9000


def test_splitting_prefers_line_ends() -> None:
    lines = [f"line {n:04d}" for n in range(1000)]
    parts = split_text("\n".join(lines), 100)
    assert all(part.splitlines()[-1].startswith("line ") for part in parts)
    assert "\n".join(parts).splitlines() == lines
