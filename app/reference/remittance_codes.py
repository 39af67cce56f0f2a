"""The loaded CARC and RARC lists (app/reference/loaders/remittance_codes.py), in code order."""
import sqlalchemy as sa

from app.extensions import db
from app.reference.models import AdjustmentReasonCode, RemarkCode


def adjustment_reason_codes() -> list[AdjustmentReasonCode]:
    return list(db.session.scalars(sa.select(AdjustmentReasonCode).order_by(AdjustmentReasonCode.code)))


def remark_codes() -> list[RemarkCode]:
    return list(db.session.scalars(sa.select(RemarkCode).order_by(RemarkCode.code)))
