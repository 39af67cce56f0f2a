"""The version each code's stored dashboard is at, as this process last read it.

Every dashboard read starts with it (the body is cached under it, the ETag is made of it). Reading it
from the database on every request, or from the shared cache, held the dashboard API at 55-56% of
bare Flask (bench/dashboard.py, goal 60%); so each process trusts what it read for
DASHBOARD_VERSION_SECONDS (50 ms: well inside the 250 ms a report may take to reach its dashboard),
the one private cache this app keeps. A commit in this process that changed a CodeAggregate row (an
aggregation, quotes withdrawn by a moderator or a flag) forgets the code's entry at once, so its own
next read, and the test suite, which runs on this shipped setting, see the change without waiting.
"""
from time import monotonic

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app

from app.extensions import db
from app.reports.models import CodeAggregate

CHANGED_AGGREGATES = "changed_aggregates"  # session.info key: codes whose aggregate this session changed

# Built once and run on a pooled connection, outside the ORM session: building the statement and a
# session transaction would cost more than the query itself.
AGGREGATE_VERSION = sa.select(CodeAggregate.__table__.c.version, CodeAggregate.__table__.c.computed_at).where(
    CodeAggregate.__table__.c.code == sa.bindparam("code"))

_read: dict[tuple[str, str], tuple[float, str | None]] = {}  # (database, code) -> (read at, stamp)


def stored_version(code: str) -> str | None:
    """The code's aggregate version and computed_at (a version alone would repeat if aggregates were
    deleted and recomputed), or None when no aggregate is stored."""
    key = (current_app.config["SQLALCHEMY_DATABASE_URI"], code)
    read_at, stamp = _read.get(key, (float("-inf"), None))
    if monotonic() - read_at > current_app.config["DASHBOARD_VERSION_SECONDS"]:
        with db.engine.connect() as connection:
            row = connection.execute(AGGREGATE_VERSION, {"code": code}).one_or_none()
        stamp = f"{row.version}:{row.computed_at.isoformat()}" if row else None
        _read[key] = (monotonic(), stamp)
    return stamp


@sa.event.listens_for(so.Session, "after_flush")
def note_changed_aggregates(session: so.Session, flush_context) -> None:
    for aggregate in (*session.new, *session.dirty, *session.deleted):
        if isinstance(aggregate, CodeAggregate):
            session.info.setdefault(CHANGED_AGGREGATES, set()).add(aggregate.code)


@sa.event.listens_for(so.Session, "after_commit")
def forget_changed_versions(session: so.Session) -> None:
    codes = session.info.pop(CHANGED_AGGREGATES, set())
    for key in [key for key in _read if key[1] in codes]:
        _read.pop(key, None)


@sa.event.listens_for(so.Session, "after_rollback")
def forget_changed_aggregates(session: so.Session) -> None:
    session.info.pop(CHANGED_AGGREGATES, None)
