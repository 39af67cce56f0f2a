"""The appeal letter page and its PDF. Patient details never reach these views: the page's script fills them."""
import re

from flask import Response, render_template, request
from markupsafe import Markup, escape
from marshmallow import ValidationError

from app.appeals import bp
from app.appeals.forms import DENIAL_FIELDS, AppealLetterForm, form_denial
from app.claims.appeal_letter import BLANKS, build_letter, denial_from_request
from app.appeals.pdf import render_letter
from app.claims.appeal_schemas import DenialRequest
from app.lookup_errors import LookupFailed

TOKEN = re.compile(r"\{(" + "|".join(BLANKS) + r")\}")


def letter_from(payload: dict):
    """The letter, or (None, messages) when the denial does not validate."""
    try:
        return build_letter(denial_from_request(DenialRequest().load(payload))), []
    except ValidationError as error:
        return None, [f"{name.replace('_', ' ')}: {' '.join(map(str, messages))}"
                      for name, messages in error.messages.items()]
    except LookupFailed as error:
        return None, [error.message]


def query_denial() -> dict:
    return {name: request.args.get(name, "")[:100] for name in DENIAL_FIELDS if request.args.get(name)}


def pdf_arguments(letter) -> dict:
    """The letter's denial as a query string (never a receipt, never a patient detail)."""
    denial = letter.denial
    values = {"code": denial.code, "group_code": denial.group_code, "carc": denial.carc, "rarc": ",".join(denial.rarcs),
              "denial_category": denial.category, "payer_type": denial.payer_type,
              "appeal_strategy": denial.appeal_strategy, "other_code": denial.other_code}
    return {name: value for name, value in values.items() if value}


@bp.route("/appeals/letter", methods=["GET", "POST"])
def letter():
    form = AppealLetterForm(data=query_denial()) if request.method == "GET" else AppealLetterForm()
    drafted, errors = None, []
    if request.method == "POST":
        if form.validate_on_submit():
            drafted, errors = letter_from(form_denial(form))
        else:
            errors = ["The form expired; send it again."]
    elif query_denial():
        drafted, errors = letter_from(query_denial())
    status = 422 if errors else 200
    return render_template("appeals/letter.html", form=form, letter=drafted, errors=errors,
                           pdf_arguments=pdf_arguments(drafted) if drafted else {}), status


@bp.get("/appeals/letter.pdf")
def letter_pdf():
    drafted, errors = letter_from(query_denial())
    if drafted is None:
        return render_template("error.html", status=422, message=" ".join(errors)), 422
    name = re.sub(r"[^A-Za-z0-9]+", "-", f"appeal-{drafted.denial.code}-{drafted.adjustment}").strip("-") + ".pdf"
    return Response(render_letter(drafted), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.app_template_filter("with_blanks")
def with_blanks(paragraph: str) -> Markup:
    """Escaped text whose {blank} tokens become spans the page's script fills in the browser."""
    return Markup(TOKEN.sub(lambda m: f'<span class="blank" data-blank="{m[1]}">[{BLANKS[m[1]]}]</span>',
                            str(escape(paragraph))))
