from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.enums import FlagReason
from app.moderation.queue import Action


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class FlagForm(FlaskForm):
    reason = SelectField("Why?", choices=[SelectChoice(value, label) for value, label in FlagReason.choices()])


class ModerationForm(FlaskForm):
    """Several actions on one report at once; every action needs a reason for the audit trail."""
    report_id = HiddenField(validators=[DataRequired()])
    actions = SelectMultipleField("Actions", choices=[SelectChoice(value, label) for value, label in Action.choices()],
                                  widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                                  validators=[DataRequired("Choose at least one action.")])
    reason = StringField("Reason (kept in the audit trail)",
                         validators=[DataRequired("Say why: the reason is kept in the audit trail."), Length(max=500)])
