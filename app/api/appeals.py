"""/api/v1/appeals/letter: a draft appeal letter from a denial or a report's receipt."""
from flask.views import MethodView

from app.api.blueprint import Blueprint
from app.claims.appeal_letter import build_letter, denial_from_request
from app.claims.appeal_schemas import AppealLetterOut, DenialRequest

blp = Blueprint("appeal_letters", __name__, url_prefix="/api/v1/appeals", description="Appeal letters")


@blp.route("/letter")
class AppealLetter(MethodView):
    @blp.arguments(DenialRequest())
    @blp.response(200, AppealLetterOut)
    @blp.alt_response(404, description="No report has this receipt")
    def post(self, denial):
        """A draft letter arguing from the CARC/RARC, the catalog's documentation and guidelines and the NCCI edit.

        Patient details are placeholders in braces: fill them on your side, never send them here."""
        return build_letter(denial_from_request(denial))
