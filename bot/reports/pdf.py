"""A case's report and a drill record as A4 PDFs, in the reader's language.

The case report: its header (number, procedure, site, status, reporter, times), every answer by
section, the photos, the places, the timeline, the deadlines and whether each was met, the
alerts and who acknowledged them, and the signature lines of the form the case fills. The drill
record follows the layout of the source drill records (演练记录): a header grid of time, place,
drill item and participants, then purpose, assumed accident, organisation, preparation, the
time-stamped process with its photos, evaluation, shortcomings and their rectification,
conclusion, signatures. The CJK font is embedded (subset); pages are numbered; a footer line
can carry the head of the case's tamper-evident timeline chain.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from bot.i18n import Translator
from bot.reports import wording
from bot.reports.layout import BLANK, PHOTO_HEIGHT, Column, ReportPDF
from bot.reports.models import CaseRecord, DrillRecord, DrillStep, Photo, Text
from bot.reports.photos import load

ZH_NUMBERS = "一二三四五六七八九十"


def case_pdf(
    case: CaseRecord,
    tr: Translator,
    *,
    chain_head: str | None = None,
    generated_at: datetime | None = None,
) -> bytes:
    """The case report. ``chain_head`` (a hash) is printed in every page's footer."""
    tr = wording.in_zone(tr, case.timezone)
    procedure = wording.pick(tr, case.procedure)
    pdf = _document(
        tr,
        title=tr._("Case {number}: {procedure}", number=case.number, procedure=procedure),
        running=tr._("Case {number} · {procedure}", number=case.number, procedure=procedure),
        site=wording.pick(tr, case.site_name),
        chain_head=chain_head,
        generated_at=generated_at,
    )
    pdf.title_block(tr._("Case report {number}", number=case.number), procedure)
    pdf.fields(_case_header(case, tr))
    for section in case.sections:
        pdf.heading(wording.pick(tr, section.title))
        pdf.fields([(wording.pick(tr, a.label), wording.pick(tr, a.value)) for a in section.lines])
    if case.photos:
        pdf.heading(tr._("Photos"), keep=PHOTO_HEIGHT + 12)
        _photos(pdf, tr, case.photos)
    if case.places:
        pdf.heading(tr._("Places"))
        pdf.ruled_table(
            [Column(tr._("Place"), 0.5), Column(tr._("Latitude, longitude"), 0.5)],
            [
                (wording.pick(tr, place.title) or "—", f"{place.lat:.6f}, {place.lon:.6f}")
                for place in case.places
            ],
        )
    if case.timeline:
        pdf.heading(tr._("Timeline"))
        pdf.ruled_table(
            [Column(tr._("Time"), 0.24), Column(tr._("Who"), 0.2), Column(tr._("What"), 0.56)],
            [(wording.stamp(tr, e.at), e.who, wording.pick(tr, e.what)) for e in case.timeline],
        )
    if case.deadlines:
        pdf.heading(tr._("Deadlines"))
        pdf.ruled_table(
            [
                Column(tr._("Deadline"), 0.34),
                Column(tr._("Due"), 0.22),
                Column(tr._("Met at"), 0.22),
                Column(tr._("Result"), 0.22),
            ],
            [
                (
                    wording.pick(tr, d.title),
                    wording.stamp(tr, d.due),
                    wording.stamp(tr, d.met_at) if d.met_at else "—",
                    wording.outcome(tr, d.outcome),
                )
                for d in case.deadlines
            ],
        )
    if case.alerts:
        pdf.heading(tr._("Alerts"))
        pdf.ruled_table(
            [
                Column(tr._("Who was alerted"), 0.3),
                Column(tr._("Raised"), 0.22),
                Column(tr._("State"), 0.2),
                Column(tr._("Acknowledged"), 0.28),
            ],
            [
                (
                    "\n".join(
                        filter(None, (wording.roles(tr, a.roles), wording.pick(tr, a.message)))
                    ),
                    wording.stamp(tr, a.raised_at),
                    wording.alert_state(tr, a.state),
                    _acknowledged(tr, a.acknowledged_by, a.acknowledged_at),
                )
                for a in case.alerts
            ],
        )
    pdf.sign_offs(_signatures(tr, case.sign_offs))
    return pdf.output_bytes()


