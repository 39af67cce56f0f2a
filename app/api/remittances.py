"""/api/v1/remittances: an 835 in, anonymous draft reports out. Nothing of the file is stored."""
from flask import jsonify
from flask.views import MethodView
from marshmallow import Schema, fields

from app.api.blueprint import Blueprint
from app.extensions import limiter
from app.uploads import extract_upload
from app.reports.contributors import current_contributor, report_rate_limit

blp = Blueprint("remittances", __name__, url_prefix="/api/v1/remittances",
                description="835 remittance import: drafts to review, then POST /api/v1/reports/batch")


class DraftReport(Schema):
    """A report body as POST /api/v1/reports (and each item of /batch) takes it."""

    code = fields.String(required=True)
    modifiers = fields.List(fields.String(), required=True)
    units = fields.Integer(required=True)
    payer_type = fields.String(required=True)
    group_code = fields.String(required=True)
    carc = fields.String(required=True)
    rarc = fields.List(fields.String(), required=True)
    denial_month = fields.String(metadata={"description": "YYYY-MM of the line's service date"})
    denied_amount = fields.String(metadata={"description": "The adjustment's amount; absent when negative"})
    submission_token = fields.String(required=True, metadata={
        "description": "From the file's anonymous content and the draft's place: the same file twice counts once"})


class SkippedItem(Schema):
    position = fields.Integer(required=True, metadata={"description": "Segment number of the SVC (or CLP) in the file"})
    reason = fields.String(required=True, metadata={
        "enum": ["not_a_denial", "reversal", "unreadable_line", "not_a_procedure_code", "claim_level", "unreadable_adjustment"]})
    message = fields.String(required=True)
    code = fields.String()
    group_code = fields.String()
    carc = fields.String()
    amount = fields.String(allow_none=True)
    rarc = fields.List(fields.String(), metadata={"description": "MOA remark codes of a claim-level adjustment's claim"})


class DraftWarning(Schema):
    draft = fields.Integer(required=True, metadata={"description": "Index of the draft in `drafts`"})
    position = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"enum": ["component_separator", "unreadable_adjustment"]})
    message = fields.String(required=True)


class Extraction(Schema):
    drafts = fields.List(fields.Nested(DraftReport), required=True,
                         metadata={"description": "Report bodies as POST /api/v1/reports takes them, one per denying group + CARC of a service line"})
    skipped = fields.List(fields.Nested(SkippedItem), required=True)
    warnings = fields.List(fields.Nested(DraftWarning), required=True)


UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "additionalProperties": False,
                                           "properties": {"file": {"type": "string", "format": "binary"}}}},
        "application/edi-x12": {"schema": {"type": "string", "format": "binary"}},
    },
}


@blp.route("")
class Remittances(MethodView):
    decorators = [limiter.limit(report_rate_limit, key_func=current_contributor, methods=["POST"])]

    @blp.doc(requestBody=UPLOAD_BODY)
    @blp.response(200, Extraction)
    @blp.alt_response(413, description="The file is larger than REMITTANCE_MAX_BYTES")
    @blp.alt_response(415, description="Neither multipart `file` nor an X12 body")
    @blp.alt_response(422, description="Not a readable X12 835")
    def post(self):
        """Read an 835 (ERA) in memory and answer the draft reports it holds. Nothing is stored."""
        extraction = extract_upload()
        # Already in the documented shape: serialised directly, as a schema pass over a 50,000-claim
        # file's 100,000 items would take longer than reading the file.
        return jsonify(drafts=extraction.drafts, skipped=extraction.skipped, warnings=extraction.warnings)
