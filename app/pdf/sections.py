"""One code's sections (denial triggers, modifier pitfalls, bundling conflicts, billing tips, payment),
and `code_story`, which puts them under the code's header."""
from __future__ import annotations

import re

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, ListFlowable, ListItem, Spacer

from app.dashboards.disclosure import SMALL_CELL, SUPPRESSED_LABEL
from app.enums import DenialCategory, Setting
from app.formatting import money

from .charts import reasons_chart
from .flowables import SectionHeading, bullets, data_table, notice
from .formatting import NOT_PRICED, carc_meaning, percent, reason_label, short_category, timestamp
from .header import code_header
from .model import CodeSection
from .styles import ACCENT, BODY_WIDTH, BOLD, markup, para

MODIFIER_WORDS = re.compile(r"\bmodifiers?\b|\b59\b|\bX[EPSU]\b", re.IGNORECASE)


def denial_triggers(section: CodeSection, heading) -> list[Flowable]:
    board = section.dashboard
    story: list[Flowable] = [heading("Denial triggers", "triggers")]
    if board.get("live"):
        story.append(markup(
            "{reports} reports from {billers} billers, aggregated {when}. Counts are rounded to the nearest 5; "
            "groups under {size} reports are shown as \u201c{label}\u201d, never as an exact count.", "muted",
            reports=board["report_count"], billers=board["contributor_count"], when=timestamp(board.get("computed_at")),
            size=SMALL_CELL, label=SUPPRESSED_LABEL,
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
                        category=DenialCategory(d["category"]).label if d.get("category") else ""), d.get("why", "")]
                for d in entry.common_denials]
        story.append(data_table(["Denial", "Why it happens"], rows, [1.55 * inch, BODY_WIDTH - 1.55 * inch]))
        story.append(para("From coding guidance written for this catalog, not from reports.", "small"))
    return story


def indicator_groups(section: CodeSection) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for edit in section.profile.ptp_edits:
        groups.setdefault(edit.modifier_indicator, []).append(edit.other_code)
    return groups


PAIRED_CODES_SHOWN = 60


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
                codes = sorted(set(groups[indicator]))
                # The full NCCI file pairs some codes with hundreds of others: more would not fit a page.
                listed = ", ".join(codes[:PAIRED_CODES_SHOWN]) + (
                    f" and {len(codes) - PAIRED_CODES_SHOWN} more (see the code page)" if len(codes) > PAIRED_CODES_SHOWN else "")
                rows.append([markup("<b>{i}</b>", "cell", i=indicator), listed, meanings[indicator]])
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
                rows.append([pair, other, edit.modifier_indicator,
                             edit.effective_date.isoformat() if edit.effective_date else "not in this copy", edit.rationale])
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
    rows = [[Setting.NON_FACILITY.label, money(payment.get(Setting.NON_FACILITY), NOT_PRICED)],
            ["Facility (hospital outpatient, ASC)", money(payment.get(Setting.FACILITY), NOT_PRICED)]]
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
