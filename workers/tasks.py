"""Celery tasks: each a few lines over a domain function, and the only place that chains work."""
import datetime as dt

from celery import shared_task
from flask import current_app

from app.broker import prune_consumed_messages
from app.dashboards.aggregates import check_tallies, overdue_marks, refresh_aggregate, reported_codes
from app.reference.update import current_quarter, update_reference_data as fetch_and_load
from app.toolkit.builds import rebuild_stale

BROKER_RETENTION = dt.timedelta(hours=1)


def refresh_then_rebuild_pdf(code: str) -> bool:
    """Take the code's dirty mark and rebuild its dashboard; then its toolkit PDF is stale: rebuild it
    on the toolkit queue. A failed send is only logged, because a download builds the PDF itself."""
    if refresh_aggregate(code, only_if_marked=True) is None:
        return False
    try:
        build_toolkit_pdf.delay(code)
    except Exception:  # any broker failure; the dashboard is already committed
        current_app.logger.warning("could not send the toolkit rebuild of %s", code)
    return True


@shared_task
def aggregate_code(code: str) -> None:
    """Rebuild the code's dashboard once for every change before it, then its toolkit PDF."""
    refresh_then_rebuild_pdf(code)


@shared_task
def build_toolkit_pdf(code: str | None = None) -> None:
    """Rebuild the code's stale toolkit PDF, then the whole toolkit's (None: that one alone); see rebuild_stale."""
    rebuild_stale(code)


@shared_task
def sweep_stale_aggregates() -> int:
    """Safety net for lost messages: aggregate every code whose dirty mark outlived its message."""
    codes = overdue_marks()
    for code in codes:
        refresh_then_rebuild_pdf(code)
    if codes:
        current_app.logger.info("sweep refreshed %d stale aggregates", len(codes))
    return len(codes)


@shared_task
def check_all_tallies() -> int:
    """The periodic full count: every code's incremental tallies against its reports (repairs differences)."""
    differing = [code for code in reported_codes() if not check_tallies(code)]
    for code in differing:
        refresh_then_rebuild_pdf(code)
    return len(differing)


@shared_task
def prune_broker_messages() -> int:
    return prune_consumed_messages(current_app.config["CELERY_BROKER_URL"], BROKER_RETENTION)


@shared_task
def update_reference_data() -> str:
    """Beat's scheduled `flask data update` (REFERENCE_UPDATE_ENABLED): a failure leaves the data as it was."""
    report = fetch_and_load(current_app.config["REFERENCE_URLS"], current_quarter(dt.date.today()))
    current_app.logger.info("reference data update: %s", report.summary)
    return report.summary
