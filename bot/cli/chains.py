"""``dutybot chains show``: the escalation chains in force per site, and whom they reach now."""

from __future__ import annotations

from typing import Any

from bot.app import open_database
from bot.cli.common import now, role_name, site_for
from bot.config import Settings
from bot.escalation.chains import Chain, ChainStep
from bot.flows.registry import load_registry
from bot.flows.schema import NotifyAction
from bot.i18n import Translator
from bot.rota import service as rota
from bot.sites import service as sites
from bot.sites.models import Site
from bot.staff import service as staff_service
from bot.storage.migrate import ensure_current


async def chains_command(args: Any, settings: Settings, tr: Translator) -> int:
    db = open_database(settings)
    try:
        await ensure_current(db)
        registry, _ = load_registry(settings.flows.extra_dir, strict=False)
        with db.transaction() as session:
            chosen = [site_for(session, args.site, tr)] if args.site else sites.all_sites(session)
            blocks = [_site_block(session, site, settings, registry, tr) for site in chosen]
        print(
            "\n\n".join(blocks)
            if blocks
            else tr._("No site yet: add one with `dutybot site add CODE NAME`.")
        )
    finally:
        await db.dispose()
    return 0


def _site_block(session: Any, site: Site, settings: Settings, registry: Any, tr: Translator) -> str:
    assert site.id is not None
    escalation = settings.escalation
    start, end = escalation.quiet(site.code)
    members = staff_service.active_at_site(session, site.id)
    on_rota = rota.rota_roles(session, site.id, now=now())
    users: dict[str, list[str]] = {}
    for book in registry.all():
        named = {
            a.chain
            for s in book.steps
            for a in s.actions
            if isinstance(a, NotifyAction) and a.chain
        }
        for name in named or {escalation.chain_name(site.code, book.group, None)}:
            users.setdefault(name, []).append(book.id)
    lines = [
        tr._(
            "Site {code} ({name}), time zone {zone}",
            code=site.code,
            name=site.name,
            zone=site.timezone,
        ),
        tr._(
            "Quiet hours {start}–{end}: levels marked “day” wait for the morning unless the alert "
            "is urgent.",
            start=start.strftime("%H:%M"),
            end=end.strftime("%H:%M"),
        ),
    ]
    for name, chain in sorted(escalation.chains_for(site.code).items()):
        lines += ["", tr._("Chain “{name}”", name=name)]
        used = users.get(name)
        lines.append(
            "  " + tr._("Used by: {books}", books=", ".join(sorted(used)) if used else "—")
        )
        lines.append("  " + _level_zero(chain, tr))
        for number, step in enumerate(chain.steps, 1):
            who = _whom(session, site, step, members, on_rota, tr)
            lines.append(f"  {number}. {who} · {_timing(step, tr)}")
        lines.append("  " + tr._("Then: nobody more is pinged and the site's admins are told."))
    return "\n".join(lines)


def _level_zero(chain: Chain, tr: Translator) -> str:
    timing = _timing(ChainStep(wait=chain.wait, repeat=chain.repeat, hours=chain.hours), tr)
    return "0. " + tr._("the roles the procedure names") + f" · {timing}"


def _timing(step: ChainStep, tr: Translator) -> str:
    parts = [tr._("wait {duration}", duration=tr.duration(step.wait))]
    if step.repeat:
        parts.append(tr.n_("pinged again {n} time", "pinged again {n} times", step.repeat))
    if step.hours == "day":
        parts.append(tr._("day only"))
    return tr.join(parts)


def _whom(
    session: Any,
    site: Site,
    step: ChainStep,
    members: list[Any],
    on_rota: set[str],
    tr: Translator,
) -> str:
    parts = []
    for role in step.roles:
        if role in on_rota:
            parts.append(_duty(session, site, role, members, tr))
        else:
            holders = [m.name for m in members if role in m.roles]
            parts.append(
                f"{role_name(role, tr)} ({tr.join(holders) if holders else tr._('nobody')})"
            )
    for role in step.on_duty:
        parts.append(_duty(session, site, role, members, tr))
    names = {m.id: m.name for m in members}
    parts += [
        names.get(person, tr._("staff {id} (not active here)", id=person)) for person in step.people
    ]
    if step.chat is not None:
        parts.append(tr._("group chat {id}", id=step.chat))
    return tr.join(parts) or tr._("nobody")


def _duty(session: Any, site: Site, role: str, members: list[Any], tr: Translator) -> str:
    ids = rota.on_duty(session, site, role, now())
    names = [m.name for m in members if m.id in ids]
    now_on = tr.join(names) if names else tr._("nobody: a hole in the rota")
    return tr._("{role} on duty (now: {names})", role=role_name(role, tr), names=now_on)
