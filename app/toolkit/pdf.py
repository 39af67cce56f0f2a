"""The Revenue Protection Toolkit as a PDF, drawn with ReportLab (platypus + graphics).

Pure rendering: `render(toolkit)` turns the data gathered by `app.toolkit.builds` into PDF bytes
and reads nothing from the database. What it shows:

- per code: denial triggers (the live top denial reasons and the appeal strategies that won, with
  success rates and 95% intervals, or how many reports the code still needs), modifier pitfalls,
  bundling conflicts (NCCI PTP pairs), billing tips with their money impact, the payment table;
- a title page with the date of the data, a table of contents, page numbers.

Rules it keeps: every text that reaches a Paragraph goes through `text()` (XML-escaped: report
and reference strings may hold markup); counts are shown only as the dashboard's `display` strings,
so a suppressed cell reads "fewer than 3" and its exact count never appears (the dashboard holds
None there anyway); charts draw non-suppressed rows only; report free text is never shown; CPT
descriptors never appear (only the catalog's own titles).
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

# --------------------------------------------------------------------------- look

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


# --------------------------------------------------------------------------- the data to draw


@dataclass
class CodeSection:
    """One code: its profile (catalog, fee schedule, tips, NCCI, MUE) and its stored dashboard."""

    profile: object  # app.catalog.profile.CodeProfile
    dashboard: dict
    catalog_titles: dict[str, str] = field(default_factory=dict)  # code -> title, for the bundling pairs

    @property
    def code(self) -> str:
        return self.profile.code

    @property
    def category(self) -> str | None:
        return self.profile.entry.category if self.profile.entry else None


@dataclass
class Toolkit:
    """A whole document: one code (`single`) or every catalog code."""

    sections: list[CodeSection]
    data_sources: list[tuple[str, str]]  # (label, what was loaded / computed when), for the title page
    data_date: dt.date | None
    single: bool
    live_codes: int = 0
    threshold: int = 5
    min_contributors: int = 3

    @property
    def scope(self) -> str:
        if self.single and self.sections:
            return f"{self.sections[0].code}"
        return "all catalog codes"


# --------------------------------------------------------------------------- flowables


class SectionHeading(Paragraph):
    """A section title with a rule under it; `toc_entry` makes the document list it and bookmark it."""

    def __init__(self, title: str, style: str = "h2", toc_level: int | None = None, key: str | None = None):
        super().__init__(text(title), STYLES[style])
        self.toc_entry = (toc_level, title, key) if toc_level is not None else None
        self.ruled = style == "h2"

    def draw(self):
        super().draw()
        if self.ruled:
            self.canv.setStrokeColor(RULE)
            self.canv.setLineWidth(0.7)
            self.canv.line(0, -4, self.width, -4)


class TocAnchor(Flowable):
    """An invisible mark that puts an entry in the contents and the PDF outline (e.g. a code whose
    visible heading is a styled block rather than a paragraph)."""

    def __init__(self, level: int, title: str, key: str):
        super().__init__()
        self.toc_entry = (level, title, key)
        self.keepWithNext = True

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        pass


def data_table(header: list[str], rows: list[list], widths: list[float], numeric: tuple[int, ...] = ()) -> Table:
    """A table with a dark header row repeated on each page, zebra rows and wrapped cells.

    Cells may be Paragraphs already, or values (escaped here)."""
    head = [Paragraph(text(h), STYLES["th_num" if i in numeric else "th"]) for i, h in enumerate(header)]
    body = []
    for row in rows:
        body.append([
            cell if isinstance(cell, (Flowable, list)) else Paragraph(text(cell), STYLES["cell_num" if i in numeric else "cell"])
            for i, cell in enumerate(row)
        ])
    table = Table([head, *body], colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("BOX", (0, 0), (-1, -1), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ]))
    return table


def key_value_table(rows: list[tuple[str, str]], key_width: float = 1.8 * inch) -> Table:
    data = [[para(key, "kv_key"), para(value, "kv_value")] for key, value in rows]
    table = Table(data, colWidths=[key_width, BODY_WIDTH - key_width], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def bullets(items: list, style: str = "bullet") -> ListFlowable:
    return ListFlowable(
        [ListItem(item if isinstance(item, Flowable) else para(item, style), leftIndent=12) for item in items],
        bulletType="bullet", start="\u2022", leftIndent=12, bulletFontSize=8, bulletOffsetY=-1,
    )


def notice(value: str) -> Paragraph:
    return para(value, "notice")


# --------------------------------------------------------------------------- formatting


def money(amount) -> str:
    if amount is None:
        return "not priced"
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def timestamp(value: str | None) -> str:
    """An ISO timestamp from the dashboard (UTC) as 'YYYY-MM-DD HH:MM UTC'."""
    if not value:
        return "not yet computed"
    return value[:16].replace("T", " ") + " UTC"


def reason_label(row: dict) -> str:
    code = "-".join(part for part in (row.get("group_code"), row.get("carc")) if part)
    return code or "No CARC"


def carc_meaning(description: str | None) -> str:
    """The CARC's meaning without its 'Usage:' note (instructions to payers, not to billers)."""
    if not description:
        return "No description loaded for this CARC."
    return description.split(" Usage:")[0].strip()


