"""Denial Radar: anonymous claim denial reports, per procedure code."""
import logging
import os
from pathlib import Path

from flask import Flask

from app import client_input, config, formatting, privacy, proxies, security, uploads
from app.fields import DecimalString
from app.extensions import cache, csrf, db, limiter, login_manager, migrate, rest_api, versioned_cache
from app.background import celery_init_app
from app.dashboards.disclosure import SMALL_CELL, SUPPRESSED_LABEL
from app.enums import Setting

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None, instance_path: str | os.PathLike | None = None) -> Flask:
    """The app; its instance folder (generated secrets, default SQLite files, beat schedule, toolkit PDFs)
    is ``instance_path``, else $INSTANCE_PATH, else Flask's default: instance/ in the checkout."""
    instance_path = instance_path or os.environ.get("INSTANCE_PATH")
    app = Flask(__name__, instance_path=os.path.abspath(instance_path) if instance_path else None,
                instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        DATA_DIRECTORY=str(PROJECT_ROOT / "data"),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        MAX_CONTENT_LENGTH=256 * 1024,
        API_TITLE="Denial Radar API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={"info": {"description": client_input.REQUEST_RULES}},
    )
    app.config.from_mapping(config.from_environment(app.instance_path, dict(test_config or {})))

    app.json.sort_keys = False
    uploads.init_app(app)
    register_extensions(app)
    security.init_app(app)
    client_input.init_app(app)
    register_blueprints(app)
    register_template_helpers(app)
    trust_proxies(app)
    register_commands(app)
    configure_logger(app)
    # Load the PHI name lists now (once per process), not during a biller's first submission.
    privacy.warm_up()
    return app


def register_extensions(app: Flask) -> None:
    from app.reference import models  # noqa: F401  (tables known to migrations)
    from app.moderation import accounts  # noqa: F401  (registers the user loader)
    from app.moderation import models as moderation_models  # noqa: F401
    from app.reports import models as report_models  # noqa: F401
    from app.dashboards import change_log  # noqa: F401

    db.init_app(app)
    cache.init_app(app)
    versioned_cache.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    rest_api.init_app(app)
    rest_api.register_field(DecimalString, "string", "decimal")
    # X-Pagination is JSON text on the wire; flask-smorest documents it as an object, which no header is.
    rest_api.spec.components.headers_lazy["PAGINATION"] = {
        "description": "Pagination metadata as JSON text: total, total_pages, first_page, last_page, page, "
                       "previous_page, next_page", "schema": {"type": "string"}}
    limiter.init_app(app)
    login_manager.init_app(app)
    celery_init_app(app)


def register_blueprints(app: Flask) -> None:
    from app import health
    from app.api import appeals as appeals_api
    from app.api import claims as claims_api
    from app.api import codes as codes_api
    from app.api import dashboards as dashboards_api
    from app.api import docs as api_docs
    from app.api import errors as api_errors
    from app.api import reference as reference_api
    from app.api import remittances as remittances_api
    from app.api import reports as reports_api
    from app.appeals import bp as appeals_bp
    from app.catalog import bp as catalog_bp
    from app.following import bp as following_bp
    from app.moderation import bp as moderation_bp
    from app.precheck import bp as precheck_bp
    from app.remittance_import import bp as remittance_import_bp
    from app.reporting import bp as reporting_bp
    from app.toolkit import bp as toolkit_bp

    app.register_blueprint(catalog_bp)
    app.register_blueprint(following_bp)
    app.register_blueprint(reporting_bp)
    app.register_blueprint(remittance_import_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(toolkit_bp)
    app.register_blueprint(precheck_bp)
    app.register_blueprint(appeals_bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(api_docs.bp)
    for blueprint in (codes_api.blp, dashboards_api.blp, reports_api.blp, reference_api.blp, remittances_api.blp):
        rest_api.register_blueprint(blueprint)
    for blueprint in (claims_api.blp, appeals_api.blp):
        rest_api.register_blueprint(blueprint)
    # The JSON API authenticates nothing and reads no cookie: CSRF protects the HTML forms.
    for blueprint in (reports_api.blp, remittances_api.blp, claims_api.blp, appeals_api.blp):
        csrf.exempt(blueprint)
    api_errors.init_app(app)


def register_template_helpers(app: Flask) -> None:
    """What every template may use, each from its one home, so no template spells a value of its own."""
    app.add_template_filter(formatting.money, "money")
    shared = {"Setting": Setting, "SMALL_CELL": SMALL_CELL, "SUPPRESSED_LABEL": SUPPRESSED_LABEL}
    app.context_processor(lambda: shared)


def trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For only from the proxy addresses the operator configured."""
    if networks := proxies.trusted_networks(app.config["TRUSTED_PROXIES"]):
        app.wsgi_app = proxies.TrustedProxies(app.wsgi_app, networks)


def register_commands(app: Flask) -> None:
    from app.moderation.accounts import users_cli
    from app.reference.commands import data_cli

    app.cli.add_command(data_cli)
    app.cli.add_command(users_cli)


def configure_logger(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
