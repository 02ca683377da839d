"""The fonts reports draw with, all installed from PyPI; nothing is fetched at run time.

Chinese and Latin text: WenQuanYi Micro Hei (文泉驿微米黑), shipped by the
``paperang-p2-fonts-cjk`` wheel (5 MB). It is a TrueType-outline collection (``glyf``): fpdf2
embeds and subsets such a font as a standard ``CIDFontType2`` with a ``ToUnicode`` map, so the
PDF's text can be searched and extracted. The Noto Sans CJK wheels on PyPI carry CFF or CFF2
outlines, which fpdf2 embeds with a private encoding that text extractors (pypdf, pdfminer)
cannot read, and Google's Noto Sans SC variable TTF draws its default "Thin" instance in
matplotlib. The font covers GB2312 and GBK in full (34,600 code points: CJK, full-width
punctuation, Latin, Greek, Cyrillic); its licence is Apache 2.0 (name table, ID 13).

Symbols it lacks (☐ ✗ and a few spaces) fall back to DejaVu Sans, which matplotlib ships.
Characters neither font has (emoji) are written as their code point, ``[U+1F600]``, so that no
text is lost.
"""

from __future__ import annotations

import os
from functools import cache
from importlib.resources import files
from pathlib import Path

FONT_PACKAGE = "paperang_p2_fonts_cjk"
CJK_FAMILY = "WenQuanYi Micro Hei"
CJK_FACE = 0  # the proportional face; 1 is the monospaced one
FALLBACK_FAMILY = "DejaVu Sans"
# Spaces Babel writes (narrow no-break space in English times, thin spaces) that the CJK font
# lacks: shown as plain spaces.
SPACES = str.maketrans({"\u202f": " ", "\u2009": " ", "\u200a": " ", "\u2007": " "})


class FontMissing(RuntimeError):
    """The font package is not installed (``pip install paperang-p2-fonts-cjk``)."""


@cache
def cjk_font_path() -> Path:
    """The packaged CJK font file."""
    try:
        path = Path(str(files(FONT_PACKAGE) / "fonts" / "wqy-microhei.ttc"))
    except ModuleNotFoundError as exc:
        raise FontMissing("install paperang-p2-fonts-cjk (a dependency of dutybot)") from exc
    if not path.is_file():
        raise FontMissing(f"the CJK font file is missing: {path}")
    return path


@cache
def fallback_font_path() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


@cache
def _coverage(path: str, face: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=face, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def cjk_coverage() -> frozenset[int]:
    """The code points the CJK font draws."""
    return _coverage(os.fspath(cjk_font_path()), CJK_FACE)


def fallback_coverage() -> frozenset[int]:
    return _coverage(os.fspath(fallback_font_path()), 0)


def drawable(text: str) -> str:
    """``text`` with odd spaces made plain and characters no font draws spelled as code points;
    line breaks and tabs are kept, other control characters dropped."""
    cjk, fallback = cjk_coverage(), fallback_coverage()
    out: list[str] = []
    for char in text.translate(SPACES):
        code = ord(char)
        if char in "\n\t":
            out.append(char)
        elif code < 32 or 0x7F <= code < 0xA0 or char in "\ufe0f\ufe0e\u200d":
            continue  # control characters, emoji variation selectors and joiners
        elif code in cjk or code in fallback:
            out.append(char)
        else:
            out.append(f"[U+{code:04X}]")
    return "".join(out)


@cache
def register_with_matplotlib() -> str:
    """Add the CJK font to matplotlib's font manager, by path; returns its family name."""
    from matplotlib import font_manager

    path = os.fspath(cjk_font_path())
    if not any(entry.fname == path for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    return CJK_FAMILY
