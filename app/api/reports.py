"""/api/v1/reports: submit an anonymous denial report; record its appeal later with the receipt."""
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from app.background import aggregate_marked_codes
from app.api.blueprint import Blueprint
from app.extensions import limiter
from app.reports.contributors import current_contributor, report_rate_limit
from app.reports.schemas import AppealUpdateSchema, ReportSchema
from app.reports.submission import record_appeal, submit_report, submit_reports

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports", description="Anonymous denial reports")


class Receipt(Schema):
    id = fields.Integer(required=True)
    receipt = fields.String(required=True, metadata={"description": "Shown once: keep it to record the appeal outcome"})
    code = fields.String(required=True)
    report_count = fields.Integer(required=True)
    threshold = fields.Integer(required=True)


class IdempotencyHeader(Schema):
    idempotency_key = fields.String(data_key="Idempotency-Key", validate=validate.Length(1, 200), metadata={
        "description": "The same key from the same client stores the report once (a retry or a double click)"})


class ReportBatch(Schema):
    reports = fields.List(fields.Nested(ReportSchema), required=True, validate=validate.Length(1, 500))


class BatchReceipt(Schema):
    index = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"enum": ["created", "already_recorded"]})
    code = fields.String(required=True)
    id = fields.Integer()
    receipt = fields.String(metadata={"description": "Shown once; absent for a report already recorded"})
    report_count = fields.Integer()
    threshold = fields.Integer()


class BatchReceipts(Schema):
    receipts = fields.List(fields.Nested(BatchReceipt), required=True)


class AppealRecorded(Schema):
    code = fields.String()
    appeal_strategy = fields.String(allow_none=True)
    appeal_outcome = fields.String(allow_none=True)
    days_to_resolution = fields.Integer(allow_none=True)


@blp.route("")
class Reports(MethodView):
    decorators = [limiter.limit(report_rate_limit, key_func=current_contributor, methods=["POST"])]

    @blp.arguments(ReportSchema())
    @blp.arguments(IdempotencyHeader, location="headers")
    @blp.response(201, Receipt)
    @blp.alt_response(409, description="This submission (same token or Idempotency-Key, or the same body seconds ago) is already recorded")
    @blp.alt_response(429, description="Too many reports; see Retry-After")
    def post(self, report, headers):
        """Report a denial. No patient information: free text is checked and refused if it holds any."""
        submitted = submit_report(report, current_contributor(), headers.get("idempotency_key"))
        aggregate_marked_codes()
        return submitted


@blp.route("/batch")
class ReportsBatch(MethodView):
    decorators = [limiter.limit(report_rate_limit, key_func=current_contributor, methods=["POST"])]

    @blp.arguments(ReportBatch())
    @blp.arguments(IdempotencyHeader, location="headers")
    @blp.response(201, BatchReceipts, description="At least one report stored")
    @blp.alt_response(200, schema=BatchReceipts, description="Every report was already recorded: nothing stored")
    @blp.alt_response(422, description="Nothing stored: the errors name each bad item (by index) and field")
    @blp.alt_response(429, description="Too many requests; see Retry-After")
    def post(self, batch, headers):
        """Up to 500 reports at once (a reviewed remittance), all or nothing on validation."""
        results = submit_reports(batch["reports"], current_contributor(), headers.get("idempotency_key"))
        aggregate_marked_codes()
        receipts = [batch_receipt(item) for item in results]
        created = any(item.submitted for item in results)
        return {"receipts": receipts}, 201 if created else 200


def batch_receipt(item) -> dict:
    if item.submitted is None:
        return {"index": item.index, "status": "already_recorded", "code": item.code}
    return {"index": item.index, "status": "created", **vars(item.submitted)}


@blp.route("/<string(minlength=16):receipt>")  # never "batch"
class ReportAppeal(MethodView):
    decorators = [limiter.limit(report_rate_limit, key_func=current_contributor, methods=["PATCH"])]

    @blp.arguments(AppealUpdateSchema())
    @blp.response(200, AppealRecorded)
    @blp.alt_response(404, description="Unknown receipt")
    def patch(self, update, receipt):
        """Record how the appeal ended (and how long it took)."""
        report = record_appeal(receipt, update)
        aggregate_marked_codes()
        return {"code": report.code,
                "appeal_strategy": report.appeal_strategy.value if report.appeal_strategy else None,
                "appeal_outcome": report.appeal_outcome.value if report.appeal_outcome else None,
                "days_to_resolution": report.days_to_resolution}
