"""Taking a report in and recording its appeal later. The report is committed before anything else."""
import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from app.enums import ReportStatus
from app.extensions import db
from app.lookup_errors import LookupFailed, NotFound
from app.reference.models import utcnow
from app.reports.tallies import accepted_report_count
from app.reports.models import DenialReport, ReportModifier, ReportRemarkCode, ReportSubmission
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


@dataclass(frozen=True)
class BatchItem:
    """One report of a batch: its receipt, or None when that submission was already recorded."""

    index: int
    code: str
    submitted: SubmittedReport | None


def receipt_hash(receipt: str) -> str:
    return hashlib.sha256(receipt.encode()).hexdigest()


def keyed(*parts: str) -> str:
    """A keyed hash, so a stored key says nothing about the token or body it came from."""
    message = "\x1f".join(parts).encode()
    return hmac.new(current_app.config["CONTRIBUTOR_SECRET"].encode(), message, hashlib.sha256).hexdigest()


def submission_keys(items: list[dict], contributor: str, idempotency_key: str | None) -> list[tuple[str, dt.datetime | None]]:
    """The key each report is stored under (see the README's "Counting honestly").

    A report's own `submission_token` (a form's one-time token, a remittance draft's token) counts
    once whoever sends it; an Idempotency-Key header counts once per contributor (clients choose
    those keys, so two clients may pick the same one). Without either, the same body from the same
    contributor within DOUBLE_SUBMIT_SECONDS is a double submission, and after that a new report.
    """
    body = json.dumps(items, sort_keys=True, default=str)
    expires = utcnow() + dt.timedelta(seconds=current_app.config["DOUBLE_SUBMIT_SECONDS"])
    keys = []
    for index, item in enumerate(items):
        if item.get("submission_token"):
            keys.append((keyed("token", item["submission_token"]), None))
        elif idempotency_key:
            keys.append((keyed("idempotency", contributor, idempotency_key, str(index)), None))
        else:
            keys.append((keyed("body", contributor, body, str(index)), expires))
    return keys


def new_report(data: dict, contributor: str, receipt: str) -> DenialReport:
    # A CARC that names a category stores it, so its reports count in that category too.
    data = data | {"denial_category": data.get("denial_category") or implied_category(data.get("carc"))}
    return DenialReport(
        **{name: data.get(name) for name in REPORT_FIELDS},
        report_month=data.get("denial_month") or utcnow().strftime("%Y-%m"),
        contributor=contributor,
        receipt_hash=receipt_hash(receipt),
        modifiers=[ReportModifier(modifier=m) for m in data.get("modifiers", [])],
        remark_codes=[ReportRemarkCode(rarc=r) for r in dict.fromkeys(data.get("rarc", []))],
    )


@dataclass(frozen=True)
class StoredReport:
    index: int
    id: int
    code: str
    receipt: str


def store_reports(items: list[dict], contributor: str, keys: list[tuple[str, dt.datetime | None]]) -> list[StoredReport]:
    """Insert the reports whose key is not taken, in one transaction; the key's unique constraint
    makes two simultaneous identical submissions store one report (the loser retries and sees it)."""
    wanted = [key for key, _ in keys]
    for attempt in range(3):
        try:
            db.session.execute(sa.delete(ReportSubmission).where(
                ReportSubmission.key.in_(wanted), ReportSubmission.expires_at < utcnow()))
            taken = set(db.session.scalars(sa.select(ReportSubmission.key).where(ReportSubmission.key.in_(wanted))))
            added = []
            for index, (item, (key, expires)) in enumerate(zip(items, keys)):
                if key in taken:
                    continue
                receipt = secrets.token_urlsafe(18)
                report = new_report(item, contributor, receipt)
                db.session.add(ReportSubmission(key=key, report=report, expires_at=expires))
                added.append((index, report, receipt))
            db.session.flush()
            stored = [StoredReport(index, report.id, report.code, receipt) for index, report, receipt in added]
            db.session.commit()
            return stored
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
    return []


def submit_report(data: dict, contributor: str, idempotency_key: str | None = None) -> SubmittedReport:
    """Store a validated report. Raises DuplicateReport."""
    stored = store_reports([data], contributor, submission_keys([data], contributor, idempotency_key))
    if not stored:
        raise DuplicateReport("report", "This submission was already recorded: it counts once.")
    (report,) = stored
    count = accepted_report_count(report.code)
    return SubmittedReport(report.id, report.receipt, report.code, count, current_app.config["AGGREGATION_THRESHOLD"])


def submit_reports(items: list[dict], contributor: str, idempotency_key: str | None = None) -> list[BatchItem]:
    """Store a validated batch at once; already recorded submissions are answered as such."""
    stored = {report.index: report for report in
              store_reports(items, contributor, submission_keys(items, contributor, idempotency_key))}
    codes = {report.code for report in stored.values()}
    counts = {code: accepted_report_count(code) for code in codes}
    threshold = current_app.config["AGGREGATION_THRESHOLD"]
    results = []
    for index, item in enumerate(items):
        if report := stored.get(index):
            results.append(BatchItem(index, report.code, SubmittedReport(
                report.id, report.receipt, report.code, counts[report.code], threshold)))
        else:
            results.append(BatchItem(index, item["code"], None))
    return results


def record_appeal(receipt: str, data: dict) -> DenialReport:
    """Add the appeal's outcome to the report this receipt was given for."""
    report = db.session.scalar(sa.select(DenialReport).where(DenialReport.receipt_hash == receipt_hash(receipt)))
    if report is None or report.status != ReportStatus.ACCEPTED:
        raise NotFound("receipt", "No report has this receipt.")
    for name in APPEAL_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    if "appeal_notes" in data:
        report.appeal_notes_approved = False  # new text waits for a moderator again
    report.updated_at = utcnow()
    db.session.commit()
    return report
