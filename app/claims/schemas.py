"""The pre-check's request and answer, for the API, its OpenAPI document and the page's form alike."""
from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates

from app.fields import DecimalString
from app.dashboards.disclosure import SUPPRESSED_LABEL
from app.enums import PayerType, Setting
from app.reference.code_format import MODIFIER, PROCEDURE_CODE, PROCEDURE_CODE_ERROR
from app.reference.states import US_STATES

MAX_LINES = 50


def upper(value):
    return value.strip().upper() if isinstance(value, str) else value


class ClaimLineIn(Schema):
    code = fields.String(required=True, validate=validate.Regexp(PROCEDURE_CODE, error=PROCEDURE_CODE_ERROR),
                         metadata={"example": "20553"})
    modifiers = fields.List(fields.String(), load_default=list, validate=validate.Length(max=4),
                            metadata={"example": ["59"]})
    units = fields.Integer(load_default=1, strict=True, validate=validate.Range(1, 999))

    @pre_load
    def normalise(self, data, **kwargs):
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if "code" in data:
            data["code"] = upper(data["code"])
        if isinstance(data.get("modifiers"), list):
            data["modifiers"] = [upper(m).lstrip("-") if isinstance(m, str) else m for m in data["modifiers"]]
        return data

    @validates("modifiers")
    def two_characters(self, value, **kwargs):
        bad = [i for i, modifier in enumerate(value) if not isinstance(modifier, str) or not MODIFIER.match(modifier)]
        if bad:
            raise ValidationError(f"Modifiers are two letters or digits, e.g. 25, 59, XS (item {bad[0] + 1}).")
        if len(set(value)) != len(value):
            raise ValidationError("A modifier is listed twice.")


class ClaimCheckRequest(Schema):
    OPENAPI_BLANK_IS_ABSENT = True  # normalise() drops "" and null: the document says so
    lines = fields.List(fields.Nested(ClaimLineIn), required=True, validate=validate.Length(
        1, MAX_LINES, error=f"Give between 1 and {MAX_LINES} lines."))
    payer_type = fields.Enum(PayerType, by_value=True, allow_none=True, load_default=None)
    setting = fields.Enum(Setting, by_value=True, load_default=Setting.NON_FACILITY)
    state = fields.String(allow_none=True, load_default=None,
                          validate=validate.OneOf(sorted(US_STATES), error="Use a two-letter US state."))
    zip = fields.String(allow_none=True, load_default=None,
                        validate=validate.Regexp(r"^\d{5}$", error="Five digits."))
    locality = fields.String(allow_none=True, load_default=None, validate=validate.Regexp(
        r"^\d{5}-\d{2}$", error="Use <MAC>-<locality number>, e.g. 10112-00."), metadata={"example": "10112-00"})

    @pre_load
    def normalise(self, data, **kwargs):
        if not isinstance(data, dict):
            return data
        data = {key: value for key, value in data.items() if value not in ("", None)}
        if "state" in data:
            data["state"] = upper(data["state"])
        return data


class FindingOut(Schema):
    kind = fields.String(required=True, metadata={"description": "ptp, mue, modifier, payment or crowd"})
    severity = fields.String(required=True, metadata={"description": "denial, warning, no_data or info"})
    message = fields.String(required=True)
    action = fields.String(required=True, metadata={"description": "What to do, in a biller's words"})
    vintage = fields.String(allow_none=True, metadata={"description": "The data the finding rests on"})
    codes = fields.List(fields.String())
    lines = fields.List(fields.Integer())
    details = fields.Dict()


class LinePaymentOut(Schema):
    amount = DecimalString(allow_none=True, places=2)
    amount_per_unit = DecimalString(allow_none=True, places=2)
    units = fields.Integer()
    year = fields.Integer(allow_none=True)
    setting = fields.String()
    locality = fields.String(allow_none=True)
    locality_name = fields.String()
    vintage = fields.String(allow_none=True)
    notes = fields.List(fields.String())


class DenialShareOut(Schema):
    reason = fields.String()
    display = fields.String(metadata={"description": f"As the dashboard shows it: small cells read '{SUPPRESSED_LABEL}'"})
    share = fields.Float(allow_none=True)


class WinningAppealOut(Schema):
    strategy = fields.String()
    label = fields.String()
    success_rate = fields.Float()
    interval_95 = fields.List(fields.Float())
    attempts = fields.String()


class CrowdOut(Schema):
    live = fields.Boolean(required=True)
    scope = fields.String()
    report_count = fields.Integer(allow_none=True)
    top_denial = fields.Nested(DenialShareOut, allow_none=True)
    reasons = fields.List(fields.Nested(DenialShareOut))
    best_appeal = fields.Nested(WinningAppealOut, allow_none=True)
    summary = fields.Function(lambda evidence: evidence.summary())


class LineResultOut(Schema):
    line = fields.Function(lambda result: result.line.number)
    code = fields.Function(lambda result: result.line.code)
    modifiers = fields.Function(lambda result: list(result.line.modifiers))
    units = fields.Function(lambda result: result.line.units)
    title = fields.String()
    findings = fields.List(fields.Nested(FindingOut))
    payment = fields.Nested(LinePaymentOut)
    crowd = fields.Nested(CrowdOut)


class ClaimCheckOut(Schema):
    verdict = fields.String(required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    vintages = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True))
    locality_note = fields.String()
    checked_on = fields.Date()
    lines = fields.List(fields.Nested(LineResultOut))
    pairs = fields.List(fields.Nested(FindingOut), attribute="pair_findings")
    codes_without_ptp = fields.List(fields.String(), metadata={"description": "Codes no loaded PTP edit mentions: their pairs are unchecked"})
