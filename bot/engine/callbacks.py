"""Callback data: typed, short (≤ 64 bytes), and never trusted.

Each kind of press has a class with a one-letter prefix and typed fields, packed as
``prefix:field.field``: ``c:12.40.3`` is button 3 of screen 40 of conversation 12; ``a:88.Xk3_9a``
acknowledges delivery 88 if its secret matches. :func:`unpack` accepts only what :func:`pack`
can produce (ASCII digits for numbers, URL-safe letters for secrets), so anything forged or
garbled is simply not a press we know. Whatever a token says, the handler re-checks who may do
it. The model is aiogram's ``CallbackData`` factories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import ClassVar, TypeVar

MAX_BYTES = 64
_NUMBER = re.compile(r"[0-9]{1,19}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,16}")
MAX_NUMBER = 2**63 - 1


@dataclass(frozen=True)
class CallbackData:
    prefix: ClassVar[str]

    def pack(self) -> str:
        packed = f"{self.prefix}:" + ".".join(str(getattr(self, f.name)) for f in fields(self))
        if len(packed.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {packed!r}")
        return packed


@dataclass(frozen=True)
class ScreenPress(CallbackData):
    """A button of the question a person is looking at: bound to their own conversation."""

    prefix: ClassVar[str] = "c"
    conversation: int
    nonce: int
    index: int


@dataclass(frozen=True)
class AckPress(CallbackData):
    """ "Acknowledge" under a ping: bound to one delivery, valid only with its secret."""

    prefix: ClassVar[str] = "a"
    delivery: int
    secret: str


@dataclass(frozen=True)
class OpenPress(CallbackData):
    """ "Open case" under a ping or a list: bound to one delivery, valid only with its secret."""

    prefix: ClassVar[str] = "o"
    delivery: int
    secret: str


@dataclass(frozen=True)
class TaskPress(CallbackData):
    """ "Start" (op 1) or "Hand to …" (op 2) under a task's message: bound to one delivery,
    valid only with its secret."""

    prefix: ClassVar[str] = "t"
    delivery: int
    secret: str
    op: int

    START: ClassVar[int] = 1
    HAND: ClassVar[int] = 2


@dataclass(frozen=True)
class ListPress(CallbackData):
    """A page of a manager's list (``view``: t today, o open, v overdue); re-checked."""

    prefix: ClassVar[str] = "l"
    view: str
    page: int


@dataclass(frozen=True)
class CasePress(CallbackData):
    """A button under a case's record: add a note (op 1), close it (op 2), reopen it (op 3).
    It names a case and nothing else: who may do it is checked when it is pressed."""

    prefix: ClassVar[str] = "k"
    case: int
    op: int

    NOTE: ClassVar[int] = 1
    CLOSE: ClassVar[int] = 2
    REOPEN: ClassVar[int] = 3


@dataclass(frozen=True)
class DrillPress(CallbackData):
    """A drill button under a message about a drill ("I'll attend", "I can't", "Rectified"):
    bound to one delivery, valid only with its secret (bot/engine/drill_presses.py)."""

    prefix: ClassVar[str] = "d"
    delivery: int
    secret: str
    choice: int


@dataclass(frozen=True)
class RecordPress(CallbackData):
    """A case of a manager's list (``act``: r its record, p its PDF); access re-checked."""

    prefix: ClassVar[str] = "r"
    case: int
    act: str


KINDS: dict[str, type[CallbackData]] = {
    cls.prefix: cls for cls in (ScreenPress, AckPress, OpenPress, TaskPress, CasePress, DrillPress)
}
KINDS.update({cls.prefix: cls for cls in (ListPress, RecordPress)})

T = TypeVar("T", bound=CallbackData)


def unpack(data: str) -> CallbackData | None:
    """The press ``data`` describes, or None for anything malformed, unknown or oversized."""
    if not data or len(data.encode("utf-8", "replace")) > MAX_BYTES or not data.isascii():
        return None
    prefix, sep, rest = data.partition(":")
    cls = KINDS.get(prefix)
    if cls is None or not sep:
        return None
    parts = rest.split(".")
    spec = fields(cls)
    if len(parts) != len(spec):
        return None
    values: list[object] = []
    for part, field in zip(parts, spec, strict=True):
        if field.type in (int, "int"):
            if not _NUMBER.fullmatch(part) or int(part) > MAX_NUMBER:
                return None
            values.append(int(part))
        elif _SECRET.fullmatch(part):
            values.append(part)
        else:
            return None
    return cls(*values)
