"""Browser tests: a real gunicorn server and a real Celery worker on a fresh SQLite database, driven by
Debian's headless Chromium through Playwright (never Playwright's own browser download)."""
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.databases import service_missing

PROJECT = Path(__file__).resolve().parents[2]
VENV_BIN = PROJECT / ".venv" / "bin"
BIN = VENV_BIN if VENV_BIN.is_dir() else Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
STARTUP_SECONDS = 90
STOP_SECONDS = 15
# Settings a developer's shell may hold that would point the servers at shared services.
INHERITED_SETTINGS = ("REDIS_URL", "RATELIMIT_STORAGE_URI", "TRUSTED_PROXIES", "REPORT_RATE_LIMIT",
                      "DUPLICATE_WINDOW_HOURS", "FLASK_APP", "FLASK_DEBUG", "WEB_CONCURRENCY")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(workdir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in INHERITED_SETTINGS}
    return env | {
        "DATABASE_URL": f"sqlite:///{workdir / 'denial_radar.db'}",
        "CELERY_BROKER_URL": f"sqlalchemy+sqlite:///{workdir / 'broker.db'}",
        "RATELIMIT_STORAGE_URI": f"sqlite:///{workdir / 'ratelimits.db'}",
        "INSTANCE_PATH": str(workdir / "instance"),  # not the checkout's instance/
        "SECRET_KEY": "test",
        "CONTRIBUTOR_SECRET": "test",
        "AGGREGATION_THRESHOLD": "5",
        "MIN_CONTRIBUTORS": "3",
        "PYTHONUNBUFFERED": "1",
        "SECURE_COOKIES": "0",  # plain HTTP on loopback, as make run serves it
    }


def log_tail(path: Path, lines: int = 40) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def run_cli(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([str(BIN / "flask"), "--app", "app", *args], cwd=PROJECT, env=env,
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        pytest.fail(f"flask {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")


class Service:
    """One long-running subprocess in its own process group, its output in a log file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log_path: Path):
        self.name = name
        self.log_path = log_path
        self.log = log_path.open("wb")
        self.process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)

    def check_running(self) -> None:
        if self.process.poll() is not None:
            pytest.fail(f"{self.name} exited with {self.process.returncode}:\n{log_tail(self.log_path)}")

    def wait_for_log(self, pattern: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_running()
            if re.search(pattern, self.log_path.read_text(errors="replace")):
                return
            time.sleep(0.2)
        pytest.fail(f"{self.name} did not log {pattern!r} within {timeout}s:\n{log_tail(self.log_path)}")

    def stop(self) -> None:
        """Terminate (gunicorn and Celery shut down warmly on SIGTERM), then kill the group if it hangs."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.process.pid, 9)  # our own session: the master and its children
                except ProcessLookupError:
                    pass
                self.process.wait(STOP_SECONDS)
        self.log.close()


def wait_for_health(url: str, server: Service, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        server.check_running()
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as error:
            last = f"HTTP {error.code}: {error.read()[:200]!r}"
            error.close()
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            last = str(error)
        time.sleep(0.2)
    pytest.fail(f"{url}/healthz not ready within {timeout}s ({last}):\n{log_tail(server.log_path)}")


@dataclass
class LiveServer:
    url: str
    workdir: Path
    services: list[Service] = field(default_factory=list)
    worker: Service | None = None

    def logs(self) -> str:
        return "\n".join(f"--- {s.name} ---\n{log_tail(s.log_path)}" for s in self.services)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        service_missing(f"{CHROMIUM} is missing: install Debian's chromium (make browser-deps)")
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server(chromium_path, tmp_path_factory):
    """gunicorn and a Celery worker on a fresh, migrated, loaded SQLite database, stopped at the end.

    Only tests that need aggregation wait for the worker (the `celery_worker` fixture)."""
    for tool in ("flask", "gunicorn", "celery"):
        if not (BIN / tool).exists():
            pytest.fail(f"{BIN / tool} is missing: pip install -e '.[test]'")
    workdir = tmp_path_factory.mktemp("live")
    env = server_environment(workdir)
    run_cli(env, "db", "upgrade")
    run_cli(env, "data", "load-all")

    url = f"http://127.0.0.1:{free_port()}"
    server = LiveServer(url, workdir)
    try:
        server.worker = Service("celery worker", [str(BIN / "celery"), "-A", "make_celery", "worker",
                                                  "--loglevel=INFO", "--concurrency=1", "--pool=solo"],
                                env, workdir / "worker.log")
        server.services.append(server.worker)
        web = Service("gunicorn", [str(BIN / "gunicorn"), "--bind", url.removeprefix("http://"), "--workers", "1",
                                   "--threads", "4",
                                   # no control socket in ~/.gunicorn: a developer's `make run` keeps its own
                                   "--no-control-socket", "app:create_app()"], env, workdir / "gunicorn.log")
        server.services.append(web)
        wait_for_health(url, web, STARTUP_SECONDS)
        yield server
    finally:
        for service in reversed(server.services):
            service.stop()


@pytest.fixture(scope="session")
def celery_worker(live_server) -> Service:
    """The live server's Celery worker, once it is consuming; fails with its log if it died."""
    live_server.worker.wait_for_log(r"celery@\S+ ready", STARTUP_SECONDS)
    live_server.worker.check_running()
    return live_server.worker


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts (cookies, storage) on the live server; closes them after the test."""
    contexts = []

    def make(width: int = 1280, height: int = 900, **options):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height}, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.js_errors = []  # uncaught exceptions and console errors, to assert on
        page.failed_requests = []  # responses of 400 and up, but the favicon the app does not have
        page.on("pageerror", lambda error: page.js_errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and not message.text.startswith(
            "Failed to load resource") and page.js_errors.append(message.text))
        page.on("response", lambda response: response.status >= 400 and not response.url.endswith("/favicon.ico")
                and page.failed_requests.append(f"{response.status} {response.request.method} {response.url}"))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test shows the end of the server's and the worker's logs."""
    report = yield
    server = getattr(item, "funcargs", {}).get("live_server")
    if report.failed and isinstance(server, LiveServer):
        report.sections.append(("live server logs", server.logs()))
    return report
