"""Keeping each code's stored dashboard in step with its reports."""
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.following.models import record_changes
from app.reference.models import utcnow
from app.reports.models import CodeAggregate, DenialReport
from app.toolkit.builds import enqueue_rebuild
from workers.aggregation import compute_dashboard

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


def refresh_aggregate(code: str) -> CodeAggregate:
    """Recompute one code's dashboard and replace the stored one in a single transaction.

    Idempotent: running it twice, or twice at once, ends with the same aggregate. A crash before
    the commit leaves the previous aggregate as it was.
    """
    try:
        aggregate = lock_aggregate(code)
        # Every report counts here, hidden ones too: hiding a report is a change the aggregate must see.
        newest = db.session.scalar(sa.select(sa.func.max(DenialReport.updated_at)).where(DenialReport.code == code))
        dashboard = compute_dashboard(
            db.session, code, current_app.config["AGGREGATION_THRESHOLD"], current_app.config["MIN_CONTRIBUTORS"]
        )
        record_changes(db.session, code, aggregate.dashboard, dashboard)
        aggregate.report_count = dashboard["report_count"]
        aggregate.contributor_count = dashboard["contributor_count"]
        aggregate.live = dashboard["live"]
        aggregate.computed_at = utcnow()
        aggregate.dashboard = dashboard | {"computed_at": aggregate.computed_at.isoformat() + "Z"}
        aggregate.reports_through = newest
        aggregate.version += 1
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    enqueue_rebuild(code)  # the code's toolkit PDF is stale now
    return aggregate


def stale_codes(limit: int = SWEEP_BATCH) -> list[str]:
    """Codes whose stored aggregate is older than their newest report (or that have none)."""
    newest = (
        sa.select(DenialReport.code, sa.func.max(DenialReport.updated_at).label("newest"))
        .group_by(DenialReport.code).subquery()
    )
    statement = (
        sa.select(newest.c.code)
        .outerjoin(CodeAggregate, CodeAggregate.code == newest.c.code)
        .where(sa.or_(CodeAggregate.reports_through.is_(None), CodeAggregate.reports_through < newest.c.newest))
        .order_by(newest.c.code).limit(limit)
    )
    return list(db.session.scalars(statement))


AGGREGATE_TASK = "workers.tasks.aggregate_code"


def enqueue_aggregation(code: str) -> bool:
    """Ask a worker to refresh the code. The report is already committed: a failure is only logged."""
    try:
        current_app.extensions["celery"].send_task(AGGREGATE_TASK, args=[code])
        return True
    except Exception:  # any broker failure; the sweep recomputes the code later
        current_app.logger.warning("could not enqueue aggregation of %s; the sweep will catch up", code)
        return False
