"""Denial reports (the source of truth) and the per-code aggregates derived from them."""
import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.enums import AppealOutcome, AppealStrategy, DenialCategory, GroupCode, PayerType, ReportStatus, Setting
from app.extensions import db
from app.reference.models import utcnow


def enum_column(enum_class, nullable: bool = True, length: int = 30, **kwargs):
    """Store the enum's value as a checked string, so SQLite and PostgreSQL hold the same thing."""
    return so.mapped_column(
        sa.Enum(enum_class, values_callable=lambda members: [m.value for m in members],
                native_enum=False, length=length, validate_strings=True),
        nullable=nullable, active_history=True, **kwargs,
    )


class DenialReport(db.Model):
    __table_args__ = (
        sa.Index("ix_denial_report_code_status", "code", "status"),
        # The newest change of a code, and its approved quotes, without reading every report of the code.
        sa.Index("ix_denial_report_code_updated_at", "code", "updated_at"),
        sa.Index("ix_denial_report_code_quotable", "code", "updated_at",
                 postgresql_where=sa.text("narrative_approved OR appeal_notes_approved"),
                 sqlite_where=sa.text("narrative_approved OR appeal_notes_approved")),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # Counted fields load their old value when changed: a change moves the report between tallies.
    code: so.Mapped[str] = so.mapped_column(sa.String(5), active_history=True)
    units: so.Mapped[int | None]
    payer_type: so.Mapped[PayerType] = enum_column(PayerType, nullable=False)
    payer_name: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    state: so.Mapped[str | None] = so.mapped_column(sa.String(2))
    setting: so.Mapped[Setting | None] = enum_column(Setting)
    place_of_service: so.Mapped[str | None] = so.mapped_column(sa.String(2))
    group_code: so.Mapped[GroupCode | None] = enum_column(GroupCode)
    carc: so.Mapped[str | None] = so.mapped_column(sa.String(5), active_history=True)
    denial_category: so.Mapped[DenialCategory | None] = enum_column(DenialCategory)
    denial_month: so.Mapped[str | None] = so.mapped_column(sa.String(7))
    report_month: so.Mapped[str] = so.mapped_column(sa.String(7), active_history=True)
    denied_amount: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(10, 2))
    narrative: so.Mapped[str | None] = so.mapped_column(sa.Text)
    narrative_approved: so.Mapped[bool] = so.mapped_column(default=False)
    appeal_strategy: so.Mapped[AppealStrategy | None] = enum_column(AppealStrategy)
    appeal_outcome: so.Mapped[AppealOutcome | None] = enum_column(AppealOutcome)
    appeal_notes: so.Mapped[str | None] = so.mapped_column(sa.Text)
    appeal_notes_approved: so.Mapped[bool] = so.mapped_column(default=False)
    days_to_resolution: so.Mapped[int | None] = so.mapped_column(active_history=True)
    contributor: so.Mapped[str] = so.mapped_column(sa.String(64), index=True, active_history=True)
    receipt_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    status: so.Mapped[ReportStatus] = enum_column(ReportStatus, nullable=False, length=10, default=ReportStatus.ACCEPTED)
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow)
    updated_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow, index=True)

    modifiers: so.Mapped[list["ReportModifier"]] = so.relationship(cascade="all, delete-orphan", lazy="selectin")
    remark_codes: so.Mapped[list["ReportRemarkCode"]] = so.relationship(cascade="all, delete-orphan", lazy="selectin")


class ReportModifier(db.Model):
    """One modifier on a report's claim line (a row each, so the database can count them)."""

    report_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(DenialReport.id, ondelete="CASCADE"), primary_key=True)
    modifier: so.Mapped[str] = so.mapped_column(sa.String(2), primary_key=True)


class ReportRemarkCode(db.Model):
    report_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(DenialReport.id, ondelete="CASCADE"), primary_key=True)
    rarc: so.Mapped[str] = so.mapped_column(sa.String(6), primary_key=True)


class ReportSubmission(db.Model):
    """A keyed hash of one submission's token, unique: the same submission twice stores one report.

    Tokens come from the client (a form's one-time token, an Idempotency-Key header, a remittance
    draft's token derived from the file's anonymous content) or, without one, from the body itself
    for a few seconds (a double click). Nothing of a patient or a claim goes into any of them.
    """

    key: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    report_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(DenialReport.id, ondelete="CASCADE"), index=True)
    expires_at: so.Mapped[dt.datetime | None]  # None: kept as long as the report

    report: so.Mapped[DenialReport] = so.relationship()


class CodeAggregate(db.Model):
    """The live dashboard of one code, replaced whole by each aggregation."""

    code: so.Mapped[str] = so.mapped_column(sa.String(5), primary_key=True)
    report_count: so.Mapped[int] = so.mapped_column(default=0)
    contributor_count: so.Mapped[int] = so.mapped_column(default=0)
    live: so.Mapped[bool] = so.mapped_column(default=False)
    dashboard: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    reports_through: so.Mapped[dt.datetime | None]
    computed_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow)
    version: so.Mapped[int] = so.mapped_column(default=0)


class AggregationMark(db.Model):
    """A code whose stored dashboard lags its reports: set with the report's change, taken by the aggregation.

    At most one per code, so a burst of reports for one code costs one or two aggregations.
    """

    code: so.Mapped[str] = so.mapped_column(sa.String(5), primary_key=True)
    marked_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow, index=True)


class ReportTally(db.Model):
    """How many accepted reports of a code fall in one dashboard cell (see app/reports/tallies.py)."""

    code: so.Mapped[str] = so.mapped_column(sa.String(5), primary_key=True)
    dimension: so.Mapped[str] = so.mapped_column(sa.String(12), primary_key=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(120), primary_key=True)
    count: so.Mapped[int] = so.mapped_column(default=0)
