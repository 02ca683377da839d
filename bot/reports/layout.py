"""An A4 page layout over fpdf2 for the reports: headings, label/value fields, paragraphs,
tables whose rows wrap and break across pages, photo grids, signature lines.

fpdf2 rather than reportlab: it is small and pure Python (fontTools, Pillow), subsets a
TrueType collection face (``collection_font_number``) with a proper ``ToUnicode`` map, takes a
fallback font per character, passes JPEG photos through without decoding them, and writes
``{nb}`` page totals; the layout here needs nothing more. Every text goes through
:func:`bot.reports.fonts.drawable`, and no row can be taller than a page: such a row is written
as label/value paragraphs that break across pages, so no text is ever cut.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, WrapMode, XPos, YPos
from fpdf.util import Padding

from bot.reports.fonts import cjk_font_path, drawable, fallback_font_path
from bot.reports.photos import Picture

FONT, FALLBACK = "cjk", "fallback"
BODY, SMALL, HEADING, TITLE = 10.0, 8.0, 13.0, 18.0
LINE = 5.5  # mm per body line
GREY, DARK, RULE, SHADE = (110, 110, 110), (20, 20, 20), (190, 190, 190), (236, 240, 245)
MARGIN = 15.0
PHOTO_HEIGHT = 70.0  # mm, the tallest a photo is drawn
PHOTO_GAP = 6.0
CAPTION = 3.8  # mm per caption line
CELL_PAD = 1.5  # mm around a table cell's text
# What may not begin a line in Chinese (行首禁则): it hangs at the end of the line before.
CLOSING = frozenset("。，、；：？！）》」』】〕〉”’…%)]}.,;:!?")
BLANK = "_" * 16


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # a share of the page's text width; the shares of a table add up to 1


class ReportPDF(FPDF):
    """One report: running header from page 2, footer with page numbers and optional notes."""

    def __init__(self, *, running_title: str, footer_left: str, page_label: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 8)
        self.add_font(FONT, "", str(cjk_font_path()), collection_font_number=0)
        self.add_font(FALLBACK, "", str(fallback_font_path()))
        self.set_fallback_fonts([FALLBACK], exact_match=False)
        self.running_title = drawable(running_title)
        self.footer_left = drawable(footer_left)
        self.page_label = page_label  # "Page {page} of {pages}" already translated, {nb} alias
        self.footer_notes: list[str] = []
        self.set_font(FONT, size=BODY)
        self.set_text_color(*DARK)

    # fpdf2 hooks -----------------------------------------------------------------------

    def header(self) -> None:
        if self.page_no() == 1:
            return
        with self._style(SMALL, GREY):
            self.cell(0, 4, self.running_title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def footer(self) -> None:
        self.set_y(-(MARGIN + 4))
        with self._style(SMALL, GREY):
            self.set_draw_color(*RULE)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(1)
            page = self.page_label.format(page=self.page_no(), pages="{nb}")
            self.cell(self.epw * 0.7, 4, self.footer_left)
            self.cell(self.epw * 0.3, 4, page, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            for note in self.footer_notes:
                self.cell(0, 3.5, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    # blocks --------------------------------------------------------------------------

    def title_block(self, title: str, *subtitles: str) -> None:
        with self._style(TITLE, DARK), self._bold():
            self._flow(self.epw, title, line=9, align="C")
        with self._style(BODY + 1, GREY):
            for subtitle in subtitles:
                if subtitle:
                    self._flow(self.epw, subtitle, line=6, align="C")
        self.ln(3)

    def heading(self, text: str, *, keep: float = 5 * LINE) -> None:
        """A shaded section heading, never alone at the foot of a page: ``keep`` is the room
        the first thing under it needs."""
        self._keep(10 + keep)
        self.ln(2)
        with self._style(HEADING, DARK), self._bold():
            self.set_fill_color(*SHADE)
            self._flow(self.epw, text, line=8, pad=2, fill=True)
        self.ln(1.5)

    def paragraph(self, text: str) -> None:
        self._flow(self.epw, text)

    def fields(self, pairs: Sequence[tuple[str, str]], *, label_share: float = 0.28) -> None:
        """Label/value lines: the label in grey on the left, the value wrapping beside it."""
        for label, value in pairs:
            self._field(label, value or "—", label_share)

    def ruled_table(self, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
        """A ruled table; its heading row repeats on each page the table reaches."""
        widths = [column.width * self.epw for column in columns]
        titles = [column.title for column in columns]
        self._keep(3 * LINE + 4)
        self._table_head(titles, widths)
        for row in rows:
            cells = [value or "—" for value in row]
            height = self._row_height(cells, widths)
            if height > self._body_height() - 2 * LINE:
                self._stacked(titles, cells)
                continue
            if self.get_y() + height > self.page_break_trigger:
                self.add_page()
                self._table_head(titles, widths)
            self._row(cells, widths, height)

    def grid(self, rows: Sequence[Sequence[tuple[str, float, bool]]]) -> None:
        """A boxed form grid (the drill record's header): each row's cells are (text, share of
        the width, whether a label); label cells are shaded."""
        for row in rows:
            cells = [text or "—" for text, _share, _label in row]
            widths = [share * self.epw for _text, share, _label in row]
            shaded = [label for _text, _share, label in row]
            height = self._row_height(cells, widths)
            if height > self._body_height() - 2 * LINE:
                self._stacked(
                    [c for c, label in zip(cells, shaded, strict=True) if label],
                    [c for c, label in zip(cells, shaded, strict=True) if not label],
                )
                continue
            if self.get_y() + height > self.page_break_trigger:
                self.add_page()
            self._row(cells, widths, height, shaded=shaded, boxed=True)

    def photos(self, pictures: Sequence[Picture], captions: Sequence[str], unreadable: str) -> None:
        """Photos two to a row, scaled to fit, each with its caption under it."""
        width = (self.epw - PHOTO_GAP) / 2
        pairs = list(zip(pictures, captions, strict=True))
        for start in range(0, len(pairs), 2):
            row = pairs[start : start + 2]
            sizes = [_fit(picture, width) for picture, _caption in row]
            with self._style(SMALL, GREY):
                caption_height = max(
                    self._height(caption, width, line=CAPTION) for _p, caption in row
                )
            needed = max(h for _w, h in sizes) + caption_height + PHOTO_GAP
            self._keep(needed)
            top = self.get_y()
            for index, ((picture, caption), (w, h)) in enumerate(zip(row, sizes, strict=True)):
                x = self.l_margin + index * (width + PHOTO_GAP)
                self._picture(picture, x, top, w, h, unreadable)
                with self._style(SMALL, GREY):
                    self.set_xy(x, top + h + 1)
                    self._flow(width, caption, line=CAPTION)
            self.set_y(top + needed)

    def sign_offs(self, lines: Sequence[str]) -> None:
        """Signature lines, kept together on one page."""
        if not lines:
            return
        self._keep(len(lines) * 12 + 6)
        self.ln(6)
        for line in lines:
            self.paragraph(line)
            self.ln(6)

    def closing(self, *lines: str) -> None:
        """Right-aligned lines (the signing unit and the date under a form)."""
        self._keep(len(lines) * LINE + 6)
        self.ln(4)
        for line in lines:
            if line:
                self._flow(self.epw, line, align="R")

    def output_bytes(self) -> bytes:
        return bytes(self.output())

    # internals -----------------------------------------------------------------------

    def _field(self, label: str, value: str, share: float) -> None:
        label_width = self.epw * share
        value_width = self.epw - label_width
        with self._style(BODY, GREY):
            label_height = self._height(label, label_width)
        if label_height > 4 * LINE:  # a whole question as the label: stack it
            with self._style(BODY, GREY):
                self._flow(self.epw, label)
            self._flow(self.epw, value)
            self.ln(1)
            return
        self._keep(label_height)
        top, page = self.get_y(), self.page_no()
        with self._style(BODY, GREY):
            self._flow(label_width, label)
        label_bottom = self.get_y()
        self.set_xy(self.l_margin + label_width, top)
        self._flow(value_width, value)
        if self.page_no() == page:
            self.set_y(max(label_bottom, self.get_y()))
        self.ln(1)

    def _table_head(self, titles: Sequence[str], widths: Sequence[float]) -> None:
        with self._style(SMALL + 0.5, GREY):
            height = self._row_height(titles, widths)
            self._row(titles, widths, height, shaded=[True] * len(titles))

    def _row(
        self,
        cells: Sequence[str],
        widths: Sequence[float],
        height: float,
        *,
        shaded: Sequence[bool] = (),
        boxed: bool = False,
    ) -> None:
        top = self.get_y()
        x = self.l_margin
        self.set_draw_color(*RULE)
        self.set_fill_color(*SHADE)
        for index, (text, width) in enumerate(zip(cells, widths, strict=True)):
            if index < len(shaded) and shaded[index]:
                self.rect(x, top, width, height, style="F")
            if boxed:
                self.rect(x, top, width, height)
            self.set_xy(x, top + CELL_PAD)
            self._flow(width, text, pad=CELL_PAD)
            x += width
        if not boxed:
            self.line(self.l_margin, top + height, self.l_margin + sum(widths), top + height)
        self.set_xy(self.l_margin, top + height)

    def _stacked(self, titles: Sequence[str], cells: Sequence[str]) -> None:
        """A row too tall for a page, written as label/value paragraphs instead."""
        for index, cell in enumerate(cells):
            if index < len(titles):
                with self._style(SMALL + 0.5, GREY):
                    self._flow(self.epw, titles[index])
            self._flow(self.epw, cell)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(2)

    def _row_height(self, cells: Sequence[str], widths: Sequence[float]) -> float:
        heights = [
            self._height(text, width, pad=CELL_PAD)
            for text, width in zip(cells, widths, strict=True)
        ]
        return max(heights) + 2 * CELL_PAD

    def _flow(
        self,
        width: float,
        text: str,
        *,
        line: float = LINE,
        pad: float = 0,
        align: str = "L",
        fill: bool = False,
    ) -> None:
        """Write ``text`` wrapped to ``width`` from the current position; the next line starts
        at the left margin."""
        wrapped = self._wrapped(text, width, pad)
        self.multi_cell(
            width,
            line,
            wrapped,
            align=align,
            fill=fill,
            padding=_side(pad),
            wrapmode=_wrap(wrapped),
            **_NEXT,
        )

    def _height(self, text: str, width: float, *, line: float = LINE, pad: float = 0) -> float:
        return len(self._split(self._wrapped(text, width, pad), width, pad)) * line

    def _wrapped(self, text: str, width: float, pad: float) -> str:
        """``text`` with its line breaks, kept off the start of a line by Chinese rules (禁则):
        closing punctuation (。，）” …) hangs at the end of the line before, in a margin of one
        character that the lines leave for it."""
        text = drawable(text)
        if not any(_wide(char) for char in text):
            return text
        reserve = self.get_string_width("。")
        lines = self._split(text, width - reserve, pad)
        kept = lines[:1]
        for line in lines[1:]:
            hung = line.lstrip("".join(CLOSING)) if line and kept[-1] else line
            kept[-1] += line[: len(line) - len(hung)]
            if hung or not line:
                kept.append(hung)
        return "\n".join(kept)

    def _split(self, text: str, width: float, pad: float) -> list[str]:
        lines = self.multi_cell(
            width,
            LINE,
            text,
            padding=_side(pad),
            wrapmode=_wrap(text),
            dry_run=True,
            output=MethodReturnValue.LINES,
        )
        return cast(list[str], lines) or [""]

    def _picture(
        self, picture: Picture, x: float, y: float, w: float, h: float, unreadable: str
    ) -> None:
        if picture.source is None:
            self.set_draw_color(*RULE)
            self.rect(x, y, w, h)
            with self._style(SMALL, GREY):
                self.set_xy(x, y + h / 2 - 2)
                self._flow(w, unreadable, line=4, align="C")
            return
        self.image(picture.source, x=x, y=y, w=w, h=h)

    def _keep(self, height: float) -> None:
        """Start a new page unless ``height`` fits on this one."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def _body_height(self) -> float:
        return self.page_break_trigger - self.t_margin - 7

    @contextmanager
    def _style(self, size: float, colour: tuple[int, int, int] | None) -> Iterator[None]:
        old_size, old_colour = self.font_size_pt, self.text_color
        self.set_font(FONT, size=size)
        if colour is not None:
            self.set_text_color(*colour)
        try:
            yield
        finally:
            self.set_font(FONT, size=old_size)
            self.text_color = old_colour

    @contextmanager
    def _bold(self) -> Iterator[None]:
        """The CJK font has no bold face: its outlines are stroked as well as filled."""
        with self.local_context(text_mode="FILL_STROKE", line_width=0.18):
            self.set_draw_color(*DARK)
            yield


_NEXT: dict[str, Any] = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


def _side(padding: float) -> Padding:
    """Padding left and right only."""
    return Padding(top=0, right=padding, bottom=0, left=padding)


def _wrap(text: str) -> WrapMode:
    """Chinese wraps between any two characters; other text between words."""
    return WrapMode.CHAR if any(_wide(char) for char in text) else WrapMode.WORD


def _wide(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\uffef"


def _fit(picture: Picture, width: float) -> tuple[float, float]:
    """The drawn size of a picture: the column's width, at most ``PHOTO_HEIGHT`` tall."""
    if picture.source is None or not picture.width or not picture.height:
        return width, PHOTO_HEIGHT / 2
    ratio = picture.height / picture.width
    w = width
    h = w * ratio
    if h > PHOTO_HEIGHT:
        h = PHOTO_HEIGHT
        w = h / ratio
    return w, h
