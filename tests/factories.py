"""Reports for tests, written straight to the database (the API path has its own tests)."""
import itertools

from app.enums import AppealOutcome, AppealStrategy, DenialCategory, GroupCode, PayerType, ReportStatus
from app.extensions import db
from app.reports.models import DenialReport, ReportModifier, ReportRemarkCode

_receipts = itertools.count()


def make_report(code="20553", contributor="c1", payer_type=PayerType.MEDICARE, group_code=GroupCode.CO, carc="97",
                category=DenialCategory.BUNDLING, modifiers=(), rarcs=(), strategy=None, outcome=None,
                days=None, month="2026-08", state="TX", status=ReportStatus.ACCEPTED, commit=True, **fields) -> DenialReport:
    report = DenialReport(
        code=code, contributor=contributor, payer_type=payer_type, group_code=group_code, carc=carc,
        denial_category=category, appeal_strategy=strategy, appeal_outcome=outcome, days_to_resolution=days,
        denial_month=month, report_month=month, state=state, status=status,
        receipt_hash=f"receipt-{next(_receipts)}",
        modifiers=[ReportModifier(modifier=m) for m in modifiers],
        remark_codes=[ReportRemarkCode(rarc=r) for r in rarcs],
        **fields,
    )
    db.session.add(report)
    if commit:
        db.session.commit()
    return report


def make_reports(count: int, contributors: int, **fields) -> list[DenialReport]:
    reports = [make_report(contributor=f"c{i % contributors}", commit=False, **fields) for i in range(count)]
    db.session.commit()
    return reports


__all__ = ["make_report", "make_reports", "AppealOutcome", "AppealStrategy", "DenialCategory", "GroupCode", "PayerType"]
