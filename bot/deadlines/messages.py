"""What the clocks' messages say, rendered at send time in the reader's language and the site's
time zone: reminders, breaches, level rises, night rounds, the complaint box, the morning
digest, the monthly statistics; and the timeline lines of the clocks' events.

``RENDERERS`` maps a delivery's ``message`` to its renderer; ``bot/delivery/messages.py`` merges
it. A renderer takes (session, delivery, site, translator, registry).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.cases import service as cases
from bot.cases.models import Case
from bot.deadlines import service as deadlines
from bot.deadlines.levels import RULES, Level
from bot.deadlines.specs import Kind
from bot.delivery.models import Delivery
from bot.engine.callbacks import OpenPress
from bot.engine.outgoing import Button, Outgoing
from bot.flows.registry import Registry
from bot.i18n import Translator
from bot.sites.models import Site

Render = Callable[[Session, Delivery, Site, Translator, Registry], Outgoing | None]
_RULES = {rule.id: rule for rule in RULES}
_DIGEST_LINES = 10


def _procedure(case: Case, tr: Translator, registry: Registry) -> str:
    return tr.pick(registry.get(case.playbook_id).title) if case.playbook_id in registry else ""


def _open(row: Delivery, tr: Translator) -> tuple[tuple[Button, ...], ...]:
    assert row.id is not None
    return ((Button(tr._("📂 Open case"), OpenPress(row.id, row.secret).pack()),),)


def _when(tr: Translator, value: datetime | str | None) -> str:
    if value is None:
        return "—"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return tr.datetime(moment, "short")


def reminder(
    session: Session, row: Delivery, site: Site, tr: Translator, registry: Registry
) -> Outgoing | None:
    deadline = deadlines.get(session, int(row.params["deadline"]))
    if deadline.status not in ("open", "paused"):
        return None  # met or stopped before the reminder went out
    case = cases.get(session, deadline.case_id)
    title = tr.pick(deadline.title) or deadline.key
    if deadline.kind == Kind.EARLIEST:
        text = tr._(
            "It is time: “{title}” (from {time}).", title=title, time=_when(tr, deadline.due_at)
        )
    else:
        text = tr._("“{title}” is due by {time}.", title=title, time=_when(tr, deadline.due_at))
    return Outgoing(
        text=text,
        title=tr._(
            "⏰ Reminder · {number} {procedure}",
            number=case.number,
            procedure=_procedure(case, tr, registry),
        ),
        buttons=_open(row, tr),
    )


def breached(
    session: Session, row: Delivery, site: Site, tr: Translator, registry: Registry
) -> Outgoing | None:
    deadline = deadlines.get(session, int(row.params["deadline"]))
    if deadline.status == "met" or deadline.status == "stopped":
        return None
    case = cases.get(session, deadline.case_id)
    return Outgoing(
        text=tr._(
            "“{title}” was due by {time} and is not done. The site's escalation chain is told.",
            title=tr.pick(deadline.title) or deadline.key,
            time=_when(tr, deadline.due_at),
        ),
        title=tr._(
            "⚠ Overdue · {number} {procedure}",
            number=case.number,
            procedure=_procedure(case, tr, registry),
        ),
        buttons=_open(row, tr),
    )


def rose(
    session: Session, row: Delivery, site: Site, tr: Translator, registry: Registry
) -> Outgoing | None:
    case = cases.get(session, int(row.params["case"]))
    level = Level.from_key(str(row.params["to"]))
    rule = _RULES.get(str(row.params["rule"]))
    reason = tr.pick({"zh": rule.seed, "en": rule.en}) if rule else str(row.params["rule"])
    return Outgoing(
        text=tr._(
            "Case {number} is now a {level} complaint: {rule}.",
            number=case.number,
            level=tr.pick(level.title),
            rule=reason,
        ),
        title=tr._("⬆ Complaint level raised"),
        buttons=_open(row, tr),
    )


def night_round(
    session: Session, row: Delivery, site: Site, tr: Translator, registry: Registry
) -> Outgoing | None:
    return Outgoing(
        text=tr._(
            "Night round of {time}: walk your posts and report it with “Night post check”.",
            time=tr.time(datetime.fromisoformat(row.params["at"])),
        ),
        title=tr._("🌙 Night round"),
    )


def round_missed(
    session: Session, row: Delivery, site: Site, tr: Translator, registry: Registry
) -> Outgoing | None:
    return Outgoing(
        text=tr._(
            "No night round was reported for {time} at {site}. Please check with the guard on "
            "duty.",
            time=tr.time(datetime.fromisoformat(row.params["at"])),
            site=site.name,
        ),
        title=tr._("⚠ Night round missed"),
    )


def complaint_box(
    session: Session, row: Delivery, site: Site, tr: Translator, registry: Registry
) -> Outgoing | None:
    return Outgoing(
        text=tr._(
            "Time to open the complaint box at {site}: record each note found as a complaint.",
            site=site.name,
        ),
        title=tr._("📮 Complaint box"),
    )


def statistics(
    session: Session, row: Delivery, site: Site, tr: Translator, registry: Registry
) -> Outgoing | None:
    return Outgoing(
        text=tr._(
            "Please compile the complaint statistics of {month} for {site} (the monthly summary).",
            month=str(row.params.get("month", "")),
            site=site.name,
        ),
        title=tr._("📊 Monthly statistics"),
    )


def digest(
    session: Session, row: Delivery, site: Site, tr: Translator, registry: Registry
) -> Outgoing | None:
    params: dict[str, Any] = row.params

    def deadline_lines(items: list[dict[str, Any]]) -> list[str]:
        lines = [
            f"• {item['number']} · {tr.pick(item['title'])} · {_when(tr, item['due'])}"
            for item in items[:_DIGEST_LINES]
        ]
        if len(items) > _DIGEST_LINES:
            lines.append(tr._("… and {n} more", n=len(items) - _DIGEST_LINES))
        return lines

    lines: list[str] = []
    sections = (
        (tr._("Due today:"), deadline_lines(params.get("due_today", []))),
        (tr._("Overdue:"), deadline_lines(params.get("overdue", []))),
        (
            tr._("Came in overnight:"),
            [
                f"• {item['number']} · {_playbook(item['playbook'], tr, registry)}"
                for item in params.get("overnight", [])[:_DIGEST_LINES]
            ],
        ),
    )
    for heading, items in sections:
        lines += [heading, *(items or [tr._("• nothing")]), ""]
    return Outgoing(
        text="\n".join(lines).strip(),
        title=tr._("☀ Morning digest · {site}", site=site.name),
    )


def _playbook(playbook_id: str, tr: Translator, registry: Registry) -> str:
    return tr.pick(registry.get(playbook_id).title) if playbook_id in registry else playbook_id


RENDERERS: dict[str, Render] = {
    "deadline_reminder": reminder,
    "deadline_breached": breached,
    "case_rose": rose,
    "night_round": night_round,
    "round_missed": round_missed,
    "complaint_box": complaint_box,
    "morning_digest": digest,
    "monthly_statistics": statistics,
}


def event_text(tr: Translator, kind: str, data: dict[str, Any]) -> str | None:
    """A timeline line for a clock's event (None: not one of them). The case view calls it
    for kinds it does not know."""
    title = tr.pick(data.get("title") or {}) or str(data.get("key", ""))
    if kind == "classification_rose":
        rule = _RULES.get(str(data.get("rule")))
        return tr._(
            "the level rose to {level} by the rule “{rule}”",
            level=tr.pick(Level.from_key(str(data.get("to"))).title),
            rule=tr.pick({"zh": rule.seed, "en": rule.en}) if rule else str(data.get("rule")),
        )
    texts = {
        "deadline_started": lambda: tr._(
            "the clock “{title}” runs from {time}", title=title, time=_when(tr, data.get("start"))
        ),
        "deadline_too_early": lambda: tr._(
            "too early for “{title}”: it does not count", title=title
        ),
        "deadline_paused": lambda: tr._("paused the clock “{title}”", title=title),
        "deadline_resumed": lambda: tr._("resumed the clock “{title}”", title=title),
        "deadline_extended": lambda: tr._(
            "extended “{title}” to {time}", title=title, time=_when(tr, data.get("due"))
        ),
        "deadline_assigned": lambda: tr._("took over the clocks of the case"),
        "deadlines_stopped": lambda: tr._("the case's open clocks stopped"),
        "deadline_reminded": lambda: tr._("reminded of “{title}”", title=title),
        "deadline_breached": lambda: tr._("“{title}” is overdue", title=title),
    }
    make = texts.get(kind)
    return make() if make is not None else None