def short_category(row: dict) -> str:
    label = row.get("category_label") or ""
    return label.split(" (")[0]


def code_system(section: CodeSection) -> str:
    entry = section.profile.entry
    if entry is not None:
        return entry.code_system
    return "HCPCS" if section.code[:1].isalpha() else "CPT"


# --------------------------------------------------------------------------- charts


def nice_step(maximum: int) -> int:
    """A round tick step giving at most about six ticks."""
    if maximum <= 6:
        return 1
    raw = maximum / 6
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * power:
            return int(multiple * power)
    return int(10 * power)


def reasons_chart(rows: list[dict], width: float = BODY_WIDTH, limit: int = 8) -> Drawing | None:
    """Horizontal bars of the denial reasons with an exact count; suppressed rows are not drawn."""
    shown = [row for row in rows if isinstance(row.get("count"), int)][:limit]
    if not shown:
        return None
    labels = []
    for row in shown:
        label = f"{reason_label(row)}  {short_category(row)}".strip()
        labels.append(label if len(label) <= 34 else label[:33] + "\u2026")
    bar_space = 20
    chart_height = bar_space * len(shown)
    height = chart_height + 34
    label_width = 2.05 * inch
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 24
    chart.width, chart.height = width - label_width - 0.35 * inch, chart_height
    # The chart draws its first category at the bottom: reverse so the largest is on top.
    chart.data = [[row["count"] for row in reversed(shown)]]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -6
    chart.categoryAxis.strokeColor = RULE
    chart.categoryAxis.tickLeft = 0
    top = max(row["count"] for row in shown)
    step = nice_step(top)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = step * math.ceil(top * 1.08 / step) if top else 1
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e6ebf0")
    chart.valueAxis.gridStrokeWidth = 0.5
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barWidth = 12
    chart.groupSpacing = bar_space - 12
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = BOLD
    chart.barLabels.fontSize = 8
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 4
    chart.barLabels.fillColor = INK
    drawing.add(chart)
    drawing.add(String(label_width + chart.width / 2, 4, "Reports (groups under 3 are not drawn)", fontName=FONT,
                       fontSize=7, fillColor=MUTED, textAnchor="middle"))
    return drawing


# --------------------------------------------------------------------------- one code


CATEGORY_LABELS = {
    "imaging_guidance": "Imaging guidance",
    "injections_drugs": "Injections and drugs",
    "joint_bursa_tendon": "Joints, bursae and tendons",
    "nerve_spine": "Nerve and spine",
    "office_em": "Office E/M visits",
    "therapy": "Therapy",
    "trigger_points": "Trigger points",
}
MODIFIER_WORDS = re.compile(r"\bmodifiers?\b|\b59\b|\bX[EPSU]\b", re.IGNORECASE)


def code_header(section: CodeSection, toc_level: int) -> list[Flowable]:
    profile = section.profile
    entry = profile.entry
    key = f"code-{section.code}"
    title_block = [
        para(f"{code_system(section)} {section.code}", "code_badge"),
        para(profile.title, "code_title"),
        para(entry.summary if entry else "No catalog entry yet for this code: what follows comes from the CMS files.",
             "lead"),
    ]
    header = Table([[title_block]], colWidths=[BODY_WIDTH], hAlign="LEFT")
    header.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), BAND),
        ("LINEBEFORE", (0, 0), (0, -1), 4, ACCENT),
        ("LEFTPADDING", (0, 0), (-1, -1), 12),
        ("RIGHTPADDING", (0, 0), (-1, -1), 12),
        ("TOPPADDING", (0, 0), (-1, -1), 10),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 12),
    ]))
    return [TocAnchor(toc_level, f"{section.code}  {profile.title}", key), header, Spacer(1, 8), key_facts(section),
            Spacer(1, 4)]


