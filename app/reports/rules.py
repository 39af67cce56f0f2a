"""What makes a report acceptable: known codes, real CARC/RARC, a denial rather than a paid claim."""
import datetime as dt

import sqlalchemy as sa

from app.enums import DenialCategory
from app.extensions import db
from app.reference.cache import cached_reference
from app.reference.models import AdjustmentReasonCode, CatalogCode, FeeScheduleRvu, RemarkCode

#: Adjustments that are part of a paid claim, with the reason in the biller's words.
NOT_DENIALS = {
    ("PR", "1"): "PR-1 is the patient's deductible: the claim was processed and the patient owes this amount.",
    ("PR", "2"): "PR-2 is coinsurance: the claim was processed and the patient owes their share.",
    ("PR", "3"): "PR-3 is a copay: the claim was processed and the patient owes the copayment.",
    ("CO", "45"): "CO-45 alone is the contractual write-off between your charge and the allowed amount: the claim was paid.",
}

#: CARCs whose X12 description names one denial category (data/carc_rarc/carc.csv); other CARCs imply none.
CARC_CATEGORIES = {
    "4": DenialCategory.MODIFIER,  # inconsistent with the modifier used, or a required modifier is missing
    "11": DenialCategory.CODING,  # the diagnosis is inconsistent with the procedure
    "18": DenialCategory.DUPLICATE,  # exact duplicate claim/service
    "26": DenialCategory.ELIGIBILITY,  # expenses incurred prior to coverage
    "27": DenialCategory.ELIGIBILITY,  # expenses incurred after coverage terminated
    "29": DenialCategory.TIMELY_FILING,  # the time limit for filing has expired
    "50": DenialCategory.MEDICAL_NECESSITY,  # not deemed a 'medical necessity' by the payer
    "97": DenialCategory.BUNDLING,  # included in the allowance for another service already adjudicated
    "119": DenialCategory.FREQUENCY,  # benefit maximum for this time period or occurrence
    "151": DenialCategory.FREQUENCY,  # the information does not support this many/frequency of services
    "197": DenialCategory.AUTHORIZATION,  # precertification/authorization/notification absent
    "236": DenialCategory.BUNDLING,  # not compatible with another procedure on the same day (NCCI)
    "252": DenialCategory.DOCUMENTATION,  # an attachment/other documentation is required
}


def implied_category(carc: str | None) -> DenialCategory | None:
    return CARC_CATEGORIES.get(carc or "")


def contradicting_category(carc: str | None, category: DenialCategory | None) -> str | None:
    """Why a biller's category cannot stand beside this CARC, or None when it can."""
    implied = implied_category(carc)
    if implied is None or category is None or category == implied:
        return None
    return (f"CARC {carc} means {implied.label.lower()}, not {category.label.lower()}: "
            "leave the category empty or pick the one the CARC names.")


def is_known_code(code: str) -> bool:
    """A code is known when our catalog or any loaded fee schedule year lists it."""
    def lookup() -> bool:
        if db.session.get(CatalogCode, code) is not None:
            return True
        return bool(db.session.scalar(sa.select(sa.exists().where(FeeScheduleRvu.hcpcs == code))))

    return cached_reference("is_known_code", (code,), lookup)


def not_a_denial(group_code: str | None, carc: str | None) -> str | None:
    return NOT_DENIALS.get((group_code or "", carc or ""))


def _active(model, code: str, today: dt.date) -> bool:
    row = db.session.get(model, code)
    return row is not None and (row.stop_date is None or row.stop_date >= today)


def is_valid_carc(code: str, today: dt.date | None = None) -> bool:
    return _active(AdjustmentReasonCode, code, today or dt.date.today())


def is_valid_rarc(code: str, today: dt.date | None = None) -> bool:
    return _active(RemarkCode, code, today or dt.date.today())
