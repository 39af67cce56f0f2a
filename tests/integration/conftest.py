"""Real services: a PostgreSQL database made for the run, Redis, and `celery worker` subprocesses."""
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from flask_migrate import upgrade

from app.extensions import db
from tests.conftest import make_app
from tests.databases import PostgresDatabases, service_missing

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as error:
        service_missing(f"Redis not reachable at {REDIS_URL}: {error}")
    return REDIS_URL


@pytest.fixture(scope="session")
def postgres_databases():
    databases = PostgresDatabases()
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def loaded_postgres_template(postgres_databases, tmp_path_factory) -> str:
    """PostgreSQL migrated and loaded with the sample once per run, whichever database the other tests use."""
    url = postgres_databases.create()
    app = make_app(url, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["data", "load-all"])
        assert result.exit_code == 0, result.output
        db.engine.dispose()  # PostgreSQL copies a template only while nobody is connected to it
    return url


@pytest.fixture
def empty_postgres_url(postgres_databases):
    url = postgres_databases.create()
    yield url
    postgres_databases.drop(url)


@pytest.fixture
def postgres_url(postgres_databases, loaded_postgres_template):
    """This test's own PostgreSQL database with the sample loaded, which worker processes see as the app does."""
    url = postgres_databases.copy(loaded_postgres_template)
    yield url
    postgres_databases.drop(url)


@pytest.fixture
def queue_name() -> str:
    return f"denial-radar-test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def service_app(postgres_url, redis_url, queue_name, tmp_path):
    """The app on this test's PostgreSQL database, publishing to Redis."""
    app = make_app(postgres_url, tmp_path, CELERY_BROKER_URL=redis_url, CELERY_QUEUE=queue_name,
                   RATELIMIT_STORAGE_URI="memory://")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


class Worker:
    """A `celery worker` process on the test's database and queue."""

    def __init__(self, env: dict, log_path: Path, concurrency: int = 1):
        self.env, self.log_path, self.concurrency = env, log_path, concurrency
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        with self.log_path.open("ab") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "make_celery", "worker", "--loglevel=INFO",
                 f"--concurrency={self.concurrency}", "--without-gossip", "--without-mingle", "--without-heartbeat"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if b" ready." in self.log_path.read_bytes():
                return self
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited: {self.log_path.read_text()[-2000:]}")
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready: {self.log_path.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the whole worker process group: no cleanup, no acknowledgement."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker_factory(service_app, postgres_url, redis_url, queue_name, tmp_path):
    env = os.environ | {
        "DATABASE_URL": postgres_url, "CELERY_BROKER_URL": redis_url, "CELERY_QUEUE": queue_name,
        "SECRET_KEY": "test-secret", "CONTRIBUTOR_SECRET": "test", "AGGREGATION_THRESHOLD": "5",
        "MIN_CONTRIBUTORS": "3", "INSTANCE_PATH": str(tmp_path / "instance"),
    }
    workers: list[Worker] = []

    def start(concurrency: int = 1, **settings: str) -> Worker:
        worker = Worker(env | settings, tmp_path / f"worker-{len(workers)}.log", concurrency).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
    redis.Redis.from_url(redis_url).delete(queue_name, f"{queue_name}-toolkit", f"{queue_name}-sweep")


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
