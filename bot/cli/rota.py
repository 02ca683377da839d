"""``dutybot rota add | swap | show | remove``: the duty rota per site and role."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import open_database
from bot.cli.common import UsageError, check_role, now, role_name, site_for
from bot.cli.table import listing
from bot.config import Settings
from bot.i18n import Translator
from bot.rota import schedule
from bot.rota import service as rota
from bot.sites.models import Site
from bot.staff import service as staff_service
from bot.staff.models import Staff
from bot.storage.migrate import ensure_current


async def rota_command(args: Any, settings: Settings, tr: Translator) -> int:
    db = open_database(settings)
    try:
        await ensure_current(db)
        with db.transaction() as session:
            site = site_for(session, args.site, tr)
            if args.rota_command == "add":
                _add(session, site, args, tr)
            elif args.rota_command == "swap":
                _swap(session, site, args, tr)
            elif args.rota_command == "remove":
                removed = (
                    rota.remove_swap(session, site.id, args.id)
                    if args.swap
                    else rota.remove_shift(session, site.id, args.id)
                )
                if not removed:
                    raise UsageError(
                        tr._("No entry {id} in the rota of {site}.", id=args.id, site=site.code)
                    )
                print(tr._("Removed {id} from the rota of {site}.", id=args.id, site=site.code))
            else:
                print(_show(session, site, args.format, tr))
    finally:
        await db.dispose()
    return 0


def _member(session: Any, site: Site, staff_id: int, role: str, tr: Translator) -> Staff:
    member = staff_service.get(session, staff_id)
    if member is None or member.site_id != site.id or not member.active:
        raise UsageError(
            tr._("No active staff member {id} at {site}.", id=staff_id, site=site.code)
        )
    if role not in member.roles:
        raise UsageError(
            tr._(
                "{name} does not hold the role {role}.",
                name=member.name,
                role=role_name(role, tr),
            )
        )
    return member


def _add(session: Any, site: Site, args: Any, tr: Translator) -> None:
    role = check_role(args.role, tr)
    member = _member(session, site, args.staff, role, tr)
    days = schedule.parse_days(args.days)
    if days is None:
        raise UsageError(
            tr._(
                "--days takes days such as mon-fri, sat,sun or daily, not “{value}”.",
                value=args.days,
            )
        )
    start, end = schedule.parse_clock(args.start), schedule.parse_clock(args.end)
    for option, value, parsed in (("--from", args.start, start), ("--to", args.end, end)):
        if parsed is None:
            raise UsageError(
                tr._(
                    "{option} takes a time such as 08:00, not “{value}”.",
                    option=option,
                    value=value,
                )
            )
    assert start is not None and end is not None
    if start % schedule.DAY == end % schedule.DAY and start != 0:
        raise UsageError(tr._("A shift must not end when it starts."))
    rows = rota.add_shifts(
        session,
        site_id=site.id,  # type: ignore[arg-type]
        role=role,
        staff_id=member.id,  # type: ignore[arg-type]
        weekdays=days,
        start=start,
        end=end,
        now=now(),
    )
    print(
        tr._(
            "{name} is on the rota of {site} as {role}, {days}, {start}–{end} ({n} entries).",
            name=member.name,
            site=site.code,
            role=role_name(role, tr),
            days=tr.join(tr.weekday(day) for day in days),
            start=schedule.clock_text(start),
            end=schedule.clock_text(end),
            n=len(rows),
        )
    )


def _moment(text: str, site: Site, option: str, tr: Translator) -> datetime:
    try:
        local = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError as exc:
        raise UsageError(
            tr._(
                "{option} takes a date and time such as 2026-12-03 20:00, not “{value}”.",
                option=option,
                value=text,
            )
        ) from exc
    return local.replace(tzinfo=ZoneInfo(site.timezone)).astimezone(ZoneInfo("UTC"))


def _swap(session: Any, site: Site, args: Any, tr: Translator) -> None:
    role = check_role(args.role, tr)
    member = _member(session, site, args.staff, role, tr)
    starts, ends = _moment(args.start, site, "--from", tr), _moment(args.end, site, "--to", tr)
    if ends <= starts:
        raise UsageError(tr._("--to must come after --from."))
    if ends - starts > timedelta(days=62):
        raise UsageError(tr._("A swap covers at most 62 days; change the weekly rota instead."))
    row = rota.add_swap(
        session,
        site_id=site.id,  # type: ignore[arg-type]
        role=role,
        staff_id=member.id,  # type: ignore[arg-type]
        starts_at=starts,
        ends_at=ends,
        note=args.note,
        now=now(),
    )
    print(
        tr._(
            "Swap {id}: {name} holds the duty of {role} at {site} from {start} to {end}.",
            id=row.id,
            name=member.name,
            role=role_name(role, tr),
            site=site.code,
            start=tr.datetime(starts, "short"),
            end=tr.datetime(ends, "short"),
        )
    )


def _show(session: Any, site: Site, fmt: str, tr: Translator) -> str:
    assert site.id is not None
    moment = now()
    shifts = rota.shifts(session, site.id)
    swaps = rota.swaps(session, site.id, after=moment)
    people = staff_service.by_ids(
        session, [s.staff_id for s in shifts] + [s.staff_id for s in swaps]
    )
    if not shifts and not swaps and fmt == "table":
        return tr._(
            "No duty rota is set for this site. Administrators set it with “dutybot rota add”."
        )
    zone = ZoneInfo(site.timezone)
    keys = ("id", "kind", "role", "staff_id", "name", "day", "start", "end")
    records: list[dict[str, Any]] = [
        {
            "id": s.id,
            "kind": "weekly",
            "role": s.role,
            "staff_id": s.staff_id,
            "name": people[s.staff_id].name if s.staff_id in people else "?",
            "day": schedule.WEEKDAYS[s.weekday],
            "start": schedule.clock_text(s.start),
            "end": schedule.clock_text(s.end),
        }
        for s in shifts
    ] + [
        {
            "id": s.id,
            "kind": "swap",
            "role": s.role,
            "staff_id": s.staff_id,
            "name": people[s.staff_id].name if s.staff_id in people else "?",
            "day": s.starts_at.astimezone(zone).strftime("%Y-%m-%d"),
            "start": s.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            "end": s.ends_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        }
        for s in swaps
    ]
    headers = [tr._("Id"), tr._("Role"), tr._("Name"), tr._("When"), tr._("From"), tr._("To")]
    cells = [
        [
            str(r["id"]) + ("" if r["kind"] == "weekly" else " " + tr._("(swap)")),
            role_name(r["role"], tr),
            r["name"],
            tr.weekday(schedule.WEEKDAYS.index(r["day"])) if r["kind"] == "weekly" else r["day"],
            r["start"],
            r["end"],
        ]
        for r in records
    ]
    text = listing(fmt, keys, records, headers, cells)
    if fmt != "table":
        return text
    lines = [text, ""]
    for role in sorted({r["role"] for r in records}):
        role_shifts = [s for s in shifts if s.role == role]
        role_swaps = [s for s in swaps if s.role == role]
        on = schedule.on_duty(role_shifts, role_swaps, moment, site.timezone)
        names = tr.join(people[i].name for i in on if i in people) or tr._("nobody")
        lines.append(tr._("{role} on duty now: {names}", role=role_name(role, tr), names=names))
        for start, end in schedule.holes(
            role_shifts, role_swaps, moment, moment + timedelta(days=7), site.timezone
        ):
            lines.append(
                "  "
                + tr._(
                    "⚠ Nobody on duty from {start} to {end}",
                    start=tr.datetime(start, "short"),
                    end=tr.datetime(end, "short"),
                )
            )
    return "\n".join(lines)