def drill_pdf(
    drill: DrillRecord,
    tr: Translator,
    *,
    chain_head: str | None = None,
    generated_at: datetime | None = None,
) -> bytes:
    """The drill record (演练记录)."""
    tr = wording.in_zone(tr, drill.timezone)
    item = wording.pick(tr, drill.item)
    organisation = wording.pick(tr, drill.organisation_name)
    pdf = _document(
        tr,
        title=tr._("Drill record: {item}", item=item),
        running=tr._("Drill record · {item}", item=item),
        site=wording.pick(tr, drill.site_name),
        chain_head=chain_head,
        generated_at=generated_at,
    )
    pdf.title_block(tr._("Emergency drill record"), organisation, item)
    elapsed = drill.elapsed
    pdf.grid(
        [
            [
                (tr._("Time"), 0.16, True),
                (_span(tr, drill.started_at, drill.ended_at), 0.34, False),
                (tr._("Place"), 0.16, True),
                (wording.pick(tr, drill.place), 0.34, False),
            ],
            [
                (tr._("Drill item"), 0.16, True),
                (item, 0.34, False),
                (tr._("Duration"), 0.16, True),
                (tr.duration(elapsed) if elapsed is not None else "", 0.34, False),
            ],
            [
                (tr._("Participants"), 0.16, True),
                (wording.pick(tr, drill.participants), 0.84, False),
            ],
        ]
    )
    number = _numbering(tr)
    pdf.heading(number(tr._("Purpose of the drill")))
    pdf.paragraph(wording.pick(tr, drill.purpose) or "—")
    pdf.heading(number(tr._("Assumed accident")))
    pdf.paragraph(wording.pick(tr, drill.scenario) or "—")
    pdf.heading(number(tr._("Organisation and duties")))
    if drill.organisation:
        pdf.ruled_table(
            [Column(tr._("Post"), 0.22), Column(tr._("Who"), 0.3), Column(tr._("Duties"), 0.48)],
            [
                (wording.pick(tr, r.role), r.people, wording.pick(tr, r.duties))
                for r in drill.organisation
            ],
        )
    else:
        pdf.paragraph("—")
    pdf.heading(number(tr._("Preparation")))
    pdf.paragraph(wording.pick(tr, drill.preparation) or "—")
    pdf.heading(number(tr._("Drill process")))
    _process(pdf, tr, drill)
    pdf.heading(number(tr._("Evaluation")))
    pdf.paragraph(wording.pick(tr, drill.evaluation) or "—")
    pdf.heading(number(tr._("Shortcomings and rectification")))
    if drill.shortcomings:
        pdf.ruled_table(
            [
                Column(tr._("Shortcoming"), 0.3),
                Column(tr._("Rectification"), 0.3),
                Column(tr._("Owner"), 0.13),
                Column(tr._("Deadline"), 0.135),
                Column(tr._("Done"), 0.135),
            ],
            [
                (
                    wording.pick(tr, s.text),
                    wording.pick(tr, s.rectification),
                    s.owner,
                    wording.short_day(tr, s.deadline) if s.deadline else "",
                    wording.short_day(tr, s.done_on) if s.done_on else "",
                )
                for s in drill.shortcomings
            ],
        )
    else:
        pdf.paragraph(tr._("None recorded."))
    pdf.heading(number(tr._("Conclusion")))
    pdf.paragraph(wording.pick(tr, drill.conclusion) or "—")
    pdf.sign_offs(_signatures(tr, drill.sign_offs))
    pdf.closing(organisation, wording.day(tr, drill.started_at.astimezone(tr.tz).date()))
    return pdf.output_bytes()


def _document(
    tr: Translator,
    *,
    title: str,
    running: str,
    site: str,
    chain_head: str | None,
    generated_at: datetime | None,
) -> ReportPDF:
    footer = site
    if generated_at is not None:
        footer = f"{site} · " + tr._("generated {time}", time=wording.stamp(tr, generated_at))
    pdf = ReportPDF(
        running_title=running, footer_left=footer, page_label=tr._("Page {page} of {pages}")
    )
    if chain_head:
        pdf.footer_notes.append(tr._("Timeline chain head: {hash}", hash=chain_head))
    pdf.set_title(title)
    pdf.set_lang("zh-CN" if tr.chinese else "en")
    pdf.set_creator("dutybot")
    if generated_at is not None:
        pdf.set_creation_date(generated_at)
    pdf.add_page()
    return pdf


