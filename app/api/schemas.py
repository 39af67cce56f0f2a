"""Marshmallow schemas of the JSON API: they validate the input and document the output."""
from marshmallow import Schema, fields, validate
from webargs.fields import DelimitedList

from app.fields import DecimalString

from app.enums import Setting
from app.payment.estimates import FIRST_YEAR, LAST_YEAR
from app.payment.formula import KNOWN_MODIFIERS


class CodeSearchQuery(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=100), metadata={
        "description": "A code as billers write it (20553, CPT 20553, 20553-59) or words; empty lists every code"})


class CodeSummary(Schema):
    code = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(allow_none=True)
    category = fields.String(allow_none=True)
    in_catalog = fields.Boolean(required=True)
    section = fields.String(allow_none=True, metadata={"description": "CPT section, e.g. Surgery: Nervous system"})


class Vintage(Schema):
    file_name = fields.String()
    label = fields.String()


class BillingTip(Schema):
    text = fields.String(required=True)
    impact_text = fields.String(allow_none=True)
    impact_amount = DecimalString(allow_none=True, places=2)


class CommonDenial(Schema):
    group = fields.String()
    carc = fields.String()
    category = fields.String()
    why = fields.String()


class CatalogEntry(Schema):
    code_system = fields.String()
    category = fields.String()
    title = fields.String()
    summary = fields.String()
    description = fields.String()
    indications = fields.List(fields.String())
    procedure_steps = fields.List(fields.String())
    coding_guidelines = fields.List(fields.String())
    common_denials = fields.List(fields.Nested(CommonDenial))
    related_codes = fields.List(fields.String())


class RvuRow(Schema):
    modifier = fields.String(metadata={"description": "Blank for the global service, or 26, TC, 53"})
    status_code = fields.String()
    work_rvu = DecimalString()
    non_facility_pe_rvu = DecimalString()
    non_facility_na = fields.Boolean()
    facility_pe_rvu = DecimalString()
    facility_na = fields.Boolean()
    mp_rvu = DecimalString()
    pctc_indicator = fields.String()
    global_days = fields.String()
    multiple_procedure = fields.String()
    bilateral_surgery = fields.String()
    assistant_surgery = fields.String()
    co_surgery = fields.String()
    team_surgery = fields.String()


class PtpEdit(Schema):
    other_code = fields.String()
    role = fields.String(metadata={"description": "column_one: the other code is bundled into this one"})
    modifier_indicator = fields.String()
    modifier_meaning = fields.String()
    effective_date = fields.Date(allow_none=True, metadata={
        "description": "Null for edits from a copy without effective dates (the vintage says so)"})
    deletion_date = fields.Date(allow_none=True)
    rationale = fields.String()


class Mue(Schema):
    max_units = fields.Integer()
    adjudication_indicator = fields.String()
    adjudication_text = fields.String()
    rationale = fields.String()


class PaymentIndicator(Schema):
    name = fields.String()
    value = fields.String()
    meaning = fields.String(allow_none=True)


class CodeDetail(Schema):
    code = fields.String(required=True)
    title = fields.String(required=True)
    code_system = fields.String(metadata={"description": "CPT or HCPCS (Level II)"})
    section = fields.String(allow_none=True, metadata={"description": "CPT section the code belongs to"})
    public_descriptor = fields.String(allow_none=True, metadata={"description": "CMS's short descriptor, HCPCS Level II codes only"})
    status_code = fields.String(allow_none=True)
    status_meaning = fields.String(allow_none=True)
    payment_indicators = fields.List(fields.Nested(PaymentIndicator))
    anesthesia = fields.Boolean(metadata={"description": "Paid by anesthesia base and time units, not by RVUs"})
    catalog = fields.Nested(CatalogEntry, allow_none=True)
    billing_tips = fields.List(fields.Nested(BillingTip))
    fee_schedule_year = fields.Integer(allow_none=True)
    fee_schedule_vintage = fields.Nested(Vintage, allow_none=True)
    rvus = fields.List(fields.Nested(RvuRow))
    national_payment = fields.Dict(keys=fields.String(), values=DecimalString(allow_none=True))
    ncci_edits = fields.List(fields.Nested(PtpEdit))
    ncci_vintage = fields.Nested(Vintage, allow_none=True)
    mue = fields.Nested(Mue, allow_none=True)
    mue_meaning = fields.String(allow_none=True)
    mue_vintage = fields.Nested(Vintage, allow_none=True)


