"""The top of one code's pages: its title band (and contents entry) and the strip of key facts."""
from __future__ import annotations

from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from .flowables import TocAnchor
from app.enums import Setting
from app.formatting import money

from .formatting import NOT_PRICED, code_system
from .model import CodeSection
from .styles import ACCENT, BAND, BODY_WIDTH, RULE, para


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
        (f"Medicare national, office (CY{year})" if year else "Medicare national, office",
         money(payment.get(Setting.NON_FACILITY), NOT_PRICED)),
        (f"Medicare national, facility (CY{year})" if year else "Medicare national, facility",
         money(payment.get(Setting.FACILITY), NOT_PRICED)),
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
