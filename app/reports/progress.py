"""How far a code is from a live dashboard, counted from its accepted reports as they are now."""
from dataclasses import dataclass

import sqlalchemy as sa

from app.enums import ReportStatus
from app.extensions import db
from app.reports.models import DenialReport


@dataclass(frozen=True)
class CodeProgress:
    report_count: int
    contributor_count: int
    threshold: int
    min_contributors: int
    live_since: int | None  # the report with which the dashboard went live

    @property
    def reports_needed(self) -> int:
        return max(0, self.threshold - self.report_count)

    @property
    def contributors_needed(self) -> int:
        return max(0, self.min_contributors - self.contributor_count)

    @property
    def live(self) -> bool:
        return self.live_since is not None


def code_progress(code: str, threshold: int, min_contributors: int) -> CodeProgress:
    """Counts and, once live, the report number at which both the threshold and the contributor
    minimum were first met (reports in the order they were accepted)."""
    accepted = sa.and_(DenialReport.code == code, DenialReport.status == ReportStatus.ACCEPTED)
    reports, contributors = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(sa.distinct(DenialReport.contributor))).where(accepted)).one()
    live_since = None
    if reports >= threshold and contributors >= min_contributors:
        first_reports = (sa.select(sa.func.min(DenialReport.id).label("first")).where(accepted)
                         .group_by(DenialReport.contributor).subquery())
        enough_billers = db.session.scalar(
            sa.select(first_reports.c.first).order_by(first_reports.c.first).offset(min_contributors - 1).limit(1))
        position = db.session.scalar(sa.select(sa.func.count()).where(accepted, DenialReport.id <= enough_billers))
        live_since = max(threshold, position)
    return CodeProgress(reports, contributors, threshold, min_contributors, live_since)
