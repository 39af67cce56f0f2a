"""GET/POST /remittances/new (upload, then the review), POST /remittances/submit, the receipts' CSV."""
import csv
import io

from flask import Response, render_template, request

from app.background import aggregate_marked_codes
from app.extensions import limiter
from app.lookup_errors import LookupFailed
from app.remittance_import import bp
from app.remittance_import.forms import APPEAL_CHOICES, ReceiptsForm, ReviewForm, UploadForm
from app.remittance_import.review import (RECEIPT_COLUMNS, RECEIPTS_SALT, ReviewRefused, chosen_reports, receipt_rows,
                                          review_rows, sign, unsign)
from app.uploads import extract_upload
from app.reports.contributors import current_contributor, report_rate_limit
from app.reports.submission import submit_reports


def show_review(drafts: list[dict], rows, skipped: list[dict], status: int = 200, message: str | None = None):
    form = ReviewForm(formdata=None, state=sign(drafts))
    return render_template("remittances/review.html", form=form, rows=rows, skipped=skipped,
                           appeal_choices=APPEAL_CHOICES, message=message), status


@bp.route("/new", methods=["GET", "POST"])
@limiter.limit(report_rate_limit, key_func=current_contributor, methods=["POST"])
def new():
    form = UploadForm()
    if form.validate_on_submit():
        try:
            extraction = extract_upload()
        except LookupFailed as error:
            form.file.errors = [error.message]
        else:
            return show_review(extraction.drafts, review_rows(extraction.drafts, extraction.warnings), extraction.skipped)
    status = 422 if request.method == "POST" else 200
    return render_template("remittances/new.html", form=form), status


@bp.route("/submit", methods=["POST"])
@limiter.limit(report_rate_limit, key_func=current_contributor)
def submit():
    form = ReviewForm()
    if not form.validate_on_submit():
        return render_template("error.html", status=400, message="The review form expired: upload the file again."), 400
    drafts = unsign(form.state.data)
    try:
        chosen, _ = chosen_reports(drafts, request.form)
    except ReviewRefused as refused:
        return show_review(drafts, refused.rows, [], 422, "Some ticked denials cannot be reported as they are: untick them or upload a corrected file.")
    except LookupFailed as error:
        return show_review(drafts, review_rows(drafts, []), [], 422, error.message)
    rows = receipt_rows(chosen, submit_reports(chosen, current_contributor()))
    aggregate_marked_codes()
    receipts = ReceiptsForm(formdata=None, state=sign(rows, RECEIPTS_SALT))
    return render_template("remittances/receipts.html", rows=rows, form=receipts), 201


@bp.route("/receipts.csv", methods=["POST"])
def receipts_csv():
    form = ReceiptsForm()
    if not form.validate_on_submit():
        return render_template("error.html", status=400, message="The receipts form expired."), 400
    rows = unsign(form.state.data, RECEIPTS_SALT)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=RECEIPT_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=denial-radar-receipts.csv",
                             "Cache-Control": "no-store"})
