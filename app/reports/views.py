"""The report form, the receipt, and the appeal-update form."""
from flask import current_app, render_template, request
from marshmallow import ValidationError

from app.catalog.profile import code_profile
from app.extensions import limiter
from app.lookup_errors import LookupFailed
from app.reports import bp
from app.reports.contributors import current_contributor, report_rate_limit
from app.reports.disclosure import shown_count
from app.reports.forms import AppealUpdateForm, ReportForm, form_payload
from app.reports.progress import code_progress
from app.reports.schemas import FREE_TEXT_FIELDS, AppealUpdateSchema, ReportSchema
from app.reports.submission import record_appeal, submit_report

INTEGER_FIELDS = ("units", "days_to_resolution")


def to_schema_input(payload: dict) -> dict:
    """Form text to JSON-like values: integers where the schema wants them, unparseable text kept as text."""
    for name in INTEGER_FIELDS:
        value = payload.get(name)
        if isinstance(value, str) and value.lstrip("-").isdigit():
            payload[name] = int(value)
    return payload


def attach_errors(form, errors: dict) -> None:
    """Show each schema message next to its field; rejected free text is cleared, never echoed."""
    for name, messages in errors.items():
        field = form._fields.get(name)
        messages = messages if isinstance(messages, list) else [str(messages)]
        if field is None:
            form.form_errors.extend(messages)
            continue
        field.errors = list(field.errors) + [m if isinstance(m, str) else str(m) for m in messages]
        if name in FREE_TEXT_FIELDS:
            field.data = ""
            field.raw_data = [""]


@bp.route("/codes/<code>/report", methods=["GET", "POST"])
@limiter.limit(report_rate_limit, key_func=current_contributor, methods=["POST"])
def report_form(code: str):
    profile = code_profile(code)
    form = ReportForm()
    if form.validate_on_submit():
        payload = to_schema_input(form_payload(form, list_fields=("modifiers", "rarc")) | {"code": profile.code})
        try:
            submitted = submit_report(ReportSchema().load(payload), current_contributor())
            return render_template("reports/receipt.html", profile=profile, submitted=submitted,
                                   progress=progress_of(profile.code)), 201
        except ValidationError as error:
            attach_errors(form, error.messages)
        except LookupFailed as error:
            form.form_errors.append(error.message)
    status = 422 if request.method == "POST" else 200
    return render_template("reports/form.html", profile=profile, form=form, progress=progress_of(profile.code)), status


@bp.app_template_filter("shown_count")
def shown_count_filter(count: int) -> int | None:
    """A live code's report count as pages may print it (app.reports.disclosure)."""
    return shown_count(count)


def progress_of(code: str):
    return code_progress(code, current_app.config["AGGREGATION_THRESHOLD"], current_app.config["MIN_CONTRIBUTORS"])


@bp.route("/reports/update", methods=["GET", "POST"])
@limiter.limit(report_rate_limit, key_func=current_contributor, methods=["POST"])
def update_form():
    form = AppealUpdateForm()
    if form.validate_on_submit():
        payload = {k: v for k, v in to_schema_input(form_payload(form)).items() if v not in ("", None)}
        try:
            report = record_appeal(form.receipt.data.strip(), AppealUpdateSchema().load(payload))
            return render_template("reports/updated.html", report=report)
        except ValidationError as error:
            attach_errors(form, error.messages)
        except LookupFailed as error:
            attach_errors(form, {error.field: [error.message]})
    status = 422 if request.method == "POST" else 200
    return render_template("reports/update.html", form=form), status