def key_facts(section: CodeSection) -> Table:
    profile, board = section.profile, section.dashboard
    year = profile.fee_schedule_year
    payment = profile.national_payment or {}
    if board.get("live"):
        crowd = f"Live: {board['report_count']} reports"
    else:
        crowd = f"{board.get('report_count', 0)} of {board.get('threshold', 5)} reports"
    ptp = f"{len(profile.ptp_edits)} pair{'s' if len(profile.ptp_edits) != 1 else ''} loaded" if profile.ptp_edits \
        else "None loaded"
    mue = (f"{profile.mue.max_units} unit{'s' if profile.mue.max_units != 1 else ''} per "
           f"{'line' if profile.mue.adjudication_indicator == '1' else 'day'}") if profile.mue else "Not loaded"
    facts = [
        (f"Medicare national, office (CY{year})" if year else "Medicare national, office", money(payment.get("non_facility"))),
        (f"Medicare national, facility (CY{year})" if year else "Medicare national, facility", money(payment.get("facility"))),
        ("Crowd denial data", crowd),
        ("NCCI PTP pairs", ptp),
        ("MUE", mue),
    ]
    cells = [[para(label, "fact_label"), para(value, "fact_value")] for label, value in facts]
    table = Table([cells], colWidths=[BODY_WIDTH / len(facts)] * len(facts), hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0.5, RULE),
        ("LINEBEFORE", (1, 0), (-1, -1), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), 7),
    ]))
    return table


def denial_triggers(section: CodeSection, heading) -> list[Flowable]:
    board = section.dashboard
    story: list[Flowable] = [heading("Denial triggers", "triggers")]
    if board.get("live"):
        story.append(markup(
            "{reports} reports from {billers} billers, aggregated {when}. Groups under 3 reports are shown as "
            "\u201cfewer than 3\u201d, never as an exact count.", "muted",
            reports=board["report_count"], billers=board["contributor_count"], when=timestamp(board.get("computed_at")),
        ))
        story.append(para("Top denial reasons", "h3"))
        reasons = board.get("denial_reasons") or []
        chart = reasons_chart(reasons)
        if chart is not None:
            story.append(chart)
            story.append(Spacer(1, 6))
        rows = []
        for row in reasons:
            what = [para(carc_meaning(row.get("carc_description")), "cell")]
            if row.get("rarcs"):
                what.append(para("Remark codes: " + ", ".join(r["rarc"] for r in row["rarcs"]), "cell_small"))
            rows.append([
                markup("<b>{code}</b><br/>{category}", "cell", code=reason_label(row), category=short_category(row)),
                what, row["display"], percent(row.get("share")),
            ])
        if rows:
            story.append(data_table(["Reason", "What the payer's code says", "Reports", "Share"], rows,
                                    [1.55 * inch, 3.85 * inch, 0.95 * inch, 0.65 * inch], numeric=(2, 3)))
        story.append(para("Appeal strategies that won", "h3"))
        strategies = board.get("appeal_strategies") or []
        if strategies:
            rows = []
            for row in strategies:
                if row.get("success_rate") is not None and row.get("interval_95"):
                    low, high = row["interval_95"]
                    success = f"{percent(row['success_rate'])} (95% CI {low * 100:.0f}\u2013{high * 100:.0f}%)"
                else:
                    success = "not enough results"
                rows.append([row.get("label") or row.get("strategy"), row["attempts"]["display"],
                             row["won"]["display"], row["partially_won"]["display"], row["lost"]["display"],
                             row["pending"]["display"], success])
            story.append(data_table(["Strategy", "Tried", "Won", "Partly won", "Lost", "Pending", "Success (95% CI)"],
                                    rows, [1.4 * inch, *[0.82 * inch] * 5, BODY_WIDTH - 5.5 * inch],
                                    numeric=(1, 2, 3, 4, 5)))
            story.append(para("Success counts won and partly won appeals over appeals that ended; the interval is a "
                              "95% Wilson score interval.", "small"))
        else:
            story.append(para("No appeals reported yet for this code.", "muted"))
        median = board.get("median_days_to_resolution")
        if median is not None:
            story.append(markup("Median time to resolution: <b>{days} days</b>.", days=f"{median:.0f}"))
    else:
        reports, threshold = board.get("report_count", 0), board.get("threshold", 5)
        needed = []
        if board.get("reports_needed"):
            needed.append(f"{board['reports_needed']} more report{'s' if board['reports_needed'] != 1 else ''}")
        if board.get("contributors_needed"):
            count = board["contributors_needed"]
            needed.append(f"{count} more biller{'s' if count != 1 else ''}")
        story.append(notice(
            f"Not enough reports yet ({reports} of {threshold}). Live denial reasons and appeal results appear once "
            f"the code has {threshold} reports from at least {board.get('min_contributors', 3)} different billers"
            + (f" (it needs {' and '.join(needed)})." if needed else ".")
        ))
    entry = section.profile.entry
    if entry and entry.common_denials:
        story.append(para("Typical denials from coding guidance", "h3"))
        rows = [[markup("<b>{code}</b><br/>{category}", "cell", code=f"{d.get('group', '')}-{d.get('carc', '')}",
                        category=str(d.get("category", "")).replace("_", " ").capitalize()), d.get("why", "")]
                for d in entry.common_denials]
        story.append(data_table(["Denial", "Why it happens"], rows, [1.55 * inch, BODY_WIDTH - 1.55 * inch]))
        story.append(para("From coding guidance written for this catalog, not from reports.", "small"))
    return story


