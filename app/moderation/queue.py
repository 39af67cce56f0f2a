"""What needs a moderator, and what a moderator may do about it. Every action is audited."""
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from app.enums import FlagReason, LabelledEnum, ReportStatus, Setting
from app.extensions import db
from app.lookup_errors import Invalid, NotFound
from app.moderation.models import ModerationAction, Moderator, ReportFlag
from app.payment.estimates import national_amount
from app.reference.models import utcnow
from app.reports.models import CodeAggregate, DenialReport

#: A denied amount this many times the code's national payment is worth a second look.
OUTLIER_MULTIPLE = Decimal(10)


class Action(LabelledEnum):
    APPROVE_NARRATIVE = "approve_narrative", "Approve the narrative for display"
    APPROVE_APPEAL_NOTES = "approve_appeal_notes", "Approve the appeal notes for display"
    HIDE = "hide", "Hide the report"
    RESTORE = "restore", "Restore the report"
    DISMISS_FLAGS = "dismiss_flags", "Dismiss the readers' flags"


@dataclass
class ModerationCard:
    """One report as a moderator sees it: the actions that would change it and why readers flagged it."""
    report: DenialReport
    actions: list[Action]
    flag_reasons: list[str]


@dataclass
class ModerationQueue:
    flagged: list[ModerationCard] = field(default_factory=list)
    awaiting_approval: list[ModerationCard] = field(default_factory=list)
    outliers: list[ModerationCard] = field(default_factory=list)
    hidden: list[ModerationCard] = field(default_factory=list)

    def sections(self) -> list[tuple[str, list[ModerationCard]]]:
        return [
            ("Flagged by readers", self.flagged),
            ("Free text awaiting approval", self.awaiting_approval),
            ("Statistical outliers (denied amount far above the code's payment)", self.outliers),
            ("Hidden reports", self.hidden),
        ]


def outlier_thresholds() -> dict[str, Decimal]:
    """For each code with a denied amount on file, the amount above which a report of it is an
    outlier: OUTLIER_MULTIPLE times its national non-facility payment, priced by app.payment."""
    codes = db.session.scalars(sa.select(DenialReport.code).distinct().where(
        DenialReport.status == ReportStatus.ACCEPTED, DenialReport.denied_amount.is_not(None)))
    payments = {code: national_amount(code, Setting.NON_FACILITY) for code in codes}
    return {code: payment * OUTLIER_MULTIPLE for code, payment in payments.items() if payment}


def far_above_payment():
    """A report's denied amount is above its code's outlier threshold (no threshold: never)."""
    thresholds = outlier_thresholds()
    if not thresholds:
        return sa.false()
    return DenialReport.denied_amount > sa.case(thresholds, value=DenialReport.code)


def moderation_queue(limit: int = 100) -> ModerationQueue:
    accepted = DenialReport.status == ReportStatus.ACCEPTED
    open_flags = sa.select(ReportFlag.report_id).where(ReportFlag.resolved_at.is_(None))
    newest = DenialReport.created_at.desc()
    sections = {
        "flagged": sa.select(DenialReport).where(DenialReport.id.in_(open_flags)),
        "awaiting_approval": sa.select(DenialReport).where(accepted, sa.or_(
            sa.and_(DenialReport.narrative.is_not(None), DenialReport.narrative_approved.is_(False)),
            sa.and_(DenialReport.appeal_notes.is_not(None), DenialReport.appeal_notes_approved.is_(False)),
        )),
        "outliers": sa.select(DenialReport).where(accepted, far_above_payment()),
        "hidden": sa.select(DenialReport).where(DenialReport.status == ReportStatus.HIDDEN),
    }
    reports = {name: list(db.session.scalars(query.order_by(newest).limit(limit))) for name, query in sections.items()}
    flags = open_flags_by_report(list({r.id for listed in reports.values() for r in listed}))
    return ModerationQueue(**{
        name: [ModerationCard(r, applicable_actions(r, r.id in flags), flags.get(r.id, [])) for r in listed]
        for name, listed in reports.items()
    })


def open_flags_by_report(report_ids: list[int]) -> dict[int, list[str]]:
    """The reasons of each report's unresolved reader flags, for the moderator's cards."""
    reasons: dict[int, list[str]] = {}
    rows = db.session.execute(
        sa.select(ReportFlag.report_id, ReportFlag.reason)
        .where(ReportFlag.report_id.in_(report_ids), ReportFlag.resolved_at.is_(None))
        .order_by(ReportFlag.id)
    )
    for report_id, reason in rows:
        reasons.setdefault(report_id, []).append(FlagReason(reason).label)
    return reasons


