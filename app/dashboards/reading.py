"""Reading a code's dashboard: the stored aggregate, or a slice computed under the same rules.

A dashboard changes only when its aggregate is recomputed, so its JSON is rendered once per
aggregate version (per process) and served from memory until the next version.
"""
import hashlib
import json
import time
from collections import OrderedDict
from threading import Lock

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.reference.models import CatalogCode, utcnow
from app.dashboards.disclosure import published_dashboard
from app.reports.models import AggregationMark, CodeAggregate
from app.reports.tallies import MARK_GRACE
from app.dashboards.compute import compute_dashboard

RENDERED_LIMIT = 512
_rendered: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()
_stamps: dict[tuple, tuple[float, tuple | None]] = {}
_rendered_lock = Lock()


def code_dashboard(code: str, payer_type: str | None = None, state: str | None = None) -> tuple[dict, str]:
    """The dashboard as it may be shown (app.dashboards.disclosure) and a version tag for caching. Slices are
    held to the whole code's threshold, contributor minimum and disclosure control."""
    aggregate = db.session.get(CodeAggregate, code)
    if aggregate is not None and aggregate.dashboard and not payer_type and not state:
        return published_dashboard(aggregate.dashboard), f"{code}:{aggregate.version}:{aggregate.computed_at.isoformat()}"
    # No stored aggregate yet (no worker has run): counted now, so it has no computed_at of its own.
    dashboard = {"computed_at": None} | compute_dashboard(
        db.session, code, current_app.config["AGGREGATION_THRESHOLD"], current_app.config["MIN_CONTRIBUTORS"],
        payer_type=payer_type, state=state,
    )
    version = f"{aggregate.version}:{aggregate.computed_at.isoformat()}" if aggregate else "0"
    tag = f"{code}:{version}:{payer_type or ''}:{state or ''}:{dashboard['report_count']}"
    if payer_type or state:
        return published_dashboard(dashboard, whole=aggregate.dashboard if aggregate and aggregate.dashboard else None), tag
    return published_dashboard(dashboard), tag


def rendered_dashboard(code: str, payer_type: str | None = None, state: str | None = None) -> tuple[bytes, str]:
    """The dashboard as JSON bytes and its ETag, rendered at most once per aggregate version."""
    database = current_app.config["SQLALCHEMY_DATABASE_URI"]
    read_at, stamp = _stamps.get((database, code), (float("-inf"), None))
    if time.monotonic() - read_at > current_app.config["DASHBOARD_VERSION_SECONDS"]:
        row = db.session.execute(
            sa.select(CodeAggregate.version, CodeAggregate.computed_at).where(CodeAggregate.code == code)
        ).one_or_none()
        stamp = tuple(row) if row else None
        _stamps[(database, code)] = (time.monotonic(), stamp)
    key = (database, code, stamp, payer_type, state)
    with _rendered_lock:
        if stamp is not None and key in _rendered:
            _rendered.move_to_end(key)
            return _rendered[key]
    dashboard, version = code_dashboard(code, payer_type, state)
    body = json.dumps(dashboard, separators=(",", ":")).encode()
    rendered = body, hashlib.sha256(version.encode()).hexdigest()[:32]
    if stamp is not None:  # without an aggregate the counts can change at any moment
        with _rendered_lock:
            _rendered[key] = rendered
            while len(_rendered) > RENDERED_LIMIT:
                _rendered.popitem(last=False)
    return rendered


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
