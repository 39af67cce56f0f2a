"""Home, code search and the code page."""
import sqlalchemy as sa
from flask import redirect, render_template, request, url_for

from app.catalog import bp
from app.catalog.profile import code_profile, money
from app.catalog.search import catalog_by_category, code_to_open, search_codes
from app.enums import FlagReason
from app.extensions import db
from app.lookup_errors import LookupFailed
from app.payment.estimates import SETTINGS, payment_estimate
from app.reference.models import Gpci
from app.reports.dashboards import code_dashboard, live_codes


def localities(year: int | None) -> list[Gpci]:
    if year is None:
        return []
    return list(db.session.scalars(sa.select(Gpci).where(Gpci.year == year).order_by(Gpci.state, Gpci.locality_name)))


SEARCH_PAGE_SIZE = 50


@bp.get("/")
def home():
    return render_template("catalog/home.html", categories=catalog_by_category(), live=live_codes())


@bp.get("/codes")
def search():
    query = request.args.get("q", "")[:100]
    if code := code_to_open(query):
        return redirect(url_for("catalog.code_page", code=code))
    if not query.strip():
        return render_template("catalog/search.html", query="", results=[], total=0, catalog=catalog_by_category())
    results, total = search_codes(query, limit=SEARCH_PAGE_SIZE)
    return render_template("catalog/search.html", query=query, results=results, total=total, catalog=None)


def payment_choices() -> dict:
    """The estimator's inputs from the query string, so the page works without JavaScript too."""
    year = request.args.get("year", "")
    return {
        "year": int(year) if year.isdigit() else None,
        "locality": request.args.get("locality", "")[:20] or None,
        "modifiers": [m for m in request.args.get("modifiers", "")[:40].split(",") if m.strip()],
    }


def estimates_for(code: str, choices: dict) -> tuple[dict, str | None]:
    try:
        return {setting: payment_estimate(code, setting=setting, **choices) for setting in SETTINGS}, None
    except LookupFailed as error:
        return {}, error.message


@bp.get("/codes/<code>")
def code_page(code: str):
    profile = code_profile(code)
    choices = payment_choices()
    # A code not in the newest loaded year is priced from the newest year that lists it.
    choices["year"] = choices["year"] or profile.fee_schedule_year
    estimates, estimate_error = estimates_for(profile.code, choices) if profile.fee_schedule_rows else ({}, None)
    return render_template(
        "catalog/code.html",
        profile=profile,
        choices=choices,
        estimates=estimates,
        estimate_error=estimate_error,
        years=profile.fee_schedule_years,
        localities=localities(choices["year"]),
        dashboard=code_dashboard(profile.code)[0],
        flag_reasons=FlagReason.choices(),
    )


@bp.get("/codes/<code>/estimate")
def estimate_fragment(code: str):
    """The estimate block alone, for the page's script to swap in without a reload."""
    estimates, estimate_error = estimates_for(code.upper(), payment_choices())
    return render_template("catalog/_estimates.html", estimates=estimates, estimate_error=estimate_error)


@bp.app_template_filter("money")
def money_filter(amount) -> str:
    return "" if amount is None else money(amount)
