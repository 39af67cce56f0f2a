"""/api/v1/reference: the code lists and vocabularies a report uses."""
import sqlalchemy as sa
from flask.views import MethodView

from app.api import schemas
from app.api.blueprint import Blueprint
from app.enums import AppealStrategy, PayerType
from app.extensions import db
from app.reference.models import AdjustmentReasonCode, RemarkCode

blp = Blueprint("reference", __name__, url_prefix="/api/v1/reference", description="Reference lists")
blp.cache_publicly()


@blp.route("/carc")
class CarcList(MethodView):
    @blp.etag
    @blp.response(200, schemas.RemittanceCode(many=True))
    def get(self):
        """Claim Adjustment Reason Codes with their dates."""
        return db.session.scalars(sa.select(AdjustmentReasonCode).order_by(AdjustmentReasonCode.code))


@blp.route("/rarc")
class RarcList(MethodView):
    @blp.etag
    @blp.response(200, schemas.RemittanceCode(many=True))
    def get(self):
        """Remittance Advice Remark Codes with their dates."""
        return db.session.scalars(sa.select(RemarkCode).order_by(RemarkCode.code))


@blp.route("/payer-types")
class PayerTypes(MethodView):
    @blp.etag
    @blp.response(200, schemas.EnumValue(many=True))
    def get(self):
        """Payer types a report can name."""
        return [{"value": member.value, "label": member.label} for member in PayerType]


@blp.route("/appeal-strategies")
class AppealStrategies(MethodView):
    @blp.etag
    @blp.response(200, schemas.EnumValue(many=True))
    def get(self):
        """Appeal strategies a report can name."""
        return [{"value": member.value, "label": member.label} for member in AppealStrategy]
