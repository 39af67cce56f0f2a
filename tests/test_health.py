"""/healthz answers 503 when the app could not serve a code page: schema behind, no reference data."""
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from app.extensions import db
from tests.conftest import make_app


def health(app):
    response = app.test_client().get("/healthz")
    return response.status_code, response.json


def test_migrated_but_nothing_loaded_is_unavailable(empty_app):
    status, body = health(empty_app)
    assert status == 503
    assert body == {"status": "unavailable", "database": "ok", "schema": "ok", "reference_data": "missing", "broker": "ok"}


def test_never_migrated_is_unavailable(new_database_url, instance_path):
    app = make_app(new_database_url(), instance_path)
    with app.app_context():
        status, body = health(app)
        db.session.remove()
        db.engine.dispose()
    assert status == 503 and body["schema"] == "not_at_head" and body["database"] == "ok"


def test_one_migration_behind_is_unavailable(new_database_url, instance_path):
    app = make_app(new_database_url(), instance_path)
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        (head,) = script.get_heads()
        upgrade(revision=script.get_revision(head).down_revision)
        status, body = health(app)
        db.session.remove()
        db.engine.dispose()
    assert status == 503 and body["schema"] == "not_at_head"


def test_unreachable_database_is_down(app_with):
    app = app_with(SQLALCHEMY_DATABASE_URI="sqlite:////nonexistent-directory/denial_radar.db")
    with app.app_context():
        status, body = health(app)
    assert status == 503 and body["database"] == "down"
