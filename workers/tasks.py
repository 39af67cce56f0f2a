"""Celery tasks: each a few lines over a domain function."""
import datetime as dt

from celery import shared_task
from flask import current_app

from app.reference.update import current_quarter, update_reference_data as fetch_and_load
from app.reports.aggregates import refresh_aggregate, stale_codes
from app.toolkit.builds import rebuild_stale
from workers.broker import prune_consumed_messages

BROKER_RETENTION = dt.timedelta(hours=1)


@shared_task
def aggregate_code(code: str) -> None:
    refresh_aggregate(code)


@shared_task
def build_toolkit_pdf(code: str | None = None) -> None:
    """Rebuild the code's stale toolkit PDF, then the whole toolkit's (None: that one alone); see rebuild_stale."""
    rebuild_stale(code)


@shared_task
def sweep_stale_aggregates() -> int:
    """Safety net for lost messages: recompute every code whose aggregate lags its reports."""
    codes = stale_codes()
    for code in codes:
        refresh_aggregate(code)
    if codes:
        current_app.logger.info("sweep refreshed %d stale aggregates", len(codes))
    return len(codes)


@shared_task
def prune_broker_messages() -> int:
    return prune_consumed_messages(current_app.config["CELERY_BROKER_URL"], BROKER_RETENTION)


@shared_task
def update_reference_data() -> str:
    """Beat's scheduled `flask data update` (REFERENCE_UPDATE_ENABLED): a failure leaves the data as it was."""
    report = fetch_and_load(current_app.config["REFERENCE_URLS"], current_quarter(dt.date.today()))
    current_app.logger.info("reference data update: %s", report.summary)
    return report.summary
