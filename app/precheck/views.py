"""GET/POST /check: the claim pre-check page."""
from flask import render_template, request
from marshmallow import ValidationError

from app.claims.precheck import check_claim_request
from app.claims.schemas import ClaimCheckRequest
from app.precheck import bp
from app.precheck.forms import ClaimCheckForm, claim_payload, compact_lines


def schema_errors(messages: dict) -> list[str]:
    """The schema's messages as sentences naming the line and field."""
    sentences = []
    for name, value in messages.items():
        if name == "lines" and isinstance(value, dict):
            for number, fields in value.items():
                for field, texts in (fields.items() if isinstance(fields, dict) else [("line", fields)]):
                    sentences.append(f"Line {int(number) + 1}, {field}: {' '.join(map(str, texts))}")
        else:
            sentences.append(f"{name.replace('_', ' ').capitalize()}: {' '.join(map(str, value))}")
    return sentences


@bp.route("/check", methods=["GET", "POST"])
def check():
    form = ClaimCheckForm()
    result, errors = None, []
    if form.validate_on_submit():
        if form.add_line.data:
            if len(form.lines) < form.lines.max_entries:
                form.lines.append_entry()
        else:
            try:
                result = check_claim_request(ClaimCheckRequest().load(claim_payload(form)))
                compact_lines(form)
            except ValidationError as error:
                errors = schema_errors(error.messages)
    elif request.method == "POST":
        errors = [" ".join(map(str, messages)) for messages in form.errors.values()]
    status = 422 if errors else 200
    return render_template("precheck/check.html", form=form, result=result, errors=errors), status
