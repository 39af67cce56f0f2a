"""/api/v1/reports: submit an anonymous denial report; record its appeal later with the receipt."""
from flask.views import MethodView
from marshmallow import Schema, fields

from app.api.blueprint import Blueprint
from app.extensions import limiter
from app.reports.contributors import current_contributor, report_rate_limit
from app.reports.schemas import AppealUpdateSchema, ReportSchema
from app.reports.submission import record_appeal, submit_report

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports", description="Anonymous denial reports")


class Receipt(Schema):
    id = fields.Integer(required=True)
    receipt = fields.String(required=True, metadata={"description": "Shown once: keep it to record the appeal outcome"})
    code = fields.String(required=True)
    report_count = fields.Integer(required=True)
    threshold = fields.Integer(required=True)


class AppealRecorded(Schema):
    code = fields.String()
    appeal_strategy = fields.String(allow_none=True)
    appeal_outcome = fields.String(allow_none=True)
    days_to_resolution = fields.Integer(allow_none=True)


@blp.route("")
class Reports(MethodView):
    decorators = [limiter.limit(report_rate_limit, key_func=current_contributor, methods=["POST"])]

    @blp.arguments(ReportSchema())
    @blp.response(201, Receipt)
    @blp.alt_response(409, description="The same denial was already reported by this contributor today")
    @blp.alt_response(429, description="Too many reports; see Retry-After")
    def post(self, report):
        """Report a denial. No patient information: free text is checked and refused if it holds any."""
        return submit_report(report, current_contributor())


@blp.route("/<receipt>")
class ReportAppeal(MethodView):
    decorators = [limiter.limit(report_rate_limit, key_func=current_contributor, methods=["PATCH"])]

    @blp.arguments(AppealUpdateSchema())
    @blp.response(200, AppealRecorded)
    @blp.alt_response(404, description="Unknown receipt")
    def patch(self, update, receipt):
        """Record how the appeal ended (and how long it took)."""
        report = record_appeal(receipt, update)
        return {"code": report.code,
                "appeal_strategy": report.appeal_strategy.value if report.appeal_strategy else None,
                "appeal_outcome": report.appeal_outcome.value if report.appeal_outcome else None,
                "days_to_resolution": report.days_to_resolution}
