"""/api/v1/codes: search, a code's reference profile, and its payment estimate."""
import hashlib
import json

from flask import Response
from flask.views import MethodView

from app.api import schemas
from app.api.blueprint import Blueprint
from app.codes.profile import code_profile
from app.codes.search import search_codes
from app.payment.estimates import payment_estimate
from app.reference.cache import cached_reference

PAYMENT_SCHEMA = schemas.PaymentEstimate()

blp = Blueprint("codes", __name__, url_prefix="/api/v1/codes", description="Procedure codes and Medicare payment")
blp.cache_publicly()


@blp.route("")
class CodeSearch(MethodView):
    @blp.etag
    @blp.arguments(schemas.CodeSearchQuery(), location="query")
    @blp.response(200, schemas.CodeSummary(many=True))
    @blp.paginate(page_size=20, max_page_size=500)
    def get(self, query, pagination_parameters):
        """Every known code, or those matching a code or words (an exact code first); paginated."""
        results, total = search_codes(query["q"], limit=pagination_parameters.page_size,
                                      offset=pagination_parameters.first_item)
        pagination_parameters.item_count = total
        return results


@blp.route("/<code>")
class CodeDetail(MethodView):
    @blp.etag
    @blp.response(200, schemas.CodeDetail)
    @blp.alt_response(404, description="Unknown code")
    def get(self, code):
        """A code's catalog entry, billing tips, RVUs, NCCI edits and MUE."""
        profile = code_profile(code)
        return {
            "code": profile.code,
            "title": profile.title,
            "code_system": profile.code_system,
            "section": profile.section,
            "public_descriptor": profile.public_descriptor,
            "status_code": profile.status_code,
            "status_meaning": profile.status_meaning,
            "payment_indicators": profile.indicators,
            "anesthesia": profile.is_anesthesia,
            "catalog": profile.entry,
            "billing_tips": profile.billing_tips,
            "fee_schedule_year": profile.fee_schedule_year,
            "fee_schedule_vintage": profile.fee_schedule_vintage,
            "rvus": profile.fee_schedule_rows,
            "national_payment": profile.national_payment,
            "ncci_edits": profile.ptp_edits,
            "ncci_vintage": profile.ptp_vintage,
            "mue": profile.mue,
            "mue_meaning": profile.mue_meaning,
            "mue_vintage": profile.mue_vintage,
        }


@blp.route("/<code>/payment")
class CodePayment(MethodView):
    @blp.etag
    @blp.arguments(schemas.PaymentQuery(), location="query")
    @blp.response(200, schemas.PaymentEstimate)
    @blp.alt_response(404, description="Unknown code, year, locality or ZIP code")
    def get(self, query, code):
        """Medicare payment estimate with every step of the formula."""
        arguments = (code.upper(), query.get("year"), query.get("locality"), query["setting"], tuple(query["modifiers"]),
                     query.get("zip"))

        def render() -> tuple[bytes, str]:
            estimate = payment_estimate(arguments[0], year=arguments[1], locality=arguments[2],
                                        setting=arguments[3], modifiers=arguments[4], zip_code=arguments[5])
            body = json.dumps(PAYMENT_SCHEMA.dump(estimate), separators=(",", ":")).encode()
            return body, hashlib.sha256(body).hexdigest()

        # An estimate depends only on the reference data, so its JSON is rendered once per generation.
        body, digest = cached_reference("payment_json", arguments, render)
        blp.set_etag(digest)  # a conditional GET ends here with a 304
        return Response(body, mimetype="application/json")
