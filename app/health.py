"""/healthz: is the database reachable, is the broker reachable."""
import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify
from kombu import Connection

from app.extensions import db

bp = Blueprint("health", __name__)


def database_ok() -> bool:
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
    parts = {"database": database_ok(), "broker": broker_ok()}
    body = {"status": "ok" if all(parts.values()) else "unavailable"}
    body |= {name: "ok" if ok else "down" for name, ok in parts.items()}
    return jsonify(body), 200 if all(parts.values()) else 503
