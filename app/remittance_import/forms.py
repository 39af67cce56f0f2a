"""The upload form; the review and receipt forms only carry their CSRF token and a signed state."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField

from app.enums import AppealStrategy


class UploadForm(FlaskForm):
    file = FileField("835 remittance file (ERA)", validators=[FileRequired("Choose an 835 file.")],
                     description="Read in memory and discarded: only the anonymous denial lines are shown back to you.")


class ReviewForm(FlaskForm):
    state = HiddenField()


class ReceiptsForm(FlaskForm):
    state = HiddenField()


APPEAL_CHOICES = AppealStrategy.choices()
