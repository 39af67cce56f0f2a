import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from tests.databases import PostgresDatabases, SQLiteDatabases


def pytest_addoption(parser):
    parser.addoption("--database", choices=("sqlite", "postgresql"), default=os.environ.get("TEST_DATABASE", "sqlite"),
                     help="Database the suite runs on.")


@pytest.fixture(scope="session")
def database_kind(request) -> str:
    return request.config.getoption("--database")


CHECKOUT_INSTANCE = Path(__file__).resolve().parents[1] / "instance"


@pytest.fixture(scope="session", autouse=True)
def checkout_instance_untouched():
    """Every app a test makes, in process or as a subprocess, has its instance folder in a temporary
    directory: a run from a fresh checkout (as in CI) ends without the checkout's instance/, which is
    `make run`'s. (Where `make run` already made it, it may be writing there now: nothing to compare.)"""
    existed = CHECKOUT_INSTANCE.exists()
    yield
    assert existed or not CHECKOUT_INSTANCE.exists(), f"the tests wrote into {CHECKOUT_INSTANCE}"


@pytest.fixture(scope="session")
def databases(database_kind, tmp_path_factory):
    made = PostgresDatabases() if database_kind == "postgresql" else SQLiteDatabases(tmp_path_factory.mktemp("db"))
    yield made
    made.drop_all()


@pytest.fixture(scope="session")
def new_database_url(databases):
    """Make a fresh, empty database of the kind under test; returns its URL."""
    return databases.create


@pytest.fixture
def instance_path(tmp_path) -> Path:
    """This test's instance folder (secrets, broker, toolkit PDFs); create_app makes it."""
    return tmp_path / "instance"


def make_app(database_url: str, instance_path: Path, **overrides):
    broker = f"sqlalchemy+sqlite:///{instance_path / 'broker.db'}"
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret",
              "CELERY_BROKER_URL": broker, "WTF_CSRF_ENABLED": False,
              # The shipped cache, in this test's instance folder (Redis too would outlive the test).
              "CACHE_TYPE": "FileSystemCache", "CACHE_DIR": str(instance_path / "cache"),
              # Fresh limits per app; the shared SQLite storage has its own tests (test_rate_limits.py).
              "RATELIMIT_STORAGE_URI": "memory://"} | overrides
    return create_app(config, instance_path=instance_path)


@pytest.fixture(scope="session")
def migrated_template(databases, tmp_path_factory):
    """A migrated, empty database made once per run, copied for each test that needs one."""
    url = databases.create()
    app = make_app(url, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        upgrade()
        db.engine.dispose()  # PostgreSQL copies a template only while nobody is connected to it
    databases.seal(url)
    return url


@pytest.fixture(scope="session")
def loaded_template(databases, migrated_template, tmp_path_factory):
    """The migrated database with the shipped sample loaded, made once per run, copied for each test."""
    url = databases.copy(migrated_template)
    app = make_app(url, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["data", "load-all"])
        assert result.exit_code == 0, result.output
        db.engine.dispose()
    databases.seal(url)
    return url


@contextmanager
def running_app(url: str, instance_path: Path):
    """An app on the database at url, inside its app context; its connections are closed after."""
    app = make_app(url, instance_path)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def empty_app(databases, migrated_template, instance_path):
    """An app on its own migrated, empty database (for loader tests), dropped after the test."""
    with databases.copied(migrated_template) as url, running_app(url, instance_path) as app:
        yield app


@pytest.fixture
def database_url(databases, loaded_template):
    """This test's own database with the shipped sample loaded, dropped after the test: nothing to clean."""
    with databases.copied(loaded_template) as url:
        yield url


@pytest.fixture
def app(database_url, instance_path):
    """An app on this test's own database."""
    with running_app(database_url, instance_path) as app:
        yield app


@pytest.fixture
def app_with(database_url, instance_path):
    """Another app on this test's database with some settings changed; its connections are closed after."""
    made = []

    def build(**overrides):
        made.append(make_app(database_url, instance_path, **overrides))
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
