"""Running a drill on the day: start, a time-stamped timeline (typed lines, photos), attendance
against the participant list, equipment checked, the evaluation, shortcomings (each a
rectification task with an owner and a deadline, the next day by default), the conclusion; then
the record. Also a rectification confirmed with a photo."""

from __future__ import annotations

from datetime import timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from bot.drills import records, scenarios
from bot.drills import service as drills
from bot.drills.models import Drill, DrillStatus
from bot.engine import drill_state, drill_view, report
from bot.engine.context import Ctx
from bot.engine.incoming import PhotoIn
from bot.engine.screen import Screen
from bot.staff import service as staff_service
from bot.storage.media import sniff_image_mime

# What a typed message is taken as, when the run asks for it.
FIELDS = ("equipment", "evaluation", "conclusion", "fix")
DEADLINES = (1, 3, 7)  # days; the first (the next day) is the default


def start(ctx: Ctx, drill: Drill) -> None:
    if drill.status == DrillStatus.PLANNED:
        records.start(ctx.session, drill, now=ctx.now)
        records.add_entry(
            ctx.session, drill, text=ctx.tr._("Drill started."), actor_id=ctx.staff_id, now=ctx.now
        )
    show(ctx, drill)


def show(ctx: Ctx, drill: Drill, *, ask: str | None = None) -> None:
    tr = ctx.tr
    assert drill.id is not None
    drill_state.put(ctx, mode="run", id=drill.id, ask=ask)
    name = scenarios.name(drill.scenario, tr, ctx.registry)
    screen = Screen(text="", title=tr._("🧯 DRILL running · {name}", name=name))
    if ask in FIELDS:
        prompts = {
            "equipment": tr._("Which equipment was checked, and in what state?"),
            "evaluation": tr._("The commander's evaluation (总结评价)?"),
            "conclusion": tr._("The conclusion (结论)? The drill ends with it."),
            "fix": tr._("What shortcoming was found (存在的不足)?"),
        }
        screen.text = prompts[ask]
        screen.expects = "text"
        screen.row((tr._("← Back"), f"drl:run:{drill.id}"))
        ctx.show(screen)
        return
    entries = records.entries(ctx.session, drill.id)
    lines = [tr._("Type what happens: each message is a time-stamped line. Photos are welcome.")]
    for entry in entries[-8:]:
        photo = " 📷" * len(entry.photos)
        lines.append(f"{tr.time(entry.at)} {escape(entry.text)}{photo}")
    fixes = records.shortcomings(ctx.session, drill.id)
    if fixes:
        lines.append(tr._("Shortcomings: {n}", n=len(fixes)))
    screen.text = "\n".join(lines)
    screen.expects = "photo"
    screen.row(
        (tr._("👥 Attendance"), f"drl:att:{drill.id}"),
        (tr._("🧰 Equipment"), "drl:ask:equipment"),
    )
    screen.row(
        (tr._("📝 Evaluation"), "drl:ask:evaluation"),
        (tr._("⚠ Shortcoming"), "drl:ask:fix"),
    )
    book_id = drill.playbook_id
    if book_id and book_id in ctx.registry and drill.case_id is None:
        screen.row((tr._("🎭 Rehearse the procedure's steps"), f"drl:case:{drill.id}"))
    screen.row((tr._("🏁 Conclude"), "drl:ask:conclusion"))
    screen.row((tr._("← Drills"), "drl:list"))
    ctx.show(screen)


def attendance(ctx: Ctx, drill: Drill) -> None:
    tr = ctx.tr
    assert drill.id is not None
    drill_state.put(ctx, mode="run", id=drill.id, ask=None)
    answers = drills.responses(ctx.session, drill.id)
    screen = Screen(
        text=tr._("Tap everyone present. The list is the drill's participants."),
        title=tr._("👥 Attendance"),
    )
    for member in drills.participants(ctx.session, drill):
        row = answers.get(member.id or 0)
        mark = "✓ " if row is not None and row.present else ""
        screen.row((f"{mark}{member.name}", f"drl:here:{member.id}"))
    screen.row((tr._("✓ Done"), f"drl:run:{drill.id}"))
    ctx.show(screen, replace=True)


def toggle(ctx: Ctx, drill: Drill, staff_id: int) -> None:
    ids = {m.id for m in drills.participants(ctx.session, drill)}
    if staff_id in ids:
        records.toggle_present(ctx.session, drill, staff_id, now=ctx.now)
    attendance(ctx, drill)


def on_text(ctx: Ctx, drill: Drill, text: str) -> None:
    tr = ctx.tr
    st = drill_state.state(ctx)
    ask, text = st.get("ask"), text.strip()[:2000]
    if not text:
        show(ctx, drill, ask=ask)
    elif ask in ("equipment", "evaluation"):
        records.update_fields(ctx.session, drill, now=ctx.now, **{ask: text})
        ctx.say(tr._("Noted."))
        show(ctx, drill)
    elif ask == "conclusion":
        conclude(ctx, drill, text)
    elif ask == "fix":
        drill_state.put(ctx, ask="owner", fix=text)
        owners(ctx, drill)
    else:
        records.add_entry(ctx.session, drill, text=text, actor_id=ctx.staff_id, now=ctx.now)
        show(ctx, drill)


