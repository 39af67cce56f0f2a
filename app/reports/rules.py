"""What makes a report acceptable: known codes, real CARC/RARC, a denial rather than a paid claim."""
import datetime as dt

import sqlalchemy as sa

from app.extensions import db
from app.reference.memo import memoised
from app.reference.models import AdjustmentReasonCode, CatalogCode, FeeScheduleRvu, RemarkCode

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
    "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU AS MP".split()
)

#: Adjustments that are part of a paid claim, with the reason in the biller's words.
NOT_DENIALS = {
    ("PR", "1"): "PR-1 is the patient's deductible: the claim was processed and the patient owes this amount.",
    ("PR", "2"): "PR-2 is coinsurance: the claim was processed and the patient owes their share.",
    ("PR", "3"): "PR-3 is a copay: the claim was processed and the patient owes the copayment.",
    ("CO", "45"): "CO-45 alone is the contractual write-off between your charge and the allowed amount: the claim was paid.",
}


def is_known_code(code: str) -> bool:
    """A code is known when our catalog or any loaded fee schedule year lists it."""
    def lookup() -> bool:
        if db.session.get(CatalogCode, code) is not None:
            return True
        return bool(db.session.scalar(sa.select(sa.exists().where(FeeScheduleRvu.hcpcs == code))))

    return memoised("is_known_code", (code,), lookup)


def not_a_denial(group_code: str | None, carc: str | None) -> str | None:
    return NOT_DENIALS.get((group_code or "", carc or ""))


def _active(model, code: str, today: dt.date) -> bool:
    row = db.session.get(model, code)
    return row is not None and (row.stop_date is None or row.stop_date >= today)


def is_valid_carc(code: str, today: dt.date | None = None) -> bool:
    return _active(AdjustmentReasonCode, code, today or dt.date.today())


def is_valid_rarc(code: str, today: dt.date | None = None) -> bool:
    return _active(RemarkCode, code, today or dt.date.today())