class PaymentQuery(Schema):
    year = fields.Integer(validate=validate.Range(FIRST_YEAR, LAST_YEAR))
    locality = fields.String(validate=validate.Length(max=20),
                             metadata={"description": "<MAC>-<locality>, e.g. 10112-00; omitted: national"})
    zip = fields.String(validate=validate.Regexp(r"^\d{5}$", error="Use a 5-digit ZIP code, e.g. 35203."),
                        metadata={"description": "The biller's ZIP code: picks the locality through CMS's ZIP "
                                                 "crosswalk (instead of locality)"})
    setting = fields.String(load_default=Setting.NON_FACILITY.value,
                            validate=validate.OneOf([s.value for s in Setting]))
    modifiers = DelimitedList(
        fields.String(validate=validate.OneOf(sorted(KNOWN_MODIFIERS), error="'{input}' is not a modifier the estimator knows.")),
        load_default=list, validate=validate.Length(max=6),
        metadata={"description": "Comma-separated; 26, TC and 53 exclude each other, and the code's fee schedule "
                                 "must have the row 26, TC or 53 asks for"})


class Component(Schema):
    name = fields.String()
    rvu = DecimalString()
    gpci = DecimalString()
    adjusted_rvu = DecimalString(places=4)


class Adjustment(Schema):
    modifier = fields.String()
    factor = DecimalString()
    rule = fields.String()


class PaymentEstimate(Schema):
    code = fields.String(attribute="hcpcs")
    year = fields.Integer()
    row_modifier = fields.String()
    setting = fields.String()
    status_code = fields.String()
    payable = fields.Boolean()
    locality = fields.String(allow_none=True)
    locality_name = fields.String()
    conversion_factor = DecimalString()
    components = fields.List(fields.Nested(Component))
    total_adjusted_rvu = DecimalString(places=4)
    fee_schedule_amount = DecimalString(places=2, allow_none=True)
    adjustments = fields.List(fields.Nested(Adjustment))
    amount = DecimalString(places=2, allow_none=True)
    non_participating_amount = DecimalString(places=2, allow_none=True)
    limiting_charge = DecimalString(places=2, allow_none=True)
    notes = fields.List(fields.String())
    zip_code = fields.String(allow_none=True, metadata={"description": "The ZIP the locality was found from"})
    payment_basis = fields.String(metadata={
        "description": "fee_schedule (RVUs x GPCIs x CF), anesthesia ((base + time units) x the locality's "
                       "anesthesia CF: no amount, as base units are not loaded) or not_paid (status says so)"})
    opps_cap_amount = DecimalString(places=2, allow_none=True, metadata={
        "description": "The OPPS amount the imaging cap compares with; null when the code is not capped"})
    opps_cap_applied = fields.Boolean(metadata={
        "description": "True when the OPPS amount was lower and is the fee schedule amount (DRA 2005 5102(b))"})
    anesthesia_conversion_factor = DecimalString(places=4, allow_none=True, metadata={
        "description": "For anesthesia codes: the locality's (or national) anesthesia conversion factor"})
    locality_counties = fields.String(allow_none=True, metadata={
        "description": "The locality's fee schedule area and counties (CMS's LOCCO file); null: national"})


class RemittanceCode(Schema):
    code = fields.String()
    description = fields.String()
    start_date = fields.Date(allow_none=True)
    last_modified = fields.Date(allow_none=True)
    stop_date = fields.Date(allow_none=True)


class EnumValue(Schema):
    value = fields.String()
    label = fields.String()
