"""/api/v1/codes/<code>/dashboard: the live aggregate of a code, whole or for one payer type and state."""
import hashlib

from flask import Response
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from app.api.blueprint import Blueprint
from app.enums import PayerType
from app.dashboards.disclosure import SMALL_CELL, SUPPRESSED_LABEL
from app.dashboards.reading import dashboard_version, rendered_dashboard
from app.lookup_errors import NotFound
from app.reference.code_format import is_code
from app.reference.states import US_STATES
from app.reports.rules import is_known_code

blp = Blueprint("dashboards", __name__, url_prefix="/api/v1/codes", description="Live denial dashboards")


class DashboardQuery(Schema):
    payer_type = fields.String(validate=validate.OneOf([p.value for p in PayerType]))
    state = fields.String(validate=validate.OneOf(sorted(US_STATES), error="Use a two-letter US state."))


class Cell(Schema):
    count = fields.Integer(allow_none=True, metadata={
        "description": f"Rounded to the nearest 5 (3 and 4 read 5); null when {SUPPRESSED_LABEL} (suppressed), or withheld"})
    display = fields.String()
    share = fields.Float(allow_none=True)


class Remark(Schema):
    rarc = fields.String()
    description = fields.String(allow_none=True)
    count = fields.Integer(metadata={"description": f"Rounded to the nearest 5; remarks under {SMALL_CELL} are not listed"})


class DenialReason(Cell):
    key = fields.String()
    group_code = fields.String(allow_none=True)
    carc = fields.String(allow_none=True)
    carc_description = fields.String(allow_none=True)
    category = fields.String(allow_none=True)
    category_label = fields.String(allow_none=True)
    rarcs = fields.List(fields.Nested(Remark))


class Breakdown(Cell):
    key = fields.String()
    label = fields.String()


class AppealStrategyResult(Schema):
    strategy = fields.String()
    label = fields.String()
    attempts = fields.Nested(Cell)
    won = fields.Nested(Cell)
    partially_won = fields.Nested(Cell)
    lost = fields.Nested(Cell)
    pending = fields.Nested(Cell)
    success_rate = fields.Float(allow_none=True)
    interval_95 = fields.List(fields.Float(), allow_none=True)


class MonthCount(Cell):
    month = fields.String()


class Quote(Schema):
    report_id = fields.Integer()
    kind = fields.String(metadata={"description": "narrative or appeal_notes"})
    denial = fields.String(metadata={"description": "The denial reason the quote belongs to: group-CARC, or the category"})
    text = fields.String(metadata={"description": "Approved by a moderator before it is shown"})


class Slice(Schema):
    payer_type = fields.String(allow_none=True)
    state = fields.String(allow_none=True)


class Disclosure(Schema):
    suppressed_below = fields.Integer(metadata={"description": f"Cells under this read \"{SUPPRESSED_LABEL}\""})
    rounded_to = fields.Integer(metadata={"description": "Every other count is rounded to a multiple of this"})
    withheld = fields.List(fields.String(), metadata={
        "description": "Tables left empty because showing them would let a suppressed cell be worked out"})


class Dashboard(Schema):
    code = fields.String(required=True)
    live = fields.Boolean(required=True)
    report_count = fields.Integer(required=True, allow_none=True, metadata={
        "description": "Exact while the code gathers reports; rounded to 5 once live and in every slice; "
                       f"null for a slice of a code that is not live, or a slice under {SMALL_CELL} reports"})
    contributor_count = fields.Integer(required=True, allow_none=True, metadata={
        "description": f"Distinct billers; in a slice rounded to 5, null under {SMALL_CELL}"})
    threshold = fields.Integer(required=True)
    min_contributors = fields.Integer(required=True)
    reports_needed = fields.Integer(allow_none=True)
    contributors_needed = fields.Integer(allow_none=True)
    disclosure = fields.Nested(Disclosure)
    slice = fields.Nested(Slice)
    computed_at = fields.String(allow_none=True)
    reports_through = fields.String(allow_none=True)
    denial_reasons = fields.List(fields.Nested(DenialReason))
    denial_categories = fields.List(fields.Nested(Breakdown))
    payer_types = fields.List(fields.Nested(Breakdown))
    modifiers = fields.List(fields.Nested(Breakdown))
    appeal_strategies = fields.List(fields.Nested(AppealStrategyResult))
    median_days_to_resolution = fields.Float(allow_none=True)
    reports_per_month = fields.List(fields.Nested(MonthCount))
    quotes = fields.List(fields.Nested(Quote))


@blp.route("/<code>/dashboard")
class CodeDashboard(MethodView):
    @blp.etag
    @blp.arguments(DashboardQuery(), location="query")
    @blp.response(200, Dashboard)
    @blp.alt_response(404, description="Unknown code")
    def get(self, query, code):
        """Denial reasons, appeal results and trends, once the code has enough reports."""
        code = code.upper()
        if not is_code(code):
            raise NotFound("code", f"{code[:10]} is not in the catalog or the loaded fee schedule.")
        payer_type, state = query.get("payer_type"), query.get("state")
        version = dashboard_version(code, payer_type, state)
        # A stored aggregate means reports were accepted for the code, which only a known code can have.
        if version is None and not is_known_code(code):
            raise NotFound("code", f"{code[:10]} is not in the catalog or the loaded fee schedule.")
        if version is not None:
            blp.set_etag(version)  # a conditional GET of an unchanged dashboard ends here with a 304
        body = rendered_dashboard(code, payer_type, state, version=version)
        if version is None:  # no stored aggregate: counted now, tagged by what it says
            blp.set_etag(hashlib.sha256(body).hexdigest())
        # Rendered once per aggregate version from data this app computed, so it is sent as is.
        return Response(body, mimetype="application/json")
