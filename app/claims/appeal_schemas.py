"""The denial an appeal letter is drafted from, and the letter as the API answers it."""
from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

from app.claims.schemas import CrowdOut, upper
from app.enums import AppealStrategy, DenialCategory, GroupCode, PayerType
from app.reference.code_format import PROCEDURE_CODE
from app.reports.schemas import GROUPED_CARC, KnownRemittanceCodes

CODE_ERROR = "Use a CPT or HCPCS code, e.g. 20553."


def enum_field(enum_class):
    return fields.Enum(enum_class, by_value=True, allow_none=True, load_default=None)


class DenialRequest(KnownRemittanceCodes, Schema):
    """Either a report's receipt, or the denial itself (code and a CARC or a category)."""

    receipt = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=100),
                            metadata={"description": "The receipt of a report: the letter uses its denial"})
    code = fields.String(allow_none=True, load_default=None, validate=validate.Regexp(PROCEDURE_CODE, error=CODE_ERROR),
                         metadata={"example": "20553"})
    group_code = enum_field(GroupCode)
    carc = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=6), metadata={"example": "97"})
    rarc = fields.List(fields.String(), load_default=list, validate=validate.Length(max=5))
    denial_category = enum_field(DenialCategory)
    payer_type = enum_field(PayerType)
    appeal_strategy = enum_field(AppealStrategy)
    other_code = fields.String(allow_none=True, load_default=None,
                               validate=validate.Regexp(PROCEDURE_CODE, error=CODE_ERROR),
                               metadata={"description": "The code the payer bundled this one into, to cite their NCCI edit"})

    @pre_load
    def normalise(self, data, **kwargs):
        if not isinstance(data, dict):
            return data
        data = {key: value for key, value in data.items() if value not in ("", None)}
        for name in ("code", "other_code", "carc", "group_code"):
            if name in data:
                data[name] = upper(data[name])
        if isinstance(data.get("rarc"), str):
            data["rarc"] = [item for item in data["rarc"].replace(";", ",").split(",") if item.strip()]
        if isinstance(data.get("rarc"), list):
            data["rarc"] = [upper(item) for item in data["rarc"]]
        if isinstance(data.get("carc"), str) and (match := GROUPED_CARC.match(data["carc"])):
            data.setdefault("group_code", match[1])
            data["carc"] = match[2]
        return data

    @validates_schema
    def a_denial(self, data, **kwargs):
        if data.get("receipt"):
            return
        if not data.get("code"):
            raise ValidationError("Give the denied code, or a report's receipt.", field_name="code")
        if not data.get("carc") and not data.get("denial_category"):
            raise ValidationError("Give the CARC from the remittance or a denial category.", field_name="carc")


class AppealLetterOut(Schema):
    code = fields.Function(lambda letter: letter.denial.code)
    title = fields.String()
    subject = fields.String()
    adjustment = fields.String()
    paragraphs = fields.List(fields.String(), metadata={
        "description": "The letter; {patient_name}, {member_id}, {claim_number}, {date_of_service} and "
                       "{denial_date} are blanks to fill on your side: never send them to us"})
    blanks = fields.Dict(keys=fields.String(), values=fields.String())
    documentation = fields.List(fields.String())
    guidelines = fields.List(fields.String())
    ncci_facts = fields.List(fields.String())
    advice = fields.List(fields.String(), metadata={"description": "For the biller, not the payer: the crowd's evidence"})
    crowd = fields.Nested(CrowdOut)
    vintages = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True))
