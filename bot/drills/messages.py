"""The outbox messages about drills, rendered at send time in the recipient's language and the
site's time zone (see bot/delivery/messages.py, which looks them up here by message name)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from html import escape

from sqlmodel import Session

from bot.delivery.models import Delivery
from bot.drills import records, scenarios
from bot.drills import service as drills
from bot.drills.models import Drill, DrillStatus, Rsvp
from bot.engine.callbacks import DrillPress
from bot.engine.outgoing import Button, Outgoing
from bot.flows.registry import Registry
from bot.i18n import N_, Translator
from bot.reports import wording
from bot.sites.models import Site
from bot.staff import service as staff_service

Render = Callable[[Session, Delivery, Site, Translator], Outgoing | None]
# DrillPress choices.
ATTEND, DECLINE, RECTIFIED = 1, 2, 3
RSVP_MESSAGES = drills.RSVP_MESSAGES


STATUS = {
    DrillStatus.PLANNED: N_("planned"),
    DrillStatus.RUNNING: N_("running"),
    DrillStatus.DONE: N_("done"),
    DrillStatus.CANCELLED: N_("cancelled"),
}


def status_name(tr: Translator, drill: Drill) -> str:
    return tr._(STATUS.get(DrillStatus(drill.status), drill.status))


def when(tr: Translator, drill: Drill) -> str:
    """The drill's time in the site's zone, with the weekday: "Tue 12/8/26, 3:00 PM"."""
    local = drill.starts_at.astimezone(tr.tz)
    return f"{tr.weekday(local.weekday())} {tr.datetime(drill.starts_at, 'short')}"


def _name(session: Session, staff_id: int | None) -> str:
    member = staff_service.get(session, staff_id) if staff_id is not None else None
    return escape(member.name) if member is not None else "—"


class DrillMessages:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def kinds(self) -> dict[str, Render]:
        return {
            "drill_invite": self._invite,
            "drill_reminder": self._invite,
            "drill_moved": self._invite,
            "drill_cancelled": self._cancelled,
            "drill_late": self._late,
            "drill_due": self._due,
            "drill_fix": self._fix,
        }

    def _scenario(self, tr: Translator, drill: Drill) -> str:
        return scenarios.name(drill.scenario, tr, self.registry)

    def _invite(
        self, session: Session, row: Delivery, site: Site, tr: Translator
    ) -> Outgoing | None:
        drill = drills.get(session, int(row.params["drill"]))
        if drill is None or row.id is None or row.staff_id is None:
            return None
        scenario = self._scenario(tr, drill)
        if row.message == "drill_reminder":
            left = tr.duration(timedelta(seconds=int(row.params.get("before", 0))))
            title = tr._("⏰ DRILL in {left}: {scenario}", left=left, scenario=scenario)
        elif row.message == "drill_moved":
            title = tr._("📅 DRILL moved: {scenario}", scenario=scenario)
        else:
            title = tr._("🧯 DRILL planned: {scenario}", scenario=scenario)
        lines = [
            tr._("When: {when}", when=when(tr, drill)),
            tr._("Place: {place}", place=escape(drill.place) or "—"),
            tr._("Commander: {name}", name=_name(session, drill.commander_id)),
            tr._("Coordinator: {name}", name=_name(session, drill.coordinator_id)),
        ]
        if drill.purpose:
            lines.append(tr._("Purpose: {purpose}", purpose=escape(drill.purpose)))
        if row.message == "drill_moved":
            lines += ["", tr._("The time changed; please answer again.")]
        lines.append("")
        if drill.status != DrillStatus.PLANNED:
            lines.append(tr._("This drill is no longer planned."))
            return Outgoing(text="\n".join(lines), title=title)
        answer = drills.responses(session, drill.id or 0).get(row.staff_id)
        if answer is not None and answer.answer == Rsvp.ATTEND:
            lines.append(tr._("Your answer: ✅ I'll attend."))
        elif answer is not None and answer.answer == Rsvp.DECLINE:
            lines.append(tr._("Your answer: ❌ I can't."))
        else:
            lines.append(tr._("Will you attend?"))
        buttons = (
            (
                Button(tr._("✅ I'll attend"), DrillPress(row.id, row.secret, ATTEND).pack()),
                Button(tr._("❌ I can't"), DrillPress(row.id, row.secret, DECLINE).pack()),
            ),
        )
        return Outgoing(text="\n".join(lines), title=title, buttons=buttons)

    def _cancelled(
        self, session: Session, row: Delivery, site: Site, tr: Translator
    ) -> Outgoing | None:
        drill = drills.get(session, int(row.params["drill"]))
        if drill is None:
            return None
        text = tr._(
            "The {scenario} drill of {when} at {place} is called off.",
            scenario=self._scenario(tr, drill),
            when=when(tr, drill),
            place=escape(drill.place) or "—",
        )
        if row.params.get("series"):
            text += "\n" + tr._("So are the later drills of its series.")
        return Outgoing(text=text, title=tr._("✗ DRILL cancelled"))

    def _late(self, session: Session, row: Delivery, site: Site, tr: Translator) -> Outgoing | None:
        drill = drills.get(session, int(row.params["drill"]))
        if drill is None or drill.status != DrillStatus.PLANNED:
            return None  # started or cancelled meanwhile: nothing to say
        return Outgoing(
            text=tr._(
                "The {scenario} drill planned for {when} has not been started. Start it, move "
                "it or call it off with /drills.",
                scenario=self._scenario(tr, drill),
                when=when(tr, drill),
            ),
            title=tr._("⚠ DRILL not started"),
        )

    def _due(self, session: Session, row: Delivery, site: Site, tr: Translator) -> Outgoing | None:
        key = str(row.params["scenario"])
        months = int(row.params["months"])
        last = drills.get(session, int(row.params["last"])) if row.params.get("last") else None
        name = scenarios.name(key, tr, self.registry)
        lines = [
            tr._(
                "{site} requires a {scenario} drill at least every {months} months.",
                site=escape(site.name),
                scenario=name,
                months=months,
            )
        ]
        if last is not None:
            lines.append(tr._("The last one was on {when}.", when=when(tr, last)))
        else:
            lines.append(tr._("None has been recorded."))
        assert site.id is not None
        upcoming = drills.next_planned(session, site.id, key, row.created_at)
        if upcoming is not None:
            lines.append(tr._("The next one is planned for {when}.", when=when(tr, upcoming)))
        else:
            lines.append(tr._("Plan one with /drill."))
        return Outgoing(
            text="\n".join(lines), title=tr._("⚠ DRILL overdue: {scenario}", scenario=name)
        )

    def _fix(self, session: Session, row: Delivery, site: Site, tr: Translator) -> Outgoing | None:
        fix = records.shortcoming(session, int(row.params["fix"]))
        drill = drills.get(session, int(row.params["drill"]))
        if fix is None or drill is None or row.id is None:
            return None
        lines = [
            escape(fix.text),
            "",
            tr._(
                "Found in the {scenario} drill of {when}.",
                scenario=self._scenario(tr, drill),
                when=when(tr, drill),
            ),
            tr._("Deadline: {day}", day=wording.day(tr, fix.due_on)),
        ]
        if fix.done_at is not None:
            lines.append(
                tr._(
                    "✅ Confirmed done by {name}, {time}.",
                    name=_name(session, fix.done_by),
                    time=tr.datetime(fix.done_at, "short"),
                )
            )
            return Outgoing(text="\n".join(lines), title=tr._("🛠 DRILL rectification"))
        if row.params.get("reminder"):
            lines.append(tr._("(reminder: not confirmed yet)"))
        lines.append(tr._("When it is done, press the button and send a photo of it."))
        button = Button(
            tr._("✅ Rectified: send a photo"), DrillPress(row.id, row.secret, RECTIFIED).pack()
        )
        return Outgoing(
            text="\n".join(lines), title=tr._("🛠 DRILL rectification"), buttons=((button,),)
        )