def on_photos(ctx: Ctx, drill: Drill, photos: tuple[PhotoIn, ...]) -> None:
    stored = [p for p in (store(ctx, photo) for photo in photos) if p is not None]
    if stored:
        records.add_entry(
            ctx.session, drill, text="", actor_id=ctx.staff_id, now=ctx.now, photos=stored
        )
    show(ctx, drill)


def store(ctx: Ctx, photo: PhotoIn) -> dict[str, Any] | None:
    """A photo in the media store; None (and the person told) when it cannot be used."""
    tr = ctx.tr
    if photo.size > ctx.max_file_bytes or sniff_image_mime(photo.data) is None:
        ctx.say(
            tr._("That file is not a photo I can use. Please send a JPEG, PNG, WEBP or HEIC image.")
        )
        return None
    stored = ctx.media.put_sync(photo.data)
    return {"sha256": stored.sha256, "file_id": photo.telegram_file_id}


def owners(ctx: Ctx, drill: Drill) -> None:
    tr = ctx.tr
    screen = Screen(text=tr._("Who rectifies it?"), title=tr._("⚠ Shortcoming"))
    for member in staff_service.active_at_site(ctx.session, ctx.site.id or 0)[:30]:
        screen.row((member.name, f"drl:own:{member.id}"))
    screen.row((tr._("← Back"), f"drl:run:{drill.id}"))
    ctx.show(screen)


def deadline(ctx: Ctx, drill: Drill, owner_id: int) -> None:
    tr = ctx.tr
    drill_state.put(ctx, ask="due", owner=owner_id)
    screen = Screen(text=tr._("By when?"), title=tr._("⚠ Shortcoming"))
    screen.row((tr._("Tomorrow"), "drl:due:1"))
    screen.row(*[(tr._("In {n} days", n=n), f"drl:due:{n}") for n in DEADLINES[1:]])
    screen.row((tr._("← Back"), f"drl:run:{drill.id}"))
    ctx.show(screen)


def add_fix(ctx: Ctx, drill: Drill, days: int) -> None:
    st = drill_state.state(ctx)
    text, owner = st.get("fix"), st.get("owner")
    member = staff_service.get(ctx.session, int(owner or 0))
    if not text or member is None or member.site_id != drill.site_id:
        show(ctx, drill)
        return
    today = ctx.now.astimezone(ZoneInfo(ctx.site.timezone)).date()
    due = today + timedelta(days=days if days in DEADLINES else 1)
    records.add_shortcoming(
        ctx.session, drill, text=text, owner_id=member.id or 0, due_on=due, now=ctx.now
    )
    ctx.outbox = True
    ctx.say(
        ctx.tr._("Shortcoming recorded; {name} is asked to rectify it.", name=escape(member.name))
    )
    drill_state.put(ctx, fix=None, owner=None)
    show(ctx, drill)


def conclude(ctx: Ctx, drill: Drill, text: str) -> None:
    records.update_fields(ctx.session, drill, now=ctx.now, conclusion=text)
    records.add_entry(
        ctx.session, drill, text=ctx.tr._("Drill ended."), actor_id=ctx.staff_id, now=ctx.now
    )
    records.finish(ctx.session, drill, now=ctx.now)
    ctx.say(ctx.tr._("The drill is recorded. Here is its record:"))
    drill_view.record_pdf(ctx, drill)
    drill_view.open_drill(ctx, drill)


def rehearse(ctx: Ctx, drill: Drill) -> None:
    """Go through the procedure's own steps as a drill case: never counted, nobody real pinged."""
    book_id = drill.playbook_id
    if not book_id or book_id not in ctx.registry or drill.case_id is not None:
        show(ctx, drill)
        return
    ctx.say(
        ctx.tr._(
            "🎭 DRILL: this report rehearses the procedure. It is marked as a drill: nobody "
            "real is pinged and it never counts in the statistics."
        )
    )
    drill_state.leave(ctx)
    report.start(ctx, ctx.registry.get(book_id), drill=True)
    assert ctx.case is not None
    records.update_fields(ctx.session, drill, now=ctx.now, case_id=ctx.case.id)


# --- a rectification confirmed with a photo -------------------------------------------------


def ask_fix_photo(ctx: Ctx, fix_id: int) -> None:
    tr = ctx.tr
    fix = records.shortcoming(ctx.session, fix_id)
    if fix is None:
        return
    drill_state.put(ctx, mode="fix", fix=fix_id, ask="photo")
    screen = Screen(
        text=tr._("Send a photo showing “{text}” rectified.", text=escape(fix.text)),
        title=tr._("🛠 DRILL rectification"),
        expects="photo",
    )
    screen.row((tr._("← Menu"), "menu:home"))
    ctx.show(screen)


def on_fix_photo(ctx: Ctx, photos: tuple[PhotoIn, ...]) -> None:
    tr = ctx.tr
    fix = records.shortcoming(ctx.session, int(drill_state.state(ctx).get("fix") or 0))
    if fix is None or fix.owner_id != ctx.staff_id:
        drill_state.leave(ctx)
        return
    stored = store(ctx, photos[0]) if photos else None
    if stored is None:
        ask_fix_photo(ctx, fix.id or 0)
        return
    if fix.done_at is None:
        records.confirm_fix(ctx.session, fix, by=ctx.staff_id, photo=stored, now=ctx.now)
        ctx.outbox = True
    drill_state.leave(ctx)
    ctx.say(tr._("Thank you: the rectification is confirmed."))
