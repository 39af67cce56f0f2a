"""Reading a code's dashboard: the stored aggregate, or a slice computed under the same rules."""
import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.reference.models import CatalogCode
from app.reports.models import CodeAggregate
from workers.aggregation import compute_dashboard


def code_dashboard(code: str, payer_type: str | None = None, state: str | None = None) -> tuple[dict, str]:
    """The dashboard and a version tag for caching. Slices are held to the whole code's threshold,
    contributor minimum and small-cell suppression, so a slice can never single anyone out."""
    aggregate = db.session.get(CodeAggregate, code)
    if aggregate is not None and not payer_type and not state:
        return aggregate.dashboard, f"{code}:{aggregate.version}"
    dashboard = compute_dashboard(
        db.session, code, current_app.config["AGGREGATION_THRESHOLD"], current_app.config["MIN_CONTRIBUTORS"],
        payer_type=payer_type, state=state,
    )
    version = aggregate.version if aggregate else 0
    return dashboard, f"{code}:{version}:{payer_type or ''}:{state or ''}:{dashboard['report_count']}"


def live_codes(limit: int = 50) -> list[tuple[CodeAggregate, str | None]]:
    """Codes whose dashboard is live, most reported first, with their catalog title."""
    rows = db.session.execute(
        sa.select(CodeAggregate, CatalogCode.title)
        .outerjoin(CatalogCode, CatalogCode.code == CodeAggregate.code)
        .where(CodeAggregate.live.is_(True))
        .order_by(CodeAggregate.report_count.desc(), CodeAggregate.code).limit(limit)
    )
    return [(aggregate, title) for aggregate, title in rows]
