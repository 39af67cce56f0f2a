"""The front matter: the title page (cover) and how to read the toolkit."""
from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer

from app.dashboards.disclosure import SMALL_CELL, SUPPRESSED_LABEL

from .flowables import SectionHeading, bullets, key_value_table
from .formatting import code_system
from .model import Toolkit
from .styles import STYLES, markup, para


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
        f"printed. Groups under {SMALL_CELL} reports show as \u201c{SUPPRESSED_LABEL}\u201d. Payment figures are "
        "Medicare estimates from the CMS Physician Fee Schedule, not a payer's determination.", "small"))
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
            markup("<b>Small groups are hidden.</b> Any group of fewer than {size} reports reads \u201c{label}\u201d "
                   "and is left out of the charts, so no report can be traced to one biller.",
                   size=SMALL_CELL, label=SUPPRESSED_LABEL),
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