def _case_header(case: CaseRecord, tr: Translator) -> list[tuple[str, str]]:
    pairs = [
        (tr._("Case number"), case.number),
        (tr._("Procedure"), wording.pick(tr, case.procedure)),
        (tr._("Site"), wording.pick(tr, case.site_name)),
        (tr._("Status"), wording.status(tr, case.status)),
        (tr._("Reported by"), case.reporter),
        (tr._("Opened"), wording.when(tr, case.opened_at)),
        (tr._("Closed"), wording.when(tr, case.closed_at) if case.closed_at else "—"),
    ]
    if case.closed_at is not None:
        pairs.append((tr._("Time to close"), tr.duration(case.closed_at - case.opened_at)))
    if case.level:
        pairs.append((tr._("Complaint level"), wording.level(tr, case.level)))
    if case.category:
        pairs.append((tr._("Complaint category"), wording.pick(tr, case.category)))
    return pairs


def _photos(
    pdf: ReportPDF, tr: Translator, photos: Sequence[Photo], when: Sequence[str] = ()
) -> None:
    """Photos with their number, caption, sha256 and (drill steps) the time of their step."""
    pictures = [load(photo.path) for photo in photos]
    captions = []
    for index, photo in enumerate(photos, start=1):
        time = when[index - 1] if index <= len(when) else ""
        parts = (tr._("Photo {n}", n=index), time, wording.pick(tr, photo.caption))
        captions.append(" · ".join(p for p in parts if p) + f"\nsha256 {photo.sha256[:16]}…")
    pdf.photos(pictures, captions, tr._("The photo file could not be read."))


def _process(pdf: ReportPDF, tr: Translator, drill: DrillRecord) -> None:
    if not drill.steps:
        pdf.paragraph("—")
        return
    rows = [
        (_step_time(tr, drill, step), wording.pick(tr, step.text), step.actor)
        for step in drill.steps
    ]
    pdf.ruled_table(
        [Column(tr._("Time"), 0.22), Column(tr._("What happened"), 0.58), Column(tr._("Who"), 0.2)],
        rows,
    )
    photos = [(tr.time(step.at), photo) for step in drill.steps for photo in step.photos]
    if photos:
        pdf.ln(2)
        _photos(pdf, tr, [photo for _time, photo in photos], [time for time, _p in photos])


def _step_time(tr: Translator, drill: DrillRecord, step: DrillStep) -> str:
    """The step's time of day and how long after the start: "14:52 (+2分钟)"."""
    start = drill.started_at.astimezone(tr.tz)
    at = step.at.astimezone(tr.tz)
    shown = tr.time(step.at) if at.date() == start.date() else wording.stamp(tr, step.at)
    if step.at <= drill.started_at:
        return shown
    return tr.aside(shown, f"+{tr.duration(step.at - drill.started_at)}")


def _span(tr: Translator, start: datetime, end: datetime | None) -> str:
    if end is None:
        return wording.when(tr, start)
    same_day = start.astimezone(tr.tz).date() == end.astimezone(tr.tz).date()
    until = tr.time(end) if same_day else wording.when(tr, end)
    return tr._("{start} to {end}", start=wording.when(tr, start), end=until)


def _acknowledged(tr: Translator, who: str | None, when: datetime | None) -> str:
    if who is None:
        return "—"
    if when is None:
        return who
    return f"{who}\n{wording.stamp(tr, when)}"


def _signatures(tr: Translator, signers: Sequence[Text]) -> list[str]:
    return [
        tr._("{who} signature: {blank}    Date: {blank}", who=wording.pick(tr, signer), blank=BLANK)
        for signer in signers
    ]


def _numbering(tr: Translator) -> Callable[[str], str]:
    """Numbered headings as the source records write them: "一、演练目的", "1. Purpose"."""
    count = 0

    def number(text: str) -> str:
        nonlocal count
        count += 1
        if tr.chinese:
            mark = ZH_NUMBERS[count - 1] if count <= len(ZH_NUMBERS) else str(count)
            return f"{mark}、{text}"
        return f"{count}. {text}"

    return number
