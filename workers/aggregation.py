"""A code's dashboard, computed by the database (GROUP BY, FILTER, percentiles) from its reports.

`compute_dashboard` runs a handful of aggregate queries, so its cost stays close to theirs
whatever the number of reports; it is what the Celery task calls and what tests exercise.
"""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.enums import AppealOutcome, AppealStrategy, DenialCategory, GroupCode, PayerType
from app.reference.models import AdjustmentReasonCode, RemarkCode
from app.reports.models import DenialReport, ReportModifier, ReportRemarkCode
from workers.statistics import MIN_CELL, appeal_row, ranked_rows

ACCEPTED = "accepted"


def report_filter(code: str, payer_type: str | None = None, state: str | None = None) -> list:
    conditions = [DenialReport.code == code, DenialReport.status == ACCEPTED]
    if payer_type:
        conditions.append(DenialReport.payer_type == PayerType(payer_type))
    if state:
        conditions.append(DenialReport.state == state)
    return conditions


def counts(session: Session, conditions: list) -> tuple[int, int, dt.datetime | None]:
    row = session.execute(
        sa.select(sa.func.count(), sa.func.count(sa.distinct(DenialReport.contributor)),
                  sa.func.max(DenialReport.updated_at)).where(*conditions)
    ).one()
    return row[0], row[1], row[2]


def median_days(session: Session, conditions: list) -> float | None:
    days = DenialReport.days_to_resolution
    where = [*conditions, days.is_not(None)]
    if session.get_bind().dialect.name == "postgresql":
        statement = sa.select(sa.func.percentile_cont(0.5).within_group(days), sa.func.count(days)).where(*where)
        median, n = session.execute(statement).one()
        return float(median) if n >= MIN_CELL else None
    n = session.scalar(sa.select(sa.func.count(days)).where(*where))
    if n < MIN_CELL:
        return None
    middle = sa.select(days).where(*where).order_by(days).limit(2 - n % 2).offset((n - 1) // 2).subquery()
    return float(session.scalar(sa.select(sa.func.avg(middle.c[0]))))


def denial_reasons(session: Session, conditions: list, total: int) -> list[dict]:
    reason_columns = (DenialReport.group_code, DenialReport.carc, DenialReport.denial_category)
    rows = session.execute(
        sa.select(*reason_columns, AdjustmentReasonCode.description, sa.func.count())
        .outerjoin(AdjustmentReasonCode, AdjustmentReasonCode.code == DenialReport.carc)
        .where(*conditions).group_by(*reason_columns, AdjustmentReasonCode.description)
    ).all()
    remarks: dict[tuple, list[dict]] = {}
    for *reason, rarc, description, count in session.execute(
        sa.select(*reason_columns, ReportRemarkCode.rarc, RemarkCode.description, sa.func.count())
        .join(ReportRemarkCode, ReportRemarkCode.report_id == DenialReport.id)
        .outerjoin(RemarkCode, RemarkCode.code == ReportRemarkCode.rarc)
        .where(*conditions).group_by(*reason_columns, ReportRemarkCode.rarc, RemarkCode.description)
    ):
        if count >= MIN_CELL:
            remarks.setdefault(tuple(reason), []).append({"rarc": rarc, "description": description, "count": count})
    return ranked_rows([
        {
            "key": f"{group.value if group else ''}-{carc or ''}-{category.value if category else ''}",
            "group_code": group.value if group else None,
            "carc": carc,
            "carc_description": description,
            "category": category.value if category else None,
            "category_label": category.label if category else None,
            "rarcs": sorted(remarks.get((group, carc, category), []), key=lambda r: -r["count"]),
            "count": count,
        }
        for group, carc, category, description, count in rows
    ], total)


def simple_breakdown(session: Session, conditions: list, column, total: int, labels=None) -> list[dict]:
    rows = session.execute(sa.select(column, sa.func.count()).where(*conditions, column.is_not(None)).group_by(column))
    return ranked_rows([
        {"key": str(getattr(value, "value", value)),
         "label": labels(value) if labels else str(getattr(value, "value", value)), "count": count}
        for value, count in rows
    ], total)


def modifiers(session: Session, conditions: list, total: int) -> list[dict]:
    rows = session.execute(
        sa.select(ReportModifier.modifier, sa.func.count())
        .join(DenialReport, DenialReport.id == ReportModifier.report_id)
        .where(*conditions).group_by(ReportModifier.modifier)
    )
    return ranked_rows([{"key": modifier, "label": modifier, "count": count} for modifier, count in rows], total)


def appeal_strategies(session: Session, conditions: list) -> list[dict]:
    outcome = DenialReport.appeal_outcome

    def tally(value: AppealOutcome):
        return sa.func.count().filter(outcome == value)

    rows = session.execute(
        sa.select(DenialReport.appeal_strategy, sa.func.count(), tally(AppealOutcome.WON),
                  tally(AppealOutcome.PARTIALLY_WON), tally(AppealOutcome.LOST),
                  sa.func.count().filter(sa.or_(outcome == AppealOutcome.PENDING, outcome.is_(None))))
        .where(*conditions, DenialReport.appeal_strategy.is_not(None),
               DenialReport.appeal_strategy != AppealStrategy.NOT_APPEALED)
        .group_by(DenialReport.appeal_strategy)
    ).all()
    results = [appeal_row(strategy.value, *numbers) | {"label": strategy.label} for strategy, *numbers in rows]
    return sorted(results, key=lambda r: (r["success_rate"] is None, -(r["success_rate"] or 0), r["strategy"]))


def reports_per_month(session: Session, conditions: list) -> list[dict]:
    rows = session.execute(
        sa.select(DenialReport.report_month, sa.func.count()).where(*conditions)
        .group_by(DenialReport.report_month).order_by(DenialReport.report_month)
    )
    return [{"month": month} | ranked_rows([{"count": count}], count)[0] for month, count in rows]


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
        .where(*conditions, sa.or_(narrative_ok, notes_ok))
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


def compute_dashboard(
    session: Session,
    code: str,
    threshold: int,
    min_contributors: int,
    payer_type: str | None = None,
    state: str | None = None,
) -> dict:
    """The dashboard of one code (or one payer-type/state slice of it), suppression applied."""
    conditions = report_filter(code, payer_type, state)
    report_count, contributor_count, newest = counts(session, conditions)
    live = report_count >= threshold and contributor_count >= min_contributors
    dashboard = {
        "code": code,
        "live": live,
        "report_count": report_count,
        "contributor_count": contributor_count,
        "threshold": threshold,
        "min_contributors": min_contributors,
        "reports_needed": max(0, threshold - report_count),
        "contributors_needed": max(0, min_contributors - contributor_count),
        "slice": {"payer_type": payer_type, "state": state},
        "reports_through": newest.isoformat() if newest else None,
    }
    if not live:
        return dashboard
    return dashboard | {
        "denial_reasons": denial_reasons(session, conditions, report_count),
        "denial_categories": simple_breakdown(session, conditions, DenialReport.denial_category, report_count,
                                              labels=lambda c: DenialCategory(c).label),
        "payer_types": simple_breakdown(session, conditions, DenialReport.payer_type, report_count,
                                        labels=lambda p: PayerType(p).label),
        "modifiers": modifiers(session, conditions, report_count),
        "appeal_strategies": appeal_strategies(session, conditions),
        "median_days_to_resolution": median_days(session, conditions),
        "reports_per_month": reports_per_month(session, conditions),
        "quotes": approved_quotes(session, conditions),
    }
