"""Home, code search and the code page."""
import sqlalchemy as sa
from flask import render_template, request

from app.catalog import bp
from app.catalog.profile import code_profile, money, search_codes
from app.enums import FlagReason
from app.extensions import db
from app.lookup_errors import LookupFailed
from app.payment.estimates import SETTINGS, latest_year, loaded_years, payment_estimate
from app.reference.models import CatalogCode, Gpci
from app.reports.dashboards import code_dashboard, dashboard_freshness, live_codes


def localities(year: int | None) -> list[Gpci]:
    if year is None:
        return []
    return list(db.session.scalars(sa.select(Gpci).where(Gpci.year == year).order_by(Gpci.state, Gpci.locality_name)))


@bp.get("/")
def home():
    categories: dict[str, list[CatalogCode]] = {}
    for entry in search_codes(""):
        categories.setdefault(entry.category, []).append(entry)
    return render_template("catalog/home.html", categories=categories, live=live_codes())


@bp.get("/codes")
def search():
    query = request.args.get("q", "")[:100]
    return render_template("catalog/search.html", query=query, results=search_codes(query))


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
    estimates, estimate_error = estimates_for(profile.code, choices)
    return render_template(
        "catalog/code.html",
        profile=profile,
        choices=choices,
        estimates=estimates,
        estimate_error=estimate_error,
        years=loaded_years(),
        localities=localities(choices["year"] or latest_year()),
        dashboard=code_dashboard(profile.code)[0],
        freshness=dashboard_freshness(profile.code),
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
