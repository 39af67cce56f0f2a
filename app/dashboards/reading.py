"""Reading a code's dashboard: the stored aggregate, or a slice computed under the same rules.

A dashboard changes only when its aggregate is recomputed, so its JSON is rendered once per aggregate
version (app/dashboards/versions.py) in each process and kept in that process's memory
(app.extensions.versioned_cache): a version's JSON never changes, so it cannot go stale. Without a
stored aggregate nothing is cached: the counts can change at any moment.
"""
import json

import sqlalchemy as sa
from flask import current_app

from app.extensions import db, versioned_cache
from app.reference.cache import database_key
from app.reference.models import CatalogCode, utcnow
from app.dashboards.disclosure import published_dashboard
from app.dashboards.versions import stored_version
from app.reports.models import AggregationMark, CodeAggregate
from app.reports.tallies import MARK_GRACE
from app.dashboards.compute import compute_dashboard


def code_dashboard(code: str, payer_type: str | None = None, state: str | None = None) -> dict:
    """The dashboard as it may be shown (app.dashboards.disclosure). Slices are held to the whole
    code's threshold, contributor minimum and disclosure control."""
    aggregate = db.session.get(CodeAggregate, code)
    if aggregate is not None and aggregate.dashboard and not payer_type and not state:
        return published_dashboard(aggregate.dashboard)
    # No stored aggregate yet (no worker has run): counted now, so it has no computed_at of its own.
    dashboard = {"computed_at": None} | compute_dashboard(
        db.session, code, current_app.config["AGGREGATION_THRESHOLD"], current_app.config["MIN_CONTRIBUTORS"],
        payer_type=payer_type, state=state,
    )
    if payer_type or state:
        return published_dashboard(dashboard, whole=aggregate.dashboard if aggregate and aggregate.dashboard else None)
    return published_dashboard(dashboard)


def dashboard_version(code: str, payer_type: str | None = None, state: str | None = None) -> str | None:
    """What the dashboard (or slice) is at, from the stored aggregate's version; None without an aggregate."""
    stamp = stored_version(code)
    return None if stamp is None else f"{code}:{stamp}:{payer_type or ''}:{state or ''}"


def rendered_dashboard(code: str, payer_type: str | None, state: str | None, *, version: str | None) -> bytes:
    """The dashboard as JSON bytes, rendered once per `version` (from dashboard_version; None: counted now)."""
    key = f"dashboard:{database_key()}:{version}"
    body = versioned_cache.get(key) if version is not None else None
    if body is None:
        body = json.dumps(code_dashboard(code, payer_type, state), separators=(",", ":")).encode()
        if version is not None:
            versioned_cache.set(key, body)
    return body


def dashboard_freshness(code: str) -> str:
    """'current', 'updating' (changes wait for an aggregation that is due) or 'stale' (the mark has
    waited past its grace: no worker is keeping up, the sweep will)."""
    marked_at = db.session.scalar(sa.select(AggregationMark.marked_at).where(AggregationMark.code == code))
    if marked_at is None:
        return "current"
    return "stale" if utcnow() - marked_at > MARK_GRACE else "updating"


def live_codes(limit: int = 50) -> list[tuple[CodeAggregate, str | None]]:
    """Codes whose dashboard is live, most reported first, with their catalog title."""
    rows = db.session.execute(
        sa.select(CodeAggregate, CatalogCode.title)
        .outerjoin(CatalogCode, CatalogCode.code == CodeAggregate.code)
        .where(CodeAggregate.live.is_(True))
        .order_by(CodeAggregate.report_count.desc(), CodeAggregate.code).limit(limit)
    )
    return [(aggregate, title) for aggregate, title in rows]
