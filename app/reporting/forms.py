"""The report and appeal-update forms. Choices come from app.enums; ReportSchema does the validating.

WTForms only renders the fields and checks the CSRF token: every value goes through the same
marshmallow schema as the API, so both give the same messages.
"""
import secrets

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField

from app.form_fields import SelectField, blank_first
from app.enums import AppealOutcome, AppealStrategy, DenialCategory, GroupCode, PayerType, Setting
from app.reference.states import US_STATES


class AppealForm(FlaskForm):
    appeal_strategy = SelectField("Appeal strategy", blank_first(AppealStrategy.choices()))
    appeal_outcome = SelectField("Appeal outcome", blank_first(AppealOutcome.choices()))
    appeal_notes = TextAreaField("What worked (no patient information)",
                                 description="Up to 2,000 characters. Checked for patient information before it is stored.")
    days_to_resolution = StringField("Days to resolution")


class ReportForm(AppealForm):
    modifiers = StringField("Modifiers", description="Comma-separated, e.g. 25, 59 or XS")
    units = StringField("Units")
    payer_type = SelectField("Payer type (required)", blank_first(PayerType.choices(), "Choose…"))
    payer_name = StringField("Payer name", description="Optional, e.g. Aetna or Noridian")
    state = SelectField("State", blank_first([(s, s) for s in sorted(US_STATES)]))
    setting = SelectField("Setting", blank_first(Setting.choices()))
    place_of_service = StringField("Place of service", description="Two digits, e.g. 11 (office)")
    group_code = SelectField("Group code", blank_first(GroupCode.choices()))
    carc = StringField("CARC", description="The reason code on the remittance, e.g. 97 or CO-97")
    rarc = StringField("RARCs", description="Remark codes, comma-separated, e.g. N56, M80")
    denial_category = SelectField("Denial category", blank_first(DenialCategory.choices()))
    # A month picker where the browser has one; elsewhere a text box that asks for YYYY-MM.
    denial_month = StringField("Month of the denial", description="YYYY-MM only: never an exact date",
                               render_kw={"type": "month", "pattern": r"\d{4}-\d{2}", "placeholder": "YYYY-MM"})
    denied_amount = StringField("Denied amount ($)")
    narrative = TextAreaField("What the payer said (no patient information)",
                              description="Up to 2,000 characters. Checked for patient information before it is stored.")
    # One per rendered form: a double click or a resent form posts the same token and counts once.
    submission_token = HiddenField(default=lambda: secrets.token_urlsafe(24))


class AppealUpdateForm(AppealForm):
    receipt = StringField("Receipt", description="The receipt you were shown when you reported the denial")
