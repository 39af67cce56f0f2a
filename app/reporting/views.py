"""The report form, the receipt, and the appeal-update form."""
from dataclasses import asdict

from flask import current_app, make_response, redirect, render_template, request, session, url_for
from marshmallow import ValidationError

from app.background import aggregate_marked_codes
from app.codes.profile import code_profile
from app.client_input import parse_int
from app.extensions import limiter
from app.lookup_errors import LookupFailed
from app.reporting import bp
from app.reports.contributors import current_contributor, report_rate_limit
from app.dashboards.disclosure import shown_count
from app.form_fields import form_payload
from app.reporting.forms import AppealUpdateForm, ReportForm
from app.reports.phi_marks import marked_pieces
from app.reports.progress import code_progress
from app.reports.schemas import FREE_TEXT_FIELDS, AppealUpdateSchema, ReportSchema
from app.reports.submission import SubmittedReport, record_appeal, submit_report

INTEGER_FIELDS = ("units", "days_to_resolution")
# The receipt waits in the (signed, HTTPS-only) session cookie between the POST and the redirected
# GET, and is removed when shown: a reload or the back button never resubmits or shows it again.
RECEIPT_KEY = "receipt"
# Wider than any field's range, so the schema (not this conversion) says what is allowed.
FORM_INTEGER_LIMIT = 10**9


def to_schema_input(payload: dict) -> dict:
    """Form text to JSON-like values: integers where the schema wants them, unparseable text kept as text."""
    for name in INTEGER_FIELDS:
        value = payload.get(name)
        number = parse_int(value, -FORM_INTEGER_LIMIT, FORM_INTEGER_LIMIT) if isinstance(value, str) else None
        if number is not None:
            payload[name] = number
    return payload


def attach_errors(form, errors: dict) -> None:
    """Show each schema message next to its field. A free-text message starts with the field's label
    (the biller never sees internal names); the refused text stays in the box for them to edit."""
    for name, messages in errors.items():
        field = form._fields.get(name)
        messages = messages if isinstance(messages, list) else [str(messages)]
        if field is None:
            form.form_errors.extend(messages)
            continue
        messages = [m if isinstance(m, str) else str(m) for m in messages]
        if name in FREE_TEXT_FIELDS:
            label = field.label.text.split(" (")[0]
            messages = [f"{label}: {m[0].lower()}{m[1:]}" for m in messages]
        field.errors = list(field.errors) + messages


def refused_text_marks(payload: dict, errors: dict) -> dict:
    """The refused free text, marked where patient information was found (only the fields in error)."""
    return marked_pieces({name: payload.get(name) for name in FREE_TEXT_FIELDS if name in errors})


def private_page(body: str, status: int):
    """A page that may hold the biller's own refused text or receipt: never cached, anywhere."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/codes/<code>/report", methods=["GET", "POST"])
@limiter.limit(report_rate_limit, key_func=current_contributor, methods=["POST"])
def report_form(code: str):
    profile = code_profile(code)
    form = ReportForm()
    marks: dict = {}
    if form.validate_on_submit():
        payload = to_schema_input(form_payload(form, list_fields=("modifiers", "rarc")) | {"code": profile.code})
        try:
            submitted = submit_report(ReportSchema().load(payload), current_contributor())
            aggregate_marked_codes()
            session[RECEIPT_KEY] = asdict(submitted)
            return redirect(url_for("reporting.report_received", code=profile.code), 303)
        except ValidationError as error:
            attach_errors(form, error.messages)
            marks = refused_text_marks(payload, error.messages)
        except LookupFailed as error:
            form.form_errors.append(error.message)
    if request.method == "GET":
        return render_template("reports/form.html", profile=profile, form=form, marks=marks,
                               progress=progress_of(profile.code))
    return private_page(render_template("reports/form.html", profile=profile, form=form, marks=marks,
                                        progress=progress_of(profile.code)), 422)


@bp.route("/codes/<code>/report/received")
def report_received(code: str):
    """The receipt, once, after the redirect from a successful report (post/redirect/get)."""
    profile = code_profile(code)
    kept = session.pop(RECEIPT_KEY, None)
    if not kept or kept.get("code") != profile.code:
        return redirect(url_for("catalog.code_page", code=profile.code))
    submitted = SubmittedReport(**kept)
    return private_page(render_template("reports/receipt.html", profile=profile, submitted=submitted,
                                        progress=progress_of(profile.code)), 200)


@bp.app_template_filter("shown_count")
def shown_count_filter(count: int) -> int | None:
    """A live code's report count as pages may print it (app.dashboards.disclosure)."""
    return shown_count(count)


def progress_of(code: str):
    return code_progress(code, current_app.config["AGGREGATION_THRESHOLD"], current_app.config["MIN_CONTRIBUTORS"])


@bp.route("/reports/update", methods=["GET", "POST"])
@limiter.limit(report_rate_limit, key_func=current_contributor, methods=["POST"])
def update_form():
    form = AppealUpdateForm()
    marks: dict = {}
    if form.validate_on_submit():
        payload = {k: v for k, v in to_schema_input(form_payload(form)).items() if v not in ("", None)}
        try:
            report = record_appeal((form.receipt.data or "").strip(), AppealUpdateSchema().load(payload))
            aggregate_marked_codes()
            return render_template("reports/updated.html", report=report)
        except ValidationError as error:
            attach_errors(form, error.messages)
            marks = refused_text_marks(payload, error.messages)
        except LookupFailed as error:
            attach_errors(form, {error.field: [error.message]})
    if request.method == "GET":
        return render_template("reports/update.html", form=form, marks=marks)
    return private_page(render_template("reports/update.html", form=form, marks=marks), 422)
