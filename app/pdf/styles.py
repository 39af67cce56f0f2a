"""The toolkit's look: colours, page geometry, fonts, paragraph styles, and the safe way text becomes a Paragraph."""
from __future__ import annotations

import unicodedata
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph

NAVY = colors.HexColor("#10243a")
ACCENT = colors.HexColor("#0b5cad")
INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#4a5562")
RULE = colors.HexColor("#c9d1da")
ZEBRA = colors.HexColor("#f3f6f9")
BAND = colors.HexColor("#e3edf7")
NOTICE_BG = colors.HexColor("#fff6db")
NOTICE_LINE = colors.HexColor("#e0c060")
GOOD = colors.HexColor("#17663a")
BAD = colors.HexColor("#a3241b")

PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN = 0.75 * inch
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
TITLE_BAND = 2.1 * inch

FONT, BOLD, ITALIC = "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"


def _style(name: str, **kwargs) -> ParagraphStyle:
    base = {"fontName": FONT, "fontSize": 9.5, "leading": 13, "textColor": INK}
    return ParagraphStyle(name, **(base | kwargs))


STYLES = {
    "body": _style("body", spaceAfter=5),
    "small": _style("small", fontSize=8, leading=10.5, textColor=MUTED, spaceAfter=4),
    "muted": _style("muted", textColor=MUTED, spaceAfter=5),
    "notice": _style("notice", backColor=NOTICE_BG, borderColor=NOTICE_LINE, borderWidth=0.6, borderPadding=6,
                     spaceBefore=4, spaceAfter=10),
    "impact_gain": _style("impact_gain", fontName=BOLD, textColor=GOOD, spaceAfter=6),
    "impact_loss": _style("impact_loss", fontName=BOLD, textColor=BAD, spaceAfter=6),
    "impact_none": _style("impact_none", textColor=MUTED, spaceAfter=6),
    "cell": _style("cell", fontSize=8.5, leading=11),
    "cell_small": _style("cell_small", fontSize=7.5, leading=9.5, textColor=MUTED),
    "cell_num": _style("cell_num", fontSize=8.5, leading=11, alignment=TA_RIGHT),
    "th": _style("th", fontName=BOLD, fontSize=8.5, leading=11, textColor=colors.white),
    "th_num": _style("th_num", fontName=BOLD, fontSize=8.5, leading=11, textColor=colors.white, alignment=TA_RIGHT),
    "category": _style("category", fontName=BOLD, fontSize=10, leading=13, textColor=ACCENT, spaceAfter=2),
    "code_badge": _style("code_badge", fontName=BOLD, fontSize=10, leading=13, textColor=ACCENT),
    "code_title": _style("code_title", fontName=BOLD, fontSize=17, leading=21, textColor=NAVY, spaceAfter=4),
    "lead": _style("lead", fontSize=10.5, leading=14.5, textColor=MUTED),
    "h2": _style("h2", fontName=BOLD, fontSize=12.5, leading=16, textColor=NAVY, spaceBefore=14, spaceAfter=8,
                 keepWithNext=1),
    "h3": _style("h3", fontName=BOLD, fontSize=10, leading=13, textColor=INK, spaceBefore=8, spaceAfter=4,
                 keepWithNext=1),
    "page_title": _style("page_title", fontName=BOLD, fontSize=20, leading=25, textColor=NAVY, spaceAfter=14),
    "cover_title": _style("cover_title", fontName=BOLD, fontSize=30, leading=36, textColor=NAVY, spaceAfter=8),
    "cover_subtitle": _style("cover_subtitle", fontSize=13, leading=18, textColor=MUTED, spaceAfter=22),
    "cover_code": _style("cover_code", fontName=BOLD, fontSize=16, leading=21, textColor=ACCENT, spaceAfter=2),
    "cover_code_title": _style("cover_code_title", fontName=BOLD, fontSize=14, leading=19, textColor=INK,
                               spaceAfter=18),
    "kv_key": _style("kv_key", fontName=BOLD, fontSize=9, leading=12),
    "kv_value": _style("kv_value", fontSize=9, leading=12),
    "fact_label": _style("fact_label", fontSize=7.5, leading=9.5, textColor=MUTED),
    "fact_value": _style("fact_value", fontName=BOLD, fontSize=10, leading=13, textColor=NAVY),
    "bullet": _style("bullet", spaceAfter=3),
}


def text(value) -> str:
    """Any value as safe Paragraph markup: escaped, and limited to what the standard fonts can draw."""
    value = "" if value is None else str(value)
    value = unicodedata.normalize("NFKC", value)
    value = value.encode("cp1252", "replace").decode("cp1252")
    return escape(value)


def para(value, style: str = "body") -> Paragraph:
    return Paragraph(text(value), STYLES[style])


def markup(template: str, style: str = "body", **values) -> Paragraph:
    """A Paragraph from our own markup with every value escaped, e.g. markup('<b>{k}</b> {v}', k=.., v=..)."""
    return Paragraph(template.format(**{key: text(value) for key, value in values.items()}), STYLES[style])
