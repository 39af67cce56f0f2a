from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.enums import FlagReason
from app.moderation.queue import ACTIONS


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class FlagForm(FlaskForm):
    reason = SelectField("Why?", choices=[SelectChoice(value, label) for value, label in FlagReason.choices()])


class ModerationForm(FlaskForm):
    report_id = HiddenField(validators=[DataRequired()])
    action = SelectField("Action", choices=[SelectChoice(a, a.replace("_", " ")) for a in ACTIONS])
    reason = StringField("Reason (kept in the audit trail)", validators=[Length(max=500)])
