"""/healthz: the database reachable, its schema at the migration head, reference data loaded, the
broker reachable. Any of them missing answers 503: a web process on an unmigrated or empty
database would answer 500 on every code page, so it is not healthy."""
import functools

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from kombu import Connection

from app.extensions import db
from app.reference.models import CatalogCode, ConversionFactor

bp = Blueprint("health", __name__)


@functools.cache
def migration_heads(directory: str) -> frozenset[str]:
    """The revisions `flask db upgrade` ends at (read once per process: the files do not change)."""
    config = Config()
    config.set_main_option("script_location", directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def database_state() -> dict[str, str]:
    try:
        applied = frozenset(db.session.scalars(sa.text("SELECT version_num FROM alembic_version")))
    except sa.exc.OperationalError:
        db.session.rollback()
        if not database_reachable():
            return {"database": "down", "schema": "unknown", "reference_data": "unknown"}
        applied = frozenset()
    except sa.exc.SQLAlchemyError:  # PostgreSQL: no alembic_version table yet
        db.session.rollback()
        applied = frozenset()
    if applied != migration_heads(current_app.extensions["migrate"].directory):
        return {"database": "ok", "schema": "not_at_head", "reference_data": "unknown"}
    loaded = all(db.session.scalar(sa.select(sa.exists().select_from(table))) for table in (CatalogCode, ConversionFactor))
    return {"database": "ok", "schema": "ok", "reference_data": "ok" if loaded else "missing"}


def database_reachable() -> bool:
    try:
        db.session.execute(sa.text("SELECT 1"))
        return True
    except sa.exc.SQLAlchemyError:
        current_app.logger.exception("health check: database unreachable")
        db.session.rollback()
        return False


def broker_ok() -> bool:
    try:
        with Connection(current_app.config["CELERY_BROKER_URL"], connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # kombu raises transport-specific errors; any of them means "down"
        current_app.logger.warning("health check: broker unreachable", exc_info=True)
        return False


@bp.get("/healthz")
def healthz():
    parts = database_state() | {"broker": "ok" if broker_ok() else "down"}
    healthy = all(state == "ok" for state in parts.values())
    return jsonify({"status": "ok" if healthy else "unavailable"} | parts), 200 if healthy else 503
