"""A code's dashboard, built from its tallies (app/reports/tallies.py), suppression applied.

`incremental_dashboard` reads the tallies kept in step with each report (what the Celery task
uses: its cost does not grow with the code); `compute_dashboard` counts the same tallies from the
reports with GROUP BY (slices, and the reference the incremental result is checked against).
The median days to resolution is exact: days are whole numbers, so their histogram is a tally too;
Wilson intervals are computed from exact counts.
"""
import datetime as dt
from collections import Counter

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.enums import AppealOutcome, AppealStrategy, DenialCategory, GroupCode, PayerType, ReportStatus
from app.reference.models import AdjustmentReasonCode, RemarkCode
from app.reports.models import DenialReport
from app.reports.rules import implied_category
from app.reports.tallies import Tallies, full_tallies, stored_tallies
from app.dashboards.disclosure import SMALL_CELL
from app.dashboards.statistics import appeal_row, ranked_rows


def report_filter(code: str, payer_type: str | None = None, state: str | None = None) -> list:
    conditions = [DenialReport.code == code, DenialReport.status == ReportStatus.ACCEPTED]
    if payer_type:
        conditions.append(DenialReport.payer_type == PayerType(payer_type))
    if state:
        conditions.append(DenialReport.state == state)
    return conditions


def newest_change(session: Session, conditions: list) -> dt.datetime | None:
    return session.scalar(sa.select(sa.func.max(DenialReport.updated_at)).where(*conditions))


