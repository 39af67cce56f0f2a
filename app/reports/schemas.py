"""The report as the API and the form accept it: one schema validates both (DESIGN section 4)."""
import datetime as dt
import re

from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates, validates_schema

from app.enums import AppealOutcome, AppealStrategy, DenialCategory, GroupCode, PayerType, Setting
from app.privacy.phi import check_fields
from app.reference.code_format import MODIFIER, PROCEDURE_CODE, PROCEDURE_CODE_ERROR
from app.reference.states import US_STATES
from app.reports import rules

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
GROUPED_CARC = re.compile(r"^(CO|PR|OA|PI|CR)[- ]?([A-Z0-9]{1,3})$")
FREE_TEXT_FIELDS = ("payer_name", "narrative", "appeal_notes")




def enum_field(enum_class, **kwargs):
    return fields.Enum(enum_class, by_value=True, **kwargs)


def upper(value):
    return value.strip().upper() if isinstance(value, str) else value


class PhiCheckedSchema(Schema):
    """Runs the PHI check on every free-text field before anything else sees the text."""

    @validates_schema
    def no_patient_information(self, data, **kwargs):
        texts = {name: data.get(name) for name in FREE_TEXT_FIELDS if data.get(name)}
        errors: dict[str, list[str]] = {}
        for finding in check_fields(texts):
            errors.setdefault(finding.field, []).append(finding.message())
        if errors:
            raise ValidationError(errors)


class KnownRemittanceCodes:
    """The CARC and RARCs of a denial, checked against the loaded lists: for a schema with `carc` and `rarc`."""

    @validates("carc")
    def known_carc(self, value, **kwargs):
        if value is not None and not rules.is_valid_carc(value):
            raise ValidationError("Not a current Claim Adjustment Reason Code (e.g. 97, 50, 16).")

    @validates("rarc")
    def known_rarcs(self, value, **kwargs):
        bad = [i for i, code in enumerate(value) if not isinstance(code, str) or not rules.is_valid_rarc(code)]
        if bad:
            raise ValidationError(f"Not a current Remittance Advice Remark Code (item {bad[0] + 1}), e.g. N56, M80.")


class AppealFields(PhiCheckedSchema):
    appeal_strategy = enum_field(AppealStrategy, allow_none=True)
    appeal_outcome = enum_field(AppealOutcome, allow_none=True)
    appeal_notes = fields.String(allow_none=True, validate=validate.Length(max=2000))
    days_to_resolution = fields.Integer(allow_none=True, strict=True, validate=validate.Range(0, 730))


