"""The pre-check form: a few claim lines and where the claim goes. The API's schema does the validating."""
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice

from app.enums import PayerType, Setting
from app.form_fields import SelectField, blank_first, split_list
from app.reference.states import US_STATES

LINES_WITHOUT_SCRIPT = 6


class ClaimLineForm(Form):
    code = StringField("Code")
    modifiers = StringField("Modifiers", description="e.g. 25 or 59, XS")
    units = StringField("Units", default="1")


class ClaimCheckForm(FlaskForm):
    lines = FieldList(FormField(ClaimLineForm), min_entries=LINES_WITHOUT_SCRIPT, max_entries=50)
    payer_type = SelectField("Payer type", blank_first(PayerType.choices()))
    setting = SelectField("Setting", [SelectChoice(value, label) for value, label in Setting.choices()],
                          default=Setting.NON_FACILITY.value)
    state = SelectField("State", blank_first([(s, s) for s in sorted(US_STATES)]))
    zip = StringField("ZIP code", description="Picks the Medicare locality through CMS's ZIP crosswalk")
    locality = StringField("Medicare locality", description="<MAC>-<locality>, e.g. 10112-00 (Alabama)")
    add_line = SubmitField("Add a line")
    check = SubmitField("Check the claim")


def claim_payload(form: ClaimCheckForm) -> dict:
    """The form's text as ClaimCheckRequest expects it; empty lines are left out."""
    lines = []
    for entry in form.lines:
        code = (entry.form.code.data or "").strip()
        if not code:
            continue
        units = (entry.form.units.data or "").strip() or "1"
        lines.append({"code": code, "modifiers": split_list(entry.form.modifiers.data),
                      "units": int(units) if units.isdigit() else units})
    return {"lines": lines, **{name: (form[name].data or "").strip() for name in ("payer_type", "setting", "state",
                                                                                    "zip", "locality")}}


def compact_lines(form: ClaimCheckForm) -> None:
    """Filled lines first, numbered as the results number them, then empty ones to add more."""
    filled = [entry.data for entry in form.lines if (entry.form.code.data or "").strip()]
    while len(form.lines):
        form.lines.pop_entry()
    for data in filled:
        form.lines.append_entry(data)
    while len(form.lines) < LINES_WITHOUT_SCRIPT:
        form.lines.append_entry()
