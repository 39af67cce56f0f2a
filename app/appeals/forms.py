"""The denial an appeal letter starts from. Patient details are deliberately not fields here:
they are filled in the browser only (see the letter page)."""
from flask_wtf import FlaskForm
from wtforms import StringField

from app.enums import AppealStrategy, DenialCategory, GroupCode, PayerType
from app.form_fields import SelectField, blank_first

DENIAL_FIELDS = ("code", "group_code", "carc", "rarc", "denial_category", "payer_type", "appeal_strategy", "other_code")


class AppealLetterForm(FlaskForm):
    receipt = StringField("Receipt of your report", description="Or leave it empty and describe the denial below")
    code = StringField("Denied code", description="e.g. 20553")
    group_code = SelectField("Group code", blank_first(GroupCode.choices()))
    carc = StringField("CARC", description="e.g. 97 or CO-97")
    rarc = StringField("RARCs", description="Comma-separated, e.g. N56")
    denial_category = SelectField("Denial category", blank_first(DenialCategory.choices()))
    payer_type = SelectField("Payer type", blank_first(PayerType.choices()))
    appeal_strategy = SelectField("Appeal strategy", blank_first(AppealStrategy.choices()))
    other_code = StringField("Bundled into (other code)", description="The code billed with it, to cite their NCCI edit")


def form_denial(form: AppealLetterForm) -> dict:
    return {name: (form[name].data or "").strip() for name in ("receipt", *DENIAL_FIELDS)}
