"""/api/v1/claims/check: the pre-check of one claim's lines."""
from flask.views import MethodView

from app.api.blueprint import Blueprint
from app.claims.precheck import check_claim_request
from app.claims.schemas import ClaimCheckOut, ClaimCheckRequest

blp = Blueprint("claims", __name__, url_prefix="/api/v1/claims", description="Claim pre-check")


@blp.route("/check")
class ClaimCheck(MethodView):
    @blp.arguments(ClaimCheckRequest())
    @blp.response(200, ClaimCheckOut)
    def post(self, claim):
        """NCCI PTP pairs, MUE units, modifier rules, the crowd's denials and the Medicare payment of each line.

        Every finding names the data vintage it rests on; a code with no data says so. Nothing about
        the patient is asked or kept."""
        return check_claim_request(claim)
