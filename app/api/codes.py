"""/api/v1/codes: search, a code's reference profile, and its payment estimate."""
import json

from flask import Response
from flask.views import MethodView

from app.api import schemas
from app.api.blueprint import Blueprint
from app.catalog.profile import code_profile, search_codes
from app.payment.estimates import payment_estimate
from app.reference.memo import memoised
from app.reference.models import CatalogCode

PAYMENT_SCHEMA = schemas.PaymentEstimate()

blp = Blueprint("codes", __name__, url_prefix="/api/v1/codes", description="Procedure codes and Medicare payment")


def code_summary(item) -> dict:
    if isinstance(item, CatalogCode):
        return {"code": item.code, "title": item.title, "summary": item.summary,
                "category": item.category, "in_catalog": True}
    return {"code": item.hcpcs, "title": f"Procedure code {item.hcpcs}", "summary": None,
            "category": None, "in_catalog": False}


@blp.route("")
class CodeSearch(MethodView):
    @blp.arguments(schemas.CodeSearchQuery(), location="query")
    @blp.response(200, schemas.CodeSummary(many=True))
    def get(self, query):
        """Search codes by code or words; an exact code comes first."""
        return [code_summary(item) for item in search_codes(query["q"])]


@blp.route("/<code>")
class CodeDetail(MethodView):
    @blp.response(200, schemas.CodeDetail)
    @blp.alt_response(404, description="Unknown code")
    def get(self, code):
        """A code's catalog entry, billing tips, RVUs, NCCI edits and MUE."""
        profile = code_profile(code)
        return {
            "code": profile.code,
            "title": profile.title,
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
    @blp.arguments(schemas.PaymentQuery(), location="query")
    @blp.response(200, schemas.PaymentEstimate)
    @blp.alt_response(404, description="Unknown code, year, locality or ZIP code")
    def get(self, query, code):
        """Medicare payment estimate with every step of the formula."""
        arguments = (code.upper(), query.get("year"), query.get("locality"), query["setting"], tuple(query["modifiers"]),
                     query.get("zip"))

        def render() -> bytes:
            estimate = payment_estimate(arguments[0], year=arguments[1], locality=arguments[2],
                                        setting=arguments[3], modifiers=arguments[4], zip_code=arguments[5])
            return json.dumps(PAYMENT_SCHEMA.dump(estimate), separators=(",", ":")).encode()

        # An estimate depends only on the reference data, so its JSON is rendered once per version.
        return Response(memoised("payment_json", arguments, render), mimetype="application/json")
