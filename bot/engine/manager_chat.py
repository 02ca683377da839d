"""How managers ask: the commands (/today, /open, /overdue, /case, /find, /stats, /export),
plain phrases in both languages ("open cases today", "今天的案件", "超时的"), and the same in a
managers' group chat, where the bot hears only commands and replies to it (privacy mode).

In a group the answers go to the group, except a case's record and the files made from it,
which go to the asker's own chat (a group may hold people who may not see the case).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from bot.engine import manager_case, manager_lists, manager_stats
from bot.engine.context import Ctx
from bot.engine.incoming import Incoming, Kind
from bot.engine.manager_lists import OPEN, OVERDUE, TODAY

# What people type, folded (NFKC, lower case, no spaces or punctuation at the ends).
PHRASES: dict[str, str] = {
    **dict.fromkeys(
        (
            "open cases today",
            "cases today",
            "today's cases",
            "todays cases",
            "today",
            "今天的案件",
            "今天案件",
            "今日案件",
            "今日未结",
            "今天未结",
            "今天",
            "今日",
        ),
        TODAY,
    ),
    **dict.fromkeys(
        ("open cases", "open", "still open", "未结案件", "未结", "未结的", "未结的案件"), OPEN
    ),
    **dict.fromkeys(
        (
            "overdue",
            "overdue cases",
            "overdue deadlines",
            "late",
            "超时的",
            "超时",
            "超时案件",
            "超时的案件",
            "逾期",
            "逾期的",
        ),
        OVERDUE,
    ),
}
STATS_PHRASES = frozenset(("stats", "statistics", "统计", "本月统计", "月度统计"))
_EDGES = re.compile(r"^[\s\W_]+|[\s\W_]+$")


def fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return " ".join(_EDGES.sub("", folded).split())


def typed(ctx: Ctx, text: str) -> bool:
    """Typed words outside a report that a manager's screen answers; True when handled (a
    guard gets a polite refusal for the managers' phrases)."""
    words = fold(text)
    view = PHRASES.get(words)
    if view is not None:
        manager_lists.show(ctx, view)
        return True
    if words in STATS_PHRASES:
        manager_stats.stats(ctx, "month")
        return True
    if manager_lists.allowed(ctx):
        case = manager_case.by_number(ctx, text)
        if case is not None:
            manager_case.show(ctx, case, text.strip())
            return True
    return False


def _today(ctx: Ctx, args: str) -> None:
    manager_lists.show(ctx, TODAY)


def _open(ctx: Ctx, args: str) -> None:
    manager_lists.show(ctx, OPEN)


def _overdue(ctx: Ctx, args: str) -> None:
    manager_lists.show(ctx, OVERDUE)


def export(ctx: Ctx, args: str) -> None:
    """/export <number> or /export month [YYYY-MM]."""
    head, _, rest = args.strip().partition(" ")
    if fold(head) in ("month", "月", "本月"):
        manager_stats.export(ctx, rest.strip())
    elif head:
        manager_case.export(ctx, head)
    else:
        ctx.say(ctx.tr._("Export what? /export 2612-003 (a case's PDF) or /export month 2026-11"))


COMMANDS: dict[str, Callable[[Ctx, str], None]] = {
    "today": _today,
    "open": _open,
    "overdue": _overdue,
    "case": manager_case.command,
    "find": manager_lists.find,
    "stats": manager_stats.stats,
    "export": export,
}


def accepts(incoming: Incoming) -> bool:
    """Whether a message from a group is one this module answers: a managers' command, or
    text (a reply to the bot: privacy mode lets only those through)."""
    if incoming.private:
        return False
    if incoming.kind is Kind.COMMAND:
        return incoming.command in COMMANDS
    return incoming.kind is Kind.TEXT and bool(incoming.text.strip())


def in_group(ctx: Ctx, incoming: Incoming) -> None:
    """A command or a reply in a group: answered there; the asker's report is left alone."""
    if incoming.kind is Kind.COMMAND:
        COMMANDS[incoming.command](ctx, incoming.args)
    elif not typed(ctx, incoming.text):
        case = manager_case.by_number(ctx, incoming.text)
        if case is not None:
            manager_case.show(ctx, case, incoming.text.strip())
