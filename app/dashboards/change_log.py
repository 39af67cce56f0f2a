"""Feed entries, written in the transaction that replaces a code's aggregate."""
import datetime as dt

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.dashboards.changes import dashboard_changes
from app.reference.models import utcnow
from app.dashboards.disclosure import published_dashboard


class CodeChange(db.Model):
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(5), index=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(20))
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    summary: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow, index=True)


def record_changes(session: so.Session, code: str, previous: dict | None, current: dict) -> list[CodeChange]:
    """Add the feed entries of one recompute to the session; the caller's commit makes them real.
    Both dashboards are compared as they are published, so an entry says nothing the page does not."""
    shown_before = published_dashboard(previous) if previous and previous.get("live") else previous
    entries = [CodeChange(code=code, kind=change.kind.value, title=change.title, summary=change.summary)
               for change in dashboard_changes(code, shown_before, published_dashboard(current))]
    session.add_all(entries)
    return entries


def recent_changes(code: str | None = None, limit: int = 50) -> list[CodeChange]:
    """Newest first: one code's entries, or every code's (the digest)."""
    statement = sa.select(CodeChange).order_by(CodeChange.created_at.desc(), CodeChange.id.desc()).limit(limit)
    if code is not None:
        statement = statement.where(CodeChange.code == code)
    return list(db.session.scalars(statement))