class ReportSchema(KnownRemittanceCodes, AppealFields):
    # is_a_denial below, as the OpenAPI document states it; and normalise's blanks (app/api/spec_rules.py).
    OPENAPI_BLANK_IS_ABSENT = True
    OPENAPI_RULES = {"anyOf": [
        {"required": ["carc"], "properties": {"carc": {"type": "string", "minLength": 1}}},
        {"required": ["denial_category"], "properties": {"denial_category": {"type": "string"}}},
    ]}

    code = fields.String(required=True, metadata={"example": "20553"})
    # null, like a blank form field, is read as absent (normalise): an empty list.
    modifiers = fields.List(fields.String(), load_default=list, allow_none=True, validate=validate.Length(max=4))
    units = fields.Integer(allow_none=True, strict=True, validate=validate.Range(1, 999))
    payer_type = enum_field(PayerType, required=True)
    payer_name = fields.String(allow_none=True, validate=validate.Length(max=120))
    state = fields.String(allow_none=True, validate=validate.OneOf(sorted(US_STATES), error="Use a two-letter US state."))
    setting = enum_field(Setting, allow_none=True)
    place_of_service = fields.String(allow_none=True, validate=validate.Regexp(r"^\d{2}$", error="Two digits, e.g. 11."),
                                     metadata={"pattern": r"^(\d{2})?$"})
    group_code = enum_field(GroupCode, allow_none=True)
    carc = fields.String(allow_none=True, metadata={"example": "97"})
    rarc = fields.List(fields.String(), load_default=list, allow_none=True, validate=validate.Length(max=5))
    denial_category = enum_field(DenialCategory, allow_none=True)
    denial_month = fields.String(allow_none=True, metadata={"example": "2026-08"})
    denied_amount = fields.Decimal(allow_none=True, places=2, validate=validate.Range(0, 1_000_000),
                                   metadata={"example": 58.55, "minimum": 0, "maximum": 1_000_000})
    narrative = fields.String(allow_none=True, validate=validate.Length(max=2000))
    submission_token = fields.String(
        allow_none=True, validate=validate.Regexp(r"^[A-Za-z0-9_-]{16,100}$", error="16 to 100 letters, digits, - or _."),
        metadata={"description": "Optional: the same token twice stores one report (a form's one-time token, "
                                 "a remittance draft's token). Stored only as a keyed hash."})

    @pre_load
    def normalise(self, data, **kwargs):
        """Blank form fields are absent; codes are upper case; 'CO-97' in the CARC box is split."""
        if not isinstance(data, dict):
            return data
        data = {key: value for key, value in data.items() if value not in ("", None)}
        for name in ("code", "state", "carc", "group_code"):
            if name in data:
                data[name] = upper(data[name])
        for name in ("modifiers", "rarc"):
            if isinstance(data.get(name), list):
                data[name] = [upper(item) for item in data[name]]
        if isinstance(data.get("carc"), str) and (match := GROUPED_CARC.match(data["carc"])):
            data.setdefault("group_code", match[1])
            data["carc"] = match[2]
        return data

    @validates("code")
    def known_code(self, value, **kwargs):
        if not PROCEDURE_CODE.match(value):
            raise ValidationError(PROCEDURE_CODE_ERROR)
        if not rules.is_known_code(value):
            raise ValidationError(f"{value} is not in our catalog or the loaded fee schedule.")

    @validates("modifiers")
    def two_character_modifiers(self, value, **kwargs):
        bad = [i for i, modifier in enumerate(value) if not isinstance(modifier, str) or not MODIFIER.match(modifier)]
        if bad:
            raise ValidationError(f"Modifiers are two letters or digits, e.g. 25, 59, XS (item {bad[0] + 1}).")
        if len(set(value)) != len(value):
            raise ValidationError("A modifier is listed twice.")

    @validates("denial_month")
    def month_not_in_future(self, value, **kwargs):
        if value is None:
            return
        match = MONTH.match(value)
        if not match:
            raise ValidationError("Use YYYY-MM (a month, not a date).")
        today = dt.date.today()
        if (int(match[1]), int(match[2])) > (today.year, today.month) or int(match[1]) < 2000:
            raise ValidationError("The month cannot be in the future or before 2000.")

    @validates_schema
    def is_a_denial(self, data, **kwargs):
        if not data.get("carc") and not data.get("denial_category"):
            raise ValidationError("Give the CARC from the remittance or a denial category.", field_name="carc")
        group = data.get("group_code")
        reason = rules.not_a_denial(group.value if group else None, data.get("carc"))
        if reason:
            raise ValidationError(f"{reason} Only denials can be reported.", field_name="carc")
        contradiction = rules.contradicting_category(data.get("carc"), data.get("denial_category"))
        if contradiction:
            raise ValidationError(contradiction, field_name="denial_category")


class AppealUpdateSchema(AppealFields):
    """What a biller can add later, with the receipt: how the appeal ended."""

    OPENAPI_RULES = {"minProperties": 1}  # something_to_record

    @validates_schema
    def something_to_record(self, data, **kwargs):
        if not data:
            raise ValidationError("Send at least one of appeal_strategy, appeal_outcome, appeal_notes, days_to_resolution.",
                                  field_name="_schema")
