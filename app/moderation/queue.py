"""What needs a moderator, and what a moderator may do about it. Every action is audited."""
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from app.enums import FlagReason
from app.extensions import db
from app.lookup_errors import Invalid, NotFound
from app.moderation.models import ModerationAction, Moderator, ReportFlag
from app.reference.models import ConversionFactor, FeeScheduleRvu, utcnow
from app.reports.aggregates import enqueue_aggregation
from app.reports.models import DenialReport

#: A denied amount this many times the code's national payment is worth a second look.
OUTLIER_MULTIPLE = Decimal(10)
ACTIONS = ("approve_narrative", "approve_appeal_notes", "hide", "restore", "dismiss_flags")


@dataclass
class ModerationQueue:
    flagged: list[DenialReport] = field(default_factory=list)
    awaiting_approval: list[DenialReport] = field(default_factory=list)
    outliers: list[DenialReport] = field(default_factory=list)
    hidden: list[DenialReport] = field(default_factory=list)


def national_payment_by_code():
    """Each code's national non-facility payment for the latest year, as a subquery."""
    latest = sa.select(sa.func.max(ConversionFactor.year)).scalar_subquery()
    return (
        sa.select(
            FeeScheduleRvu.hcpcs.label("code"),
            ((FeeScheduleRvu.work_rvu + FeeScheduleRvu.non_facility_pe_rvu + FeeScheduleRvu.mp_rvu)
             * ConversionFactor.amount).label("payment"),
        )
        .join(ConversionFactor, ConversionFactor.year == FeeScheduleRvu.year)
        .where(FeeScheduleRvu.year == latest, FeeScheduleRvu.modifier == "")
        .subquery()
    )


def moderation_queue(limit: int = 100) -> ModerationQueue:
    accepted = DenialReport.status == "accepted"
    open_flags = sa.select(ReportFlag.report_id).where(ReportFlag.resolved_at.is_(None))
    payments = national_payment_by_code()
    newest = DenialReport.created_at.desc()
    return ModerationQueue(
        flagged=list(db.session.scalars(sa.select(DenialReport).where(DenialReport.id.in_(open_flags)).order_by(newest).limit(limit))),
        awaiting_approval=list(db.session.scalars(
            sa.select(DenialReport).where(accepted, sa.or_(
                sa.and_(DenialReport.narrative.is_not(None), DenialReport.narrative_approved.is_(False)),
                sa.and_(DenialReport.appeal_notes.is_not(None), DenialReport.appeal_notes_approved.is_(False)),
            )).order_by(newest).limit(limit)
        )),
        outliers=list(db.session.scalars(
            sa.select(DenialReport).join(payments, payments.c.code == DenialReport.code)
            .where(accepted, payments.c.payment > 0, DenialReport.denied_amount > payments.c.payment * OUTLIER_MULTIPLE)
            .order_by(newest).limit(limit)
        )),
        hidden=list(db.session.scalars(sa.select(DenialReport).where(DenialReport.status == "hidden").order_by(newest).limit(limit))),
    )


def open_flag_count(report_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(ReportFlag.report_id == report_id, ReportFlag.resolved_at.is_(None)))


def flag_report(report_id: int, reason: str, contributor: str) -> ReportFlag:
    report = db.session.get(DenialReport, report_id)
    if report is None or report.status != "accepted":
        raise NotFound("report", "No such report.")
    if reason not in {r.value for r in FlagReason}:
        raise Invalid("reason", "Choose one of the listed reasons.")
    flag = ReportFlag(report_id=report.id, reason=reason, contributor=contributor)
    db.session.add(flag)
    db.session.commit()
    return flag


def moderate(moderator: Moderator, report_id: int, action: str, reason: str) -> ModerationAction:
    """Apply one action to a report and write it to the audit table in the same transaction."""
    report = db.session.get(DenialReport, report_id)
    if report is None:
        raise NotFound("report", "No such report.")
    if action not in ACTIONS:
        raise Invalid("action", "Unknown action.")
    reason = (reason or "").strip()
    if action in {"hide", "restore"} and not reason:
        raise Invalid("reason", "Say why: the reason is kept in the audit trail.")
    if action == "approve_narrative":
        report.narrative_approved = True
    elif action == "approve_appeal_notes":
        report.appeal_notes_approved = True
    elif action in {"hide", "restore"}:
        report.status = "hidden" if action == "hide" else "accepted"
    if action in {"hide", "dismiss_flags"}:
        db.session.execute(sa.update(ReportFlag).where(ReportFlag.report_id == report.id, ReportFlag.resolved_at.is_(None))
                           .values(resolved_at=utcnow()))
    report.updated_at = utcnow()  # the sweep sees every moderated report as a change
    entry = ModerationAction(moderator_id=moderator.id, report_id=report.id, action=action, reason=reason[:500])
    db.session.add(entry)
    db.session.commit()
    enqueue_aggregation(report.code)
    return entry