def indicator_groups(section: CodeSection) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for edit in section.profile.ptp_edits:
        groups.setdefault(edit.modifier_indicator, []).append(edit.other_code)
    return groups


def no_ptp_sentence(section: CodeSection) -> str:
    vintage = section.profile.ptp_vintage
    where = vintage.label if vintage else "any quarter (no NCCI PTP file is loaded)"
    return f"No NCCI PTP data loaded for this code for {where}."


def modifier_pitfalls(section: CodeSection, heading) -> list[Flowable]:
    story: list[Flowable] = [heading("Modifier pitfalls", "modifiers")]
    profile, board = section.profile, section.dashboard
    if profile.ptp_edits:
        groups = indicator_groups(section)
        rows = []
        meanings = {
            "0": "No modifier can bypass the edit: the pair is never paid together on the same day.",
            "1": "Modifier 59 or XE, XP, XS, XU may bypass the edit, only when the services are truly distinct "
                 "(different site, session or encounter) and the record shows it.",
            "9": "Not applicable: the edit was deleted on its effective date.",
        }
        for indicator in ("0", "1", "9"):
            if indicator in groups:
                rows.append([markup("<b>{i}</b>", "cell", i=indicator), ", ".join(sorted(set(groups[indicator]))),
                             meanings[indicator]])
        story.append(data_table(["Modifier indicator", f"Paired with {profile.code}", "What it means"], rows,
                                [1.2 * inch, 1.9 * inch, BODY_WIDTH - 3.1 * inch]))
    else:
        story.append(notice(no_ptp_sentence(section) + " No modifier indicator can be checked here: look the pair "
                            "up in the full CMS file before relying on 59 or an X modifier."))
    modifiers = board.get("modifiers") if board.get("live") else None
    story.append(para("Modifiers on denied claim lines", "h3"))
    if modifiers:
        story.append(data_table(["Modifier", "Denied reports with it", "Share"],
                                [[row.get("label") or row.get("key"), row["display"], percent(row.get("share"))]
                                 for row in modifiers],
                                [1.2 * inch, 1.8 * inch, 0.9 * inch], numeric=(1, 2)))
    elif board.get("live"):
        story.append(para("No modifier appears on this code's reported denials.", "muted"))
    else:
        story.append(para("Shown once the code has live crowd data.", "muted"))
    entry = profile.entry
    guidance = [item for item in (entry.coding_guidelines if entry else []) if MODIFIER_WORDS.search(item)]
    if guidance:
        story.append(para("From the coding guidelines", "h3"))
        story.append(bullets(guidance))
    return story


