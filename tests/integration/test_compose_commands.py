"""The commands of docker-compose.yml's services, run as the containers would run them (Docker cannot
run here): migrate once, then gunicorn -w 4 with gunicorn.conf.py, the worker, the toolkit worker
and beat, on PostgreSQL and Redis. A report goes in, the dashboard and /healthz answer, and SIGTERM
stops every service with nothing left behind."""
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest
import redis
import yaml

from tests.integration.conftest import ROOT, wait_for
from tests.integration.processes import ProcessGroup, free_port, still_running

pytestmark = pytest.mark.integration
SERVICES = ("web", "worker", "toolkit-worker", "beat")


def compose_commands() -> dict[str, list[str]]:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    return {name: spec["command"] if isinstance(spec["command"], list) else shlex.split(spec["command"])
            for name, spec in services.items() if "command" in spec}


def localised(command: list[str], queue: str, port: int, tmp_path: Path) -> list[str]:
    """The container's command on this machine: its own queue, port and beat schedule file."""
    replacements = {"denial-radar": queue, "denial-radar-toolkit": f"{queue}-toolkit",
                    "0.0.0.0:8000": f"127.0.0.1:{port}", "/tmp/celerybeat-schedule": str(tmp_path / "beat-schedule")}
    return [replacements.get(word, word) for word in command]


def request(url: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    call = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(call, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
    except OSError:
        return 0, {}


def send_raw(port: int, data: bytes) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(data)
        connection.recv(1024)


@pytest.fixture
def compose_env(empty_postgres_url, redis_url, tmp_path):
    queue = f"denial-radar-test-{uuid.uuid4().hex[:8]}"
    env = os.environ | {
        # As docker-compose.yml's x-environment and the Dockerfile's ENV set them.
        "DATABASE_URL": empty_postgres_url.replace("postgresql+psycopg://", "postgresql://"), "REDIS_URL": redis_url,
        "SECRET_KEY": "test-secret", "CONTRIBUTOR_SECRET": uuid.uuid4().hex, "TRUSTED_PROXIES": "",
        "FLASK_APP": "app", "CELERY_QUEUE": queue, "INSTANCE_PATH": str(tmp_path / "instance"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    env.pop("CELERY_BROKER_URL", None)
    yield env, queue
    redis.Redis.from_url(redis_url).delete(queue, f"{queue}-toolkit")


def test_compose_services_serve_and_stop_cleanly(compose_env, tmp_path):
    env, queue = compose_env
    commands = compose_commands()
    migrate = subprocess.run(commands["migrate"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert migrate.returncode == 0, migrate.stdout[-2000:] + migrate.stderr[-2000:]

    port = free_port()
    groups = {}
    try:
        for name in SERVICES:
            groups[name] = ProcessGroup(localised(commands[name], queue, port, tmp_path), env, ROOT,
                                        tmp_path / f"{name}.log")
        base = f"http://127.0.0.1:{port}"
        groups["web"].wait_until(lambda: request(f"{base}/healthz")[0] == 200, "healthy")
        for name in ("worker", "toolkit-worker"):
            groups[name].wait_until(lambda name=name: " ready." in groups[name].output(), "ready")
        groups["beat"].wait_until(lambda: "beat: Starting" in groups["beat"].output(), "started")
        assert groups["web"].output().count("Booting worker") == 4

        status, receipt = request(f"{base}/api/v1/reports", {"code": "20553", "payer_type": "medicare", "carc": "CO-97"})
        assert status == 201, receipt
        # The worker recounts the code's aggregate from the queue; the dashboard shows it.
        wait_for(lambda: request(f"{base}/api/v1/codes/20553/dashboard")[1].get("report_count") == 1)
        for malformed in (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\n\r\n", b"GET / HTTP/1.1\r\nBad Header\r\n\r\n"):
            send_raw(port, malformed)
        groups["web"].wait_until(lambda: groups["web"].output().count("Invalid request from ip=") == 2,
                                 "logging the malformed requests")
        status, health = request(f"{base}/healthz")
        assert (status, health["schema"], health["reference_data"], health["broker"]) == (200, "ok", "ok", "ok")

        for name, group in groups.items():
            processes = dict(group.seen)
            # As `docker compose stop` does: SIGTERM to the container's main process only.
            code, printed = group.signal_and_wait(signal.SIGTERM, to_group=False)
            assert code in {0, -signal.SIGTERM}, (name, printed)
            assert still_running(processes) == [], (name, printed)
            assert "Traceback" not in printed, (name, printed)
    finally:
        for group in groups.values():
            group.clean_up()
    web_log = groups["web"].output().replace(f"Listening at: http://127.0.0.1:{port}", "")
    assert "Invalid request from ip=[client]" in web_log
    assert "127.0.0.1" not in web_log, "a client address reached gunicorn's log"
