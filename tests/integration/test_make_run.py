"""`make run` on a temporary database, broker and port: one Ctrl-C or SIGTERM stops web, worker and
beat with a few lines and no process left behind; the setup is redone for another database.

Nothing is written into the checkout: the database, broker, beat schedule and setup marker live in
the test's temporary directory, and the secrets come from the environment."""
import os
import re
import signal
import subprocess
import urllib.request
import uuid

import pytest

from tests.integration.conftest import ROOT
from tests.integration.processes import ProcessGroup, free_port, still_running

pytestmark = pytest.mark.integration

# honcho's own lines, gunicorn's shutdown lines, Celery's warm shutdown, make's one line.
MAX_LINES_AFTER_SIGNAL = 25


def local_env(tmp_path) -> dict:
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'denial_radar.db'}",
        "CELERY_BROKER_URL": f"sqlalchemy+sqlite:///{tmp_path / 'broker.db'}",
        "CELERY_QUEUE": f"make-run-test-{uuid.uuid4().hex[:8]}",
        "BEAT_SCHEDULE": str(tmp_path / "celerybeat-schedule"),
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "test-secret", "CONTRIBUTOR_SECRET": "test", "RATELIMIT_STORAGE_URI": "memory://",
    }
    env.pop("REDIS_URL", None)
    return env


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def instance_files() -> set[str]:
    instance = ROOT / "instance"
    return {str(path.relative_to(instance)) for path in instance.rglob("*")} if instance.exists() else set()


@pytest.fixture
def make_run(tmp_path):
    before = instance_files()
    port = free_port()
    group = ProcessGroup(["make", "--no-print-directory", "run", f"PORT={port}", f"SETUP_DIR={tmp_path}"],
                         local_env(tmp_path), ROOT, tmp_path / "make-run.log")
    try:
        group.wait_until(lambda: answers(f"http://127.0.0.1:{port}/healthz") and " ready." in group.output()
                         and "beat: Starting" in group.output(), "serving with a ready worker and beat")
        yield group
    finally:
        group.clean_up()
    assert instance_files() == before, "make run wrote into the checkout's instance/"


@pytest.mark.parametrize(("signum", "exit_codes"), [
    (signal.SIGINT, {0, 130, -signal.SIGINT}),   # Ctrl-C: the terminal signals the whole foreground group
    (signal.SIGTERM, {0, 143, -signal.SIGTERM}),
])
def test_one_signal_stops_everything_quietly(make_run, signum, exit_codes):
    processes = dict(make_run.seen)
    assert len(processes) >= 6, "make, honcho, gunicorn with workers, celery worker and beat"
    code, printed = make_run.signal_and_wait(signum)
    assert code in exit_codes, printed
    assert still_running(processes) == [], printed
    lines = printed.splitlines()
    assert len(lines) <= MAX_LINES_AFTER_SIGNAL, printed
    assert not re.search(r"Traceback|RecursionError|Segmentation", printed), printed


def test_setup_is_redone_for_another_database(tmp_path):
    """The setup marker belongs to one DATABASE_URL: another URL sets its database up again."""
    def up_to_date(url: str) -> bool:
        env = os.environ | {"DATABASE_URL": url}
        return subprocess.run(["make", "--no-print-directory", "-q", "setup", f"SETUP_DIR={tmp_path}"],
                              cwd=ROOT, env=env).returncode == 0

    first, second = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    dry_run = subprocess.run(["make", "--no-print-directory", "-n", "setup", f"SETUP_DIR={tmp_path}"], cwd=ROOT,
                             env=os.environ | {"DATABASE_URL": first}, capture_output=True, text=True, check=True)
    assert "flask db upgrade" in dry_run.stdout and "flask data load-all" in dry_run.stdout
    marker = re.search(r"^touch (\S+)$", dry_run.stdout, re.M)[1]
    assert marker.startswith(str(tmp_path))
    open(marker, "w").close()
    assert up_to_date(first)
    assert not up_to_date(second)