def bundling_conflicts(section: CodeSection, heading) -> list[Flowable]:
    story: list[Flowable] = [heading("Bundling conflicts", "bundling")]
    profile = section.profile
    if not profile.ptp_edits:
        story.append(notice(no_ptp_sentence(section) + " This is not a clean pass: the code may still have edits "
                            "in the full CMS file."))
    else:
        titles = section.catalog_titles
        among = [edit for edit in profile.ptp_edits if edit.other_code in titles]
        others = len(profile.ptp_edits) - len(among)
        if among:
            rows = []
            for edit in among:
                other = markup("<b>{code}</b> {title}", "cell", code=edit.other_code, title=titles[edit.other_code])
                if edit.role == "column_one":
                    pair = markup("{me} (column 1) with {other} (column 2): <b>{other} is bundled</b>", "cell",
                                  me=profile.code, other=edit.other_code)
                else:
                    pair = markup("{other} (column 1) with {me} (column 2): <b>{me} is bundled</b>", "cell",
                                  me=profile.code, other=edit.other_code)
                rows.append([pair, other, edit.modifier_indicator, edit.effective_date.isoformat(), edit.rationale])
            story.append(data_table(["Pair", "Other code", "Modifier indicator", "Since", "Rationale"], rows,
                                    [1.9 * inch, 1.8 * inch, 0.75 * inch, 0.8 * inch, BODY_WIDTH - 5.25 * inch]))
        else:
            story.append(para(f"No NCCI PTP pair with another catalog code in {profile.ptp_vintage.label if profile.ptp_vintage else 'the loaded file'}.",
                              "muted"))
        if others:
            story.append(para(f"{others} more pair{'s' if others != 1 else ''} with codes outside this catalog: see "
                              f"the code page or the CMS file.", "small"))
        if profile.ptp_vintage:
            story.append(para(f"Source: {profile.ptp_vintage.label} ({profile.ptp_vintage.file_name}).", "small"))
    story.append(para("Medically unlikely edit (MUE)", "h3"))
    if profile.mue:
        story.append(markup("<b>{units}</b> per {per}. {meaning} Rationale: {rationale}.",
                            units=f"{profile.mue.max_units} unit{'s' if profile.mue.max_units != 1 else ''}",
                            per="line" if profile.mue.adjudication_indicator == "1" else "day",
                            meaning=profile.mue_meaning or "", rationale=profile.mue.rationale))
        if profile.mue_vintage:
            story.append(para(f"Source: {profile.mue_vintage.label} ({profile.mue_vintage.file_name}).", "small"))
    elif profile.mue_vintage:
        story.append(para(f"No MUE loaded for {profile.code} for {profile.mue_vintage.label}.", "muted"))
    else:
        story.append(para("No MUE data loaded for this quarter.", "muted"))
    return story


def billing_tips(section: CodeSection, heading) -> list[Flowable]:
    tips = section.profile.billing_tips
    if not tips:
        return []
    items = []
    for tip in tips:
        parts: list[Flowable] = [para(tip.text, "bullet")]
        if tip.impact_text:
            if tip.impact_amount is None:
                style = "impact_none"
            else:
                style = "impact_loss" if tip.impact_amount < 0 else "impact_gain"
            parts.append(para(tip.impact_text, style))
        items.append(ListItem(parts, leftIndent=16))
    return [heading("Billing tips", "tips"),
            ListFlowable(items, bulletType="1", bulletFormat="%s.", leftIndent=16, bulletFontName=BOLD,
                         bulletFontSize=9, bulletColor=ACCENT)]


def payment_table(section: CodeSection, heading) -> list[Flowable]:
    profile = section.profile
    story: list[Flowable] = [heading("Medicare payment", "payment")]
    if profile.fee_schedule_year is None or not profile.fee_schedule_rows:
        story.append(para("No fee schedule amount loaded for this code.", "muted"))
        return story
    payment = profile.national_payment or {}
    year = profile.fee_schedule_year
    rows = [["Non-facility (office)", money(payment.get("non_facility"))],
            ["Facility (hospital outpatient, ASC)", money(payment.get("facility"))]]
    story.append(data_table(["Setting", f"CY{year} national amount"], rows, [3.0 * inch, 1.6 * inch], numeric=(1,)))
    vintage = profile.fee_schedule_vintage
    source = f"{vintage.label} ({vintage.file_name})" if vintage else f"CY{year} fee schedule"
    story.append(para(f"Source: {source}. National amounts (every GPCI 1.0) for a participating provider, before "
                      "any modifier or multiple-procedure reduction; an estimate, not a payer's determination.",
                      "small"))
    return story


