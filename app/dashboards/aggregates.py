"""Keeping each code's stored dashboard in step with its reports.

A change to a report marks its code dirty in the same transaction (app/reports/tallies.py). Only
the request that set the mark sends a message (app/background.py), so a code has at most one
pending aggregation however many reports arrive; the aggregation takes the mark and builds the
dashboard from the incremental tallies, in one transaction. The sweep re-runs codes whose mark outlived a lost
message, and the tally check compares the tallies with a full count from the reports.
"""
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.dashboards.change_log import record_changes
from app.reference.models import utcnow
from app.reports.models import AggregationMark, CodeAggregate, DenialReport
from app.reports.tallies import (
    MARK_GRACE, full_tallies, replace_tallies, stored_contributor_tallies, stored_tallies,
)
from app.dashboards.compute import incremental_dashboard, report_filter

SWEEP_BATCH = 500


def lock_aggregate(code: str) -> CodeAggregate:
    """Create the row if needed and lock it, so concurrent aggregations of one code take turns."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    db.session.execute(dialect.insert(CodeAggregate).values(
        code=code, report_count=0, contributor_count=0, live=False, dashboard={}, computed_at=utcnow(), version=0,
    ).on_conflict_do_nothing(index_elements=["code"]))
    return db.session.scalars(
        sa.select(CodeAggregate).where(CodeAggregate.code == code).with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def take_mark(code: str) -> bool:
    return db.session.execute(sa.delete(AggregationMark).where(AggregationMark.code == code)).rowcount > 0


def refresh_aggregate(code: str, only_if_marked: bool = False) -> CodeAggregate | None:
    """Rebuild one code's dashboard from its tallies and replace the stored one in a single transaction.

    The mark is taken in the same transaction: a crash before the commit leaves both the previous
    aggregate and the mark, so a redelivered message or the sweep redoes it. With ``only_if_marked``
    (the task) a code whose mark another run already took is left alone: that run saw this change.
    """
    try:
        aggregate = lock_aggregate(code)
        if not take_mark(code) and only_if_marked:
            db.session.rollback()
            return None
        dashboard = incremental_dashboard(
            db.session, code, current_app.config["AGGREGATION_THRESHOLD"], current_app.config["MIN_CONTRIBUTORS"]
        )
        record_changes(db.session, code, aggregate.dashboard, dashboard)
        aggregate.report_count = dashboard["report_count"]
        aggregate.contributor_count = dashboard["contributor_count"]
        aggregate.live = dashboard["live"]
        aggregate.computed_at = utcnow()
        aggregate.dashboard = dashboard | {"computed_at": aggregate.computed_at.isoformat() + "Z"}
        aggregate.reports_through = db.session.scalar(
            sa.select(sa.func.max(DenialReport.updated_at)).where(DenialReport.code == code))
        aggregate.version += 1
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return aggregate


def overdue_marks(limit: int = SWEEP_BATCH) -> list[str]:
    """Codes marked dirty longer ago than a message takes: their message was lost."""
    return list(db.session.scalars(
        sa.select(AggregationMark.code).where(AggregationMark.marked_at < utcnow() - MARK_GRACE)
        .order_by(AggregationMark.marked_at).limit(limit)
    ))


def nonzero(tallies: dict) -> dict:
    cells = {(dimension, key): count for dimension, counter in tallies.items() for key, count in counter.items()}
    return {cell: count for cell, count in cells.items() if count}


def check_tallies(code: str) -> bool:
    """Compare a code's incremental tallies with a full count from its reports; repair a difference.

    Returns True when they agreed. Both are read in one snapshot on PostgreSQL (REPEATABLE READ), so
    reports committed meanwhile cannot make them differ; the repair locks out tally writers briefly.
    """
    postgres = db.session.get_bind().dialect.name == "postgresql"
    db.session.rollback()
    if postgres:
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    full, _contributors = full_tallies(db.session, report_filter(code))
    stored, _count = stored_tallies(db.session, code)
    stored["contributor"] = stored_contributor_tallies(db.session, code)
    agreed = nonzero(full) == nonzero(stored)
    db.session.rollback()
    if agreed:
        return True
    current_app.logger.warning("tallies of %s differed from its reports; recounted", code)
    if postgres:
        db.session.execute(sa.text("LOCK TABLE report_tally IN EXCLUSIVE MODE"))
    replace_tallies(db.session, code, full_tallies(db.session, report_filter(code))[0])
    db.session.commit()
    return False


def reported_codes() -> list[str]:
    return list(db.session.scalars(sa.select(DenialReport.code).distinct().order_by(DenialReport.code)))