def applicable_actions(report: DenialReport, has_open_flags: bool) -> list[str]:
    """The actions that would change something on this report, in the order the page offers them."""
    accepted = report.status == ReportStatus.ACCEPTED
    applicable = {
        Action.APPROVE_NARRATIVE: accepted and bool(report.narrative) and not report.narrative_approved,
        Action.APPROVE_APPEAL_NOTES: accepted and bool(report.appeal_notes) and not report.appeal_notes_approved,
        Action.HIDE: accepted,
        Action.RESTORE: report.status == ReportStatus.HIDDEN,
        Action.DISMISS_FLAGS: has_open_flags,
    }
    return [action for action, applies in applicable.items() if applies]


def withdraw_quotes(report: DenialReport) -> None:
    """Take a report's text off its code's dashboard now, not at the next aggregation: the
    approvals are revoked and the stored dashboard loses the report's quotes in this transaction."""
    report.narrative_approved = False
    report.appeal_notes_approved = False
    report.updated_at = utcnow()
    aggregate = db.session.get(CodeAggregate, report.code, with_for_update=True)
    if aggregate is not None and any(q["report_id"] == report.id for q in aggregate.dashboard.get("quotes", [])):
        quotes = [q for q in aggregate.dashboard["quotes"] if q["report_id"] != report.id]
        aggregate.dashboard = aggregate.dashboard | {"quotes": quotes}
        aggregate.version += 1


def flag_report(report_id: int, reason: str, contributor: str) -> ReportFlag:
    """Record a reader's flag. A flag for patient information hides the quoted text at once,
    pending a moderator's review; other flags wait for the moderator."""
    report = db.session.get(DenialReport, report_id)
    if report is None or report.status != ReportStatus.ACCEPTED:
        raise NotFound("report", "No such report.")
    if reason not in {r.value for r in FlagReason}:
        raise Invalid("reason", "Choose one of the listed reasons.")
    flag = ReportFlag(report_id=report.id, reason=reason, contributor=contributor)
    db.session.add(flag)
    if reason == FlagReason.PATIENT_INFORMATION:
        withdraw_quotes(report)
    db.session.commit()
    return flag


def apply_action(report: DenialReport, action: Action) -> None:
    if action == Action.APPROVE_NARRATIVE:
        report.narrative_approved = True
    elif action == Action.APPROVE_APPEAL_NOTES:
        report.appeal_notes_approved = True
    elif action in {Action.HIDE, Action.RESTORE}:
        report.status = ReportStatus.HIDDEN if action == Action.HIDE else ReportStatus.ACCEPTED
    if action in {Action.HIDE, Action.DISMISS_FLAGS}:
        db.session.execute(sa.update(ReportFlag).where(ReportFlag.report_id == report.id, ReportFlag.resolved_at.is_(None))
                           .values(resolved_at=utcnow()))


def moderate(moderator: Moderator, report_id: int, actions: list[str], reason: str) -> list[ModerationAction]:
    """Apply several actions to one report, each audited with the moderator's reason, in one
    transaction. Every action needs a reason; an action that would change nothing is refused."""
    report = db.session.get(DenialReport, report_id)
    if report is None:
        raise NotFound("report", "No such report.")
    if not actions:
        raise Invalid("actions", "Choose at least one action.")
    unknown = [a for a in actions if a not in set(Action)]
    if unknown:
        raise Invalid("actions", "Unknown action.")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("reason", "Say why: the reason is kept in the audit trail.")
    applicable = applicable_actions(report, open_flag_count(report.id) > 0)
    not_applicable = [Action(a).label for a in actions if a not in applicable]
    if not_applicable:
        raise Invalid("actions", f"Nothing to do for report {report.id}: {', '.join(not_applicable)} would change nothing.")
    entries = []
    for action in sorted({Action(a) for a in actions}, key=list(Action).index):
        apply_action(report, action)
        entries.append(ModerationAction(moderator_id=moderator.id, report_id=report.id, action=action.value,
                                        reason=reason[:500]))
    report.updated_at = utcnow()  # the sweep sees every moderated report as a change
    db.session.add_all(entries)
    db.session.commit()
    return entries


def open_flag_count(report_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(ReportFlag.report_id == report_id, ReportFlag.resolved_at.is_(None)))
