"""What a delivery says, rendered when it is sent (or edited): in the recipient's language, in
the site's time zone, from the facts its row names. Every kind of message is here."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlmodel import Session

from bot.cases import service as cases
from bot.deadlines.messages import RENDERERS as DEADLINE_RENDERERS
from bot.delivery.models import Delivery
from bot.drills.messages import DrillMessages
from bot.engine.callbacks import AckPress, OpenPress
from bot.engine.outgoing import Button, Outgoing
from bot.engine.steps import KINDS
from bot.escalation import service as alerts
from bot.escalation.models import AlertStatus
from bot.flows.registry import Registry
from bot.i18n import Catalogs, Translator
from bot.sites import service as sites
from bot.sites.models import Site
from bot.staff import service as staff_service
from bot.staff.roles import ROLES
from bot.tasks import messages as task_messages

log = logging.getLogger(__name__)
# Other domains' renderers, a module-level ``RENDERERS`` each: (session, row, site, tr, registry).
DOMAIN_RENDERERS: tuple[dict[str, Callable[..., Outgoing | None]], ...] = (DEADLINE_RENDERERS,)


class Renderer:
    def __init__(self, registry: Registry, catalogs: Catalogs) -> None:
        self.registry = registry
        self.catalogs = catalogs
        self._kinds: dict[str, Callable[..., Outgoing | None]] = {
            "alert": self._alert,
            "unreachable": self._unreachable,
            "rota_hole": self._gap,
            "nobody_holds": self._gap,
            "unanswered": self._unanswered,
        }
        for domain in (task_messages.RENDERERS,):
            self._kinds.update({name: partial(make, self) for name, make in domain.items()})
        self._kinds.update(DrillMessages(registry).kinds())
        for renderers in DOMAIN_RENDERERS:
            for name, make in renderers.items():
                self._kinds[name] = partial(make, registry=registry)

    def render(self, session: Session, row: Delivery) -> Outgoing | None:
        """The message for ``row``; None when there is nothing left to say (logged)."""
        site = sites.get(session, row.site_id)
        locale = site.locale
        if row.staff_id is not None:
            member = staff_service.get(session, row.staff_id)
            if member is None:
                return None
            locale = member.locale or site.locale
        tr = self.catalogs.translator(locale, site.timezone)
        make = self._kinds.get(row.message)
        if make is None:
            log.error("delivery %s: no renderer for message %r", row.id, row.message)
            return None
        return make(session, row, site, tr)

    def _alert(
        self, session: Session, row: Delivery, site: Site, tr: Translator
    ) -> Outgoing | None:
        alert = alerts.get(session, int(row.params["alert"]))
        if alert is None or row.id is None:
            return None
        case = cases.get(session, alert.case_id)
        book = self.registry.get(case.playbook_id) if case.playbook_id in self.registry else None
        title = tr.pick(book.title) if book else case.playbook_id
        lines = [tr.pick(alert.message)] if alert.message else []
        facts = []
        for step_id, value in alert.facts:
            step = _step(book, step_id)
            if step is not None:
                shown = KINDS[step.kind].format(step, tr, value)
                facts.append(f"• {tr.pick(step.label or step.text)[:60]}: {shown}")
        if facts:
            lines += ["", *facts]
        reporter = staff_service.get(session, case.reporter_id)
        lines += [
            "",
            tr._(
                "Reported by {name}, {time}.",
                name=reporter.name if reporter else "?",
                time=tr.datetime(alert.raised_at, "short"),
            ),
        ]
        level = int(row.params.get("level", 0))
        if level > 0:
            lines.append(tr._("⬆ Nobody acknowledged in time, so this went up the chain."))
        if int(row.params.get("round", 1)) > 1:
            lines.append(tr._("(reminder: still not acknowledged)"))
        open_button = Button(tr._("📂 Open case"), OpenPress(row.id, row.secret).pack())
        if alert.status == AlertStatus.ACKNOWLEDGED and alert.acknowledged_at is not None:
            by = staff_service.get(session, alert.acknowledged_by or 0)
            lines += [
                "",
                tr._(
                    "✅ Acknowledged by {name} at {time}.",
                    name=by.name if by else "?",
                    time=tr.datetime(alert.acknowledged_at, "short"),
                ),
            ]
            buttons: tuple[tuple[Button, ...], ...] = ((open_button,),)
        else:
            ack = Button(tr._("✅ Acknowledge"), AckPress(row.id, row.secret).pack())
            buttons = ((ack, open_button),)
        return Outgoing(
            text="\n".join(lines),
            title=tr._("🔔 {procedure} · {number}", procedure=title, number=case.number),
            buttons=buttons,
        )

    def _unreachable(
        self, session: Session, row: Delivery, site: Site, tr: Translator
    ) -> Outgoing | None:
        member = staff_service.get(session, int(row.params["staff"]))
        name = member.name if member else "?"
        return Outgoing(
            text=tr._(
                "{name} cannot be reached on Telegram: they blocked the bot or never pressed "
                "Start. Pings to them do not get through; please ask them to open the bot and "
                "press Start.",
                name=name,
            ),
            title=tr._("⚠ Not delivered"),
        )

    def _gap(self, session: Session, row: Delivery, site: Site, tr: Translator) -> Outgoing | None:
        case = cases.get(session, int(row.params["case"]))
        role = tr._(ROLES.get(row.params["role"], row.params["role"]))
        if row.message == "rota_hole":
            text = tr._(
                "Nobody was on duty as {role} when case {number} needed them; its alert went on "
                "up the chain. Please fill the hole in the rota (see /duty).",
                role=role,
                number=case.number,
            )
        else:
            text = tr._(
                "Nobody at {site} holds the role {role}, so an alert of case {number} could not "
                "reach it and went on up the chain.",
                site=site.name,
                role=role,
                number=case.number,
            )
        return Outgoing(text=text, title=tr._("⚠ Escalation gap"))

    def _unanswered(
        self, session: Session, row: Delivery, site: Site, tr: Translator
    ) -> Outgoing | None:
        case = cases.get(session, int(row.params["case"]))
        book = self.registry.get(case.playbook_id) if case.playbook_id in self.registry else None
        return Outgoing(
            text=tr._(
                "Nobody acknowledged the alert of case {number} ({procedure}), even after the "
                "whole escalation chain. Please see to it.",
                number=case.number,
                procedure=tr.pick(book.title) if book else case.playbook_id,
            ),
            title=tr._("⚠ Alert not acknowledged"),
        )


def _step(book: Any, step_id: str) -> Any:
    if book is None:
        return None
    try:
        return book.step(step_id)
    except KeyError:
        return None