def code_story(section: CodeSection, toc_level: int, subsections_in_toc: bool) -> list[Flowable]:
    def heading(title: str, slug: str) -> SectionHeading:
        if subsections_in_toc:
            return SectionHeading(title, "h2", toc_level + 1, f"{section.code}-{slug}")
        return SectionHeading(title, "h2")

    story = code_header(section, toc_level)
    for part in (denial_triggers, modifier_pitfalls, bundling_conflicts, billing_tips, payment_table):
        story.extend(part(section, heading))
    return story


# --------------------------------------------------------------------------- front matter


def cover(toolkit: Toolkit) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph("Revenue Protection Toolkit", STYLES["cover_title"]),
        para("Denial triggers, modifier pitfalls and bundling conflicts, per procedure code, from anonymous "
             "denial reports by US medical billers and the public CMS files.", "cover_subtitle"),
    ]
    if toolkit.single and toolkit.sections:
        section = toolkit.sections[0]
        story += [para(f"{code_system(section)} {section.code}", "cover_code"),
                  para(section.profile.title, "cover_code_title")]
    else:
        count = len(toolkit.sections)
        story += [para(f"All {count} catalog code{'s' if count != 1 else ''}", "cover_code"),
                  para(f"{toolkit.live_codes} with live crowd denial data", "cover_code_title")]
    story.append(para("Data in this edition", "h3"))
    story.append(key_value_table(toolkit.data_sources))
    story.append(Spacer(1, 18))
    story.append(para(
        "Free to use and share. Reports are anonymous and hold no patient information; report free text is never "
        "printed. Groups under 3 reports show as \u201cfewer than 3\u201d. Payment figures are Medicare estimates "
        "from the CMS Physician Fee Schedule, not a payer's determination.", "small"))
    story.append(para(
        "CPT\u00ae is a registered trademark of the American Medical Association. Code titles and descriptions here "
        "are our own words, not CPT descriptors.", "small"))
    return story


def how_to_read(toolkit: Toolkit) -> list[Flowable]:
    return [
        SectionHeading("How to read this toolkit", "h2", 0, "how-to-read"),
        bullets([
            markup("<b>Denial triggers</b> come from billers' anonymous reports. A code's crowd data goes live at "
                   "{threshold} reports from at least {contributors} different billers; before that its page says how "
                   "many it has.", threshold=toolkit.threshold, contributors=toolkit.min_contributors),
            markup("<b>Small groups are hidden.</b> Any group of fewer than 3 reports reads \u201cfewer than 3\u201d "
                   "and is left out of the charts, so no report can be traced to one biller."),
            markup("<b>Appeal success</b> is won or partly won appeals over appeals that ended, with a 95% Wilson "
                   "interval: a wide interval means few results."),
            markup("<b>Modifier indicators</b> (NCCI PTP): 0 means no modifier can bypass the edit; 1 means 59 or "
                   "XE, XP, XS, XU may bypass it when the services are distinct and documented; 9 means the edit does "
                   "not apply."),
            markup("<b>Bundling conflicts</b> list the NCCI procedure-to-procedure pairs loaded for the code. Where "
                   "none are loaded the toolkit says so: that is never a clean pass."),
            markup("<b>Money impacts</b> of the billing tips are computed from the loaded Medicare fee schedule "
                   "(national, latest year)."),
        ]),
    ]


# --------------------------------------------------------------------------- the document


