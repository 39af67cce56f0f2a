"""/api/v1/reference: the code lists and vocabularies a report uses."""
from flask.views import MethodView

from app.api import schemas
from app.api.blueprint import Blueprint
from app.enums import AppealStrategy, PayerType
from app.reference.remittance_codes import adjustment_reason_codes, remark_codes

blp = Blueprint("reference", __name__, url_prefix="/api/v1/reference", description="Reference lists")
blp.cache_publicly()


@blp.route("/carc")
class CarcList(MethodView):
    @blp.etag
    @blp.response(200, schemas.RemittanceCode(many=True))
    def get(self):
        """Claim Adjustment Reason Codes with their dates."""
        return adjustment_reason_codes()


@blp.route("/rarc")
class RarcList(MethodView):
    @blp.etag
    @blp.response(200, schemas.RemittanceCode(many=True))
    def get(self):
        """Remittance Advice Remark Codes with their dates."""
        return remark_codes()


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
