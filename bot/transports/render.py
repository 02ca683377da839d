"""Outgoing → Telegram: HTML-escaped text under a bold title, inline keyboards, split to limits."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from bot.engine.outgoing import Outgoing

MAX_TEXT = 4096  # characters after entity parsing, counted in UTF-16 code units
MAX_CALLBACK_BYTES = 64
MAX_TITLE = 256

Rows = tuple[tuple[tuple[str, str], ...], ...]  # rows of (label, callback data)


@dataclass(frozen=True)
class Piece:
    """One Telegram message: its HTML text and inline keyboard."""

    html: str
    rows: Rows = ()


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _fits(text: str, limit: int) -> int:
    """The length of the longest prefix of ``text`` within ``limit`` UTF-16 units."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` UTF-16 units, cut after a line, else a space, else anywhere."""
    pieces: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        end = _fits(rest, limit)
        cut = rest.rfind("\n", 0, end) + 1 or rest.rfind(" ", 0, end) + 1
        if cut < end // 2:
            cut = end
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n")
    pieces.append(rest)
    return [piece for piece in pieces if piece.strip()]


def keyboard(message: Outgoing) -> Rows:
    rows = tuple(
        tuple((button.label, button.token) for button in row) for row in message.buttons if row
    )
    for row in rows:
        for _label, token in row:
            if not 0 < len(token.encode()) <= MAX_CALLBACK_BYTES:
                raise ValueError(f"callback data must be 1-64 bytes: {token!r}")
    return rows


def pieces(message: Outgoing) -> list[Piece]:
    """The messages that carry ``message``; the title opens the first, buttons close the last."""
    title = (message.title or "")[:MAX_TITLE]
    head = f"<b>{escape(title, quote=False)}</b>" if title else ""
    budget = MAX_TEXT - (utf16_len(title) + 2 if title else 0)
    texts = split_text(message.text, budget) or [""]
    htmls = [escape(text, quote=False) for text in texts]
    if head:
        htmls[0] = f"{head}\n\n{htmls[0]}" if htmls[0] else head
    rows = keyboard(message)
    result = [Piece(html) for html in htmls if html]
    if not result:
        return []
    result[-1] = Piece(result[-1].html, rows)
    return result