def median_days(days: Counter) -> float | None:
    """The exact median from the histogram of days (whole days, so a few hundred cells at most)."""
    n = sum(days.values())
    if n < SMALL_CELL:
        return None
    ordered = sorted((int(value), count) for value, count in days.items())

    def at(position: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if position < seen:
                return value
        raise IndexError(position)

    return (at((n - 1) // 2) + at(n // 2)) / 2


def merged_reasons(reasons: Counter, remarks: Counter) -> tuple[Counter, Counter]:
    """A CARC reported without its group joins that CARC's most reported group (ties: by group),
    so "97" and "CO-97" are one row; it keeps a row of its own only when no group came with the CARC."""
    best: dict[str, tuple[int, str]] = {}
    for key, count in reasons.items():
        group, carc, _category = key.split("|")
        if group and carc and (carc not in best or (-count, group) < (-best[carc][0], best[carc][1])):
            best[carc] = (count, group)

    def target(key: str) -> str:
        group, carc, category = key.split("|")
        return f"{best[carc][1]}|{carc}|" if carc and not group and carc in best else key

    merged_remarks: Counter = Counter()
    for key, count in remarks.items():
        reason, rarc = key.rsplit("|", 1)
        merged_remarks[(target(reason), rarc)] += count
    merged: Counter = Counter()
    for key, count in reasons.items():
        merged[target(key)] += count
    return merged, merged_remarks


def denial_reasons(session: Session, reasons: Counter, remarks: Counter, total: int) -> list[dict]:
    reasons, remarks = merged_reasons(reasons, remarks)
    carcs = {key.split("|")[1] for key in reasons} - {""}
    carc_text = dict(session.execute(sa.select(AdjustmentReasonCode.code, AdjustmentReasonCode.description)
                                     .where(AdjustmentReasonCode.code.in_(carcs))).all()) if carcs else {}
    rarcs = {rarc for _reason, rarc in remarks}
    rarc_text = dict(session.execute(sa.select(RemarkCode.code, RemarkCode.description)
                                     .where(RemarkCode.code.in_(rarcs))).all()) if rarcs else {}
    rows = []
    for key, count in reasons.items():
        group, carc, category_value = key.split("|")
        category = implied_category(carc) if carc else DenialCategory(category_value) if category_value else None
        shown_remarks = [{"rarc": rarc, "description": rarc_text.get(rarc), "count": n}
                         for (reason, rarc), n in remarks.items() if reason == key and n >= SMALL_CELL]
        rows.append({
            "key": f"{group}-{carc}-{category.value if category else ''}",
            "group_code": group or None,
            "carc": carc or None,
            "carc_description": carc_text.get(carc),
            "category": category.value if category else None,
            "category_label": category.label if category else None,
            "rarcs": sorted(shown_remarks, key=lambda r: (-r["count"], r["rarc"])),
            "count": count,
        })
    return ranked_rows(rows, total)


def simple_breakdown(counts: Counter, total: int, labels=None) -> list[dict]:
    return ranked_rows([{"key": key, "label": labels(key) if labels else key, "count": count}
                        for key, count in counts.items()], total)


def appeal_strategies(appeals: Counter) -> list[dict]:
    by_strategy: dict[str, Counter] = {}
    for key, count in appeals.items():
        strategy, outcome = key.split("|")
        by_strategy.setdefault(strategy, Counter())[outcome] += count
    results = [
        appeal_row(strategy, sum(outcomes.values()), outcomes[AppealOutcome.WON.value],
                   outcomes[AppealOutcome.PARTIALLY_WON.value], outcomes[AppealOutcome.LOST.value],
                   outcomes[AppealOutcome.PENDING.value]) | {"label": AppealStrategy(strategy).label}
        for strategy, outcomes in by_strategy.items()
    ]
    return sorted(results, key=lambda r: (r["success_rate"] is None, -(r["success_rate"] or 0), r["strategy"]))


def reports_per_month(months: Counter) -> list[dict]:
    return [{"month": month} | ranked_rows([{"count": months[month]}], months[month])[0] for month in sorted(months)]


def quoted_denial(group: GroupCode | None, carc: str | None, category: DenialCategory | None) -> str:
    """The denial a quote belongs to, as its reason row names it: group-CARC, else the category."""
    if carc:
        return f"{group.value}-{carc}" if group else f"CARC {carc}"
    return category.label if category else "Denial reason not given"


def approved_quotes(session: Session, conditions: list, limit: int = 5) -> list[dict]:
    """Free text a moderator approved for display; nothing else is ever shown verbatim."""
    narrative_ok = sa.and_(DenialReport.narrative.is_not(None), DenialReport.narrative_approved.is_(True))
    notes_ok = sa.and_(DenialReport.appeal_notes.is_not(None), DenialReport.appeal_notes_approved.is_(True))
    rows = session.execute(
        sa.select(DenialReport.id, DenialReport.group_code, DenialReport.carc, DenialReport.denial_category,
                  narrative_ok, DenialReport.narrative, notes_ok, DenialReport.appeal_notes)
        # The first OR is the partial index's predicate: a code's quotes without reading its every report.
        .where(*conditions, sa.or_(DenialReport.narrative_approved, DenialReport.appeal_notes_approved),
               sa.or_(narrative_ok, notes_ok))
        .order_by(DenialReport.updated_at.desc(), DenialReport.id.desc()).limit(limit)
    )
    quotes = []
    for report_id, group, carc, category, show_narrative, narrative, show_notes, notes in rows:
        denial = quoted_denial(group, carc, category)
        if show_narrative:
            quotes.append({"report_id": report_id, "kind": "narrative", "denial": denial, "text": narrative})
        if show_notes:
            quotes.append({"report_id": report_id, "kind": "appeal_notes", "denial": denial, "text": notes})
    return quotes[:limit]


def dashboard_from_tallies(session: Session, tallies: Tallies, contributor_count: int, conditions: list,
                          threshold: int, min_contributors: int, slice_: dict) -> dict:
    """The dashboard a set of tallies shows, suppression applied; ``conditions`` select its reports."""
    report_count = tallies["reports"][""]
    newest = newest_change(session, conditions)
    live = report_count >= threshold and contributor_count >= min_contributors
    dashboard = {
        "code": slice_["code"],
        "live": live,
        "report_count": report_count,
        "contributor_count": contributor_count,
        "threshold": threshold,
        "min_contributors": min_contributors,
        "reports_needed": max(0, threshold - report_count),
        "contributors_needed": max(0, min_contributors - contributor_count),
        "slice": {"payer_type": slice_["payer_type"], "state": slice_["state"]},
        "reports_through": newest.isoformat() if newest else None,
    }
    if not live:
        return dashboard
    return dashboard | {
        "denial_reasons": denial_reasons(session, tallies["reason"], tallies["reason_rarc"], report_count),
        "denial_categories": simple_breakdown(tallies["category"], report_count,
                                              labels=lambda c: DenialCategory(c).label),
        "payer_types": simple_breakdown(tallies["payer_type"], report_count, labels=lambda p: PayerType(p).label),
        "modifiers": simple_breakdown(tallies["modifier"], report_count),
        "appeal_strategies": appeal_strategies(tallies["appeal"]),
        "median_days_to_resolution": median_days(tallies["days"]),
        "reports_per_month": reports_per_month(tallies["month"]),
        "quotes": approved_quotes(session, conditions),
    }


def compute_dashboard(
    session: Session,
    code: str,
    threshold: int,
    min_contributors: int,
    payer_type: str | None = None,
    state: str | None = None,
) -> dict:
    """The dashboard of one code (or one payer-type/state slice of it) counted from its reports."""
    conditions = report_filter(code, payer_type, state)
    tallies, contributors = full_tallies(session, conditions)
    return dashboard_from_tallies(session, tallies, contributors, conditions, threshold, min_contributors,
                                  {"code": code, "payer_type": payer_type, "state": state})


def incremental_dashboard(session: Session, code: str, threshold: int, min_contributors: int) -> dict:
    """The whole code's dashboard from its incremental tallies: the same as compute_dashboard, at a
    cost that does not grow with the number of reports."""
    tallies, contributors = stored_tallies(session, code)
    return dashboard_from_tallies(session, tallies, contributors, report_filter(code), threshold, min_contributors,
                                  {"code": code, "payer_type": None, "state": None})