class NumberedCanvas(pdfcanvas.Canvas):
    """Writes 'Page N of M' on every page but the cover, once the page count is known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._page_states: list[dict] = []

    def showPage(self):
        self._page_states.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._page_states)
        for state in self._page_states:
            self.__dict__.update(state)
            if self._pageNumber > 1:
                self.setFont(FONT, 8)
                self.setFillColor(MUTED)
                self.drawRightString(PAGE_WIDTH - MARGIN, 0.45 * inch, f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


class ToolkitDocument(BaseDocTemplate):
    def __init__(self, output, toolkit: Toolkit):
        scope = toolkit.scope
        super().__init__(
            output, pagesize=LETTER, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
            bottomMargin=0.85 * inch, title=f"Revenue Protection Toolkit: {scope}", author="Denial Radar",
            subject="Denial triggers, modifier pitfalls and bundling conflicts", creator="Denial Radar",
        )
        self.toolkit = toolkit
        date = toolkit.data_date.isoformat() if toolkit.data_date else "no data loaded"
        self.footer_text = f"Denial Radar \u00b7 Revenue Protection Toolkit \u00b7 {scope} \u00b7 data as of {date}"
        body = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover_frame = Frame(self.leftMargin, self.bottomMargin, self.width,
                            PAGE_HEIGHT - TITLE_BAND - 0.6 * inch - self.bottomMargin, id="cover",
                            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("cover", [cover_frame], onPage=self.draw_cover),
            PageTemplate("body", [body], onPage=self.draw_body),
        ])

    def draw_cover(self, canv, _doc):
        canv.saveState()
        canv.setFillColor(NAVY)
        canv.rect(0, PAGE_HEIGHT - TITLE_BAND, PAGE_WIDTH, TITLE_BAND, stroke=0, fill=1)
        canv.setFillColor(ACCENT)
        canv.rect(0, PAGE_HEIGHT - TITLE_BAND - 5, PAGE_WIDTH, 5, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        canv.setFont(BOLD, 26)
        canv.drawString(MARGIN, PAGE_HEIGHT - 1.05 * inch, "Denial Radar")
        canv.setFont(FONT, 11.5)
        canv.drawString(MARGIN, PAGE_HEIGHT - 1.4 * inch,
                        "Claim denials, per procedure code, reported anonymously by US medical billers")
        canv.setFillColor(MUTED)
        canv.setFont(FONT, 8)
        canv.drawString(MARGIN, 0.45 * inch, self.footer_text)
        canv.restoreState()

    def draw_body(self, canv, _doc):
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN, PAGE_HEIGHT - 0.55 * inch, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 0.55 * inch)
        canv.setFont(BOLD, 8)
        canv.setFillColor(NAVY)
        canv.drawString(MARGIN, PAGE_HEIGHT - 0.47 * inch, "Revenue Protection Toolkit")
        canv.setFont(FONT, 8)
        canv.setFillColor(MUTED)
        canv.drawRightString(PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 0.47 * inch, "Denial Radar")
        canv.line(MARGIN, 0.62 * inch, PAGE_WIDTH - MARGIN, 0.62 * inch)
        canv.drawString(MARGIN, 0.45 * inch, self.footer_text)
        canv.restoreState()

    def afterFlowable(self, flowable):
        entry = getattr(flowable, "toc_entry", None)
        if not entry:
            return
        level, title, key = entry
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)
        self.notify("TOCEntry", (level, text(title), self.page, key))


def contents() -> TableOfContents:
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [
        _style("toc0", fontName=BOLD, fontSize=10.5, leading=15, leftIndent=0, firstLineIndent=0, spaceBefore=5,
               textColor=NAVY),
        _style("toc1", fontSize=9.5, leading=13, leftIndent=14, firstLineIndent=0),
        _style("toc2", fontSize=9, leading=12, leftIndent=28, firstLineIndent=0, textColor=MUTED),
    ]
    return toc


def story_for(toolkit: Toolkit) -> list[Flowable]:
    story: list[Flowable] = [NextPageTemplate("body"), *cover(toolkit), PageBreak()]
    story += [Paragraph("Contents", STYLES["page_title"]), contents(), Spacer(1, 12)]
    story.append(KeepTogether(how_to_read(toolkit)))
    if not toolkit.sections:
        story += [PageBreak(), notice("No code in the catalog yet: load it with flask --app app data load-all.")]
        return story
    if toolkit.single:
        story.append(PageBreak())
        story += code_story(toolkit.sections[0], toc_level=0, subsections_in_toc=True)
        return story
    category = object()
    for section in toolkit.sections:
        story.append(PageBreak())
        if section.category != category:
            category = section.category
            label = CATEGORY_LABELS.get(category or "", (category or "other").replace("_", " ").capitalize())
            story.append(SectionHeading(label, "category", 0, f"category-{category}"))
        story += code_story(section, toc_level=1, subsections_in_toc=False)
    return story


def render(toolkit: Toolkit) -> bytes:
    """The toolkit as PDF bytes (contents need two passes: multiBuild)."""
    buffer = io.BytesIO()
    document = ToolkitDocument(buffer, toolkit)
    document.multiBuild(story_for(toolkit), canvasmaker=NumberedCanvas)
    return buffer.getvalue()

