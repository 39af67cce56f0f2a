"""Home, code search and the code page."""
from flask import redirect, render_template, request, url_for

from app.catalog import bp
from app.codes.catalog import catalog_by_category
from app.codes.profile import code_profile
from app.codes.search import code_to_open, search_codes
from app.client_input import query_int
from app.enums import CatalogCategory, DenialCategory, FlagReason, PayerType, Setting
from app.lookup_errors import LookupFailed
from app.payment.estimates import FIRST_YEAR, LAST_YEAR, payment_estimate, year_localities
from app.dashboards.reading import code_dashboard, dashboard_freshness, live_codes
from app.reference.states import US_STATES


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
    zip_code = request.args.get("zip", "").strip()[:10] or None
    return {
        "year": query_int("year", FIRST_YEAR, LAST_YEAR),
        # A ZIP picks the locality through CMS's crosswalk, so it replaces the locality list's choice.
        "locality": None if zip_code else request.args.get("locality", "")[:20] or None,
        "modifiers": [m for m in request.args.get("modifiers", "")[:40].split(",") if m.strip()],
        "zip_code": zip_code,
    }


def slice_choice() -> dict:
    """The dashboard slice asked for in the query string; anything unknown means the whole code."""
    payer_type = request.args.get("payer_type", "")
    state = request.args.get("state", "").upper()
    return {"payer_type": payer_type if payer_type in set(PayerType) else None,
            "state": state if state in US_STATES else None}


def estimates_for(code: str, choices: dict) -> tuple[dict, str | None]:
    try:
        return {setting: payment_estimate(code, setting=setting, **choices) for setting in Setting}, None
    except LookupFailed as error:
        return {}, error.message


@bp.get("/codes/<code>")
def code_page(code: str):
    profile = code_profile(code)
    choices = payment_choices()
    dashboard_slice = slice_choice()
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
        localities=year_localities(choices["year"]),
        dashboard=code_dashboard(profile.code, **dashboard_slice),
        dashboard_slice=dashboard_slice,
        freshness=dashboard_freshness(profile.code),
        payer_types=PayerType.choices(),
        states=sorted(US_STATES),
        flag_reasons=FlagReason.choices(),
    )


@bp.get("/codes/<code>/estimate")
def estimate_fragment(code: str):
    """The estimate block alone, for the page's script to swap in without a reload."""
    estimates, estimate_error = estimates_for(code.upper(), payment_choices())
    return render_template("catalog/_estimates.html", estimates=estimates, estimate_error=estimate_error)


@bp.app_template_filter("catalog_category")
def catalog_category_filter(category: str) -> str:
    return CatalogCategory(category).label


@bp.app_template_filter("denial_category")
def denial_category_filter(category: str) -> str:
    return DenialCategory(category).label
