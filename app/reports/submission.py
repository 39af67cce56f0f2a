"""Taking a report in and recording its appeal later. The report is committed before anything else."""
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.lookup_errors import LookupFailed, NotFound
from app.reference.models import utcnow
from app.reports.aggregates import accepted_report_count, enqueue_aggregation
from app.reports.models import DenialReport, ReportModifier, ReportRemarkCode
from app.reports.rules import implied_category

REPORT_FIELDS = (
    "code", "units", "payer_type", "payer_name", "state", "setting", "place_of_service", "group_code", "carc",
    "denial_category", "denial_month", "denied_amount", "narrative", "appeal_strategy", "appeal_outcome",
    "appeal_notes", "days_to_resolution",
)
APPEAL_FIELDS = ("appeal_strategy", "appeal_outcome", "appeal_notes", "days_to_resolution")


class DuplicateReport(LookupFailed):
    status = 409


@dataclass(frozen=True)
class SubmittedReport:
    id: int
    receipt: str
    code: str
    report_count: int
    threshold: int


def receipt_hash(receipt: str) -> str:
    return hashlib.sha256(receipt.encode()).hexdigest()


def find_duplicate(data: dict, contributor: str) -> DenialReport | None:
    """The same contributor reporting the same denial of the same code within the window."""
    since = utcnow() - dt.timedelta(hours=current_app.config["DUPLICATE_WINDOW_HOURS"])
    candidates = db.session.scalars(sa.select(DenialReport).where(
        DenialReport.contributor == contributor,
        DenialReport.code == data["code"],
        DenialReport.created_at >= since,
        DenialReport.group_code.is_(None) if data.get("group_code") is None else DenialReport.group_code == data["group_code"],
        DenialReport.carc.is_(None) if data.get("carc") is None else DenialReport.carc == data["carc"],
        DenialReport.denial_category.is_(None) if data.get("denial_category") is None
        else DenialReport.denial_category == data["denial_category"],
    ))
    wanted = set(data.get("modifiers", []))
    return next((report for report in candidates if {m.modifier for m in report.modifiers} == wanted), None)


def submit_report(data: dict, contributor: str) -> SubmittedReport:
    """Store a validated report, then ask for its code's aggregation. Raises DuplicateReport."""
    # A CARC that names a category stores it, so its reports count in that category too.
    data = data | {"denial_category": data.get("denial_category") or implied_category(data.get("carc"))}
    if find_duplicate(data, contributor):
        raise DuplicateReport("report", "You already reported this denial for this code today.")
    receipt = secrets.token_urlsafe(18)
    report = DenialReport(
        **{name: data.get(name) for name in REPORT_FIELDS},
        report_month=data.get("denial_month") or utcnow().strftime("%Y-%m"),
        contributor=contributor,
        receipt_hash=receipt_hash(receipt),
        modifiers=[ReportModifier(modifier=m) for m in data.get("modifiers", [])],
        remark_codes=[ReportRemarkCode(rarc=r) for r in dict.fromkeys(data.get("rarc", []))],
    )
    db.session.add(report)
    db.session.flush()
    report_id, code = report.id, report.code
    db.session.commit()
    count = accepted_report_count(code)
    enqueue_aggregation(code)
    return SubmittedReport(report_id, receipt, code, count, current_app.config["AGGREGATION_THRESHOLD"])


def record_appeal(receipt: str, data: dict) -> DenialReport:
    """Add the appeal's outcome to the report this receipt was given for."""
    report = db.session.scalar(sa.select(DenialReport).where(DenialReport.receipt_hash == receipt_hash(receipt)))
    if report is None or report.status != "accepted":
        raise NotFound("receipt", "No report has this receipt.")
    for name in APPEAL_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    if "appeal_notes" in data:
        report.appeal_notes_approved = False  # new text waits for a moderator again
    report.updated_at = utcnow()
    db.session.commit()
    enqueue_aggregation(report.code)
    return report
