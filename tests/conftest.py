import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from tests.databases import PostgresDatabases


def pytest_addoption(parser):
    parser.addoption("--database", choices=("sqlite", "postgresql"), default=os.environ.get("TEST_DATABASE", "sqlite"),
                     help="Database the suite runs on.")


@pytest.fixture(scope="session")
def database_kind(request) -> str:
    return request.config.getoption("--database")


@pytest.fixture(scope="session")
def postgres_databases():
    databases = PostgresDatabases()
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def new_database_url(database_kind, postgres_databases, tmp_path_factory):
    """Make a fresh, empty database of the kind under test; returns its URL."""
    def make() -> str:
        if database_kind == "postgresql":
            return postgres_databases.create()
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    return make


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("instance")


def make_app(database_url: str, instance_path: Path, **overrides):
    broker = f"sqlalchemy+sqlite:///{instance_path / 'broker.db'}"
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret",
              "CELERY_BROKER_URL": broker, "WTF_CSRF_ENABLED": False,
              # Each app its own in-memory cache, so nothing leaks between tests (shipped setting: test_caching.py).
              "CACHE_TYPE": "SimpleCache",
              # Fresh limits per app; the shared SQLite storage has its own tests (test_rate_limits.py).
              "RATELIMIT_STORAGE_URI": "memory://"} | overrides
    app = create_app(config)
    app.instance_path = str(instance_path)
    return app


@pytest.fixture(scope="session")
def migrated_template(database_kind, postgres_databases, new_database_url, instance_path):
    """A migrated, empty database made once per run; empty_app copies it instead of migrating again."""
    url = new_database_url()
    app = make_app(url, instance_path)
    with app.app_context():
        upgrade()
        db.engine.dispose()  # PostgreSQL copies a template only while nobody is connected to it
    return url


@pytest.fixture
def empty_app(database_kind, postgres_databases, migrated_template, tmp_path_factory, instance_path):
    """An app on a new, migrated, empty database (for loader tests): a copy of migrated_template."""
    if database_kind == "postgresql":
        url = postgres_databases.create(template=migrated_template.rsplit("/", 1)[1])
    else:
        copy = tmp_path_factory.mktemp("db") / "test.db"
        shutil.copyfile(migrated_template.removeprefix("sqlite:///"), copy)
        url = f"sqlite:///{copy}"
    app = make_app(url, instance_path)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def loaded_database_url(new_database_url, instance_path):
    """One database per run with the shipped sample loaded; tests must not change reference data."""
    url = new_database_url()
    app = make_app(url, instance_path)
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["data", "load-all"])
        assert result.exit_code == 0, result.output
        db.engine.dispose()
    return url


REPORT_TABLES = ("report_modifier", "report_remark_code", "report_submission", "denial_report", "code_aggregate",
                 "code_change", "report_tally", "aggregation_mark")


@pytest.fixture
def app(loaded_database_url, instance_path):
    """The loaded sample database; reports and aggregates a test makes are removed after it."""
    app = make_app(loaded_database_url, instance_path)
    with app.app_context():
        yield app
        db.session.rollback()
        for table in REPORT_TABLES:
            db.session.execute(sa.text(f"DELETE FROM {table}"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_with(loaded_database_url, instance_path):
    """Another app on the same database with some settings changed; its connections are closed after."""
    made = []

    def build(**overrides):
        made.append(make_app(loaded_database_url, instance_path, **overrides))
        return made[-1]

    yield build
    for other in made:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
