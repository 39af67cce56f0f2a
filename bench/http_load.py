"""Shared helpers for the HTTP benchmarks: run gunicorn, load it, read the figures.

- ``Gunicorn``: starts ``gunicorn`` from the project venv on a free 127.0.0.1 port with the
  same settings for every app (``--workers 2 --worker-class sync``, no access log), waits until
  it answers, and stops it (its whole process group) on ``stop()`` or leaving a ``with`` block.
- ``run_load``: loads a list of URLs for a fixed time with N concurrent keep-alive connections
  and returns requests/s, errors and p50/p95 latency. Uses ``wrk`` when it is installed
  (Debian: ``apt-get install wrk``), else a small Python generator (processes x threads with
  http.client) that reports the same figures.
- ``alternate``: measures several targets in turn, round after round, rotating the order, so a
  target and its baseline see the same machine; ratios are then taken round by round.

Traffic only ever goes to 127.0.0.1.
"""
from __future__ import annotations

import atexit
import contextlib
import http.client
import multiprocessing
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"

# One set of server settings for the app and its baseline.
WORKERS = int(os.environ.get("BENCH_WORKERS", 2))
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")


class BenchError(Exception):
    """Something went wrong with the benchmark itself (not a missed goal)."""


# --------------------------------------------------------------------------- processes

def exit_on_signals() -> None:
    """Turn SIGTERM/SIGHUP into SystemExit so ``finally`` blocks stop servers and drop databases."""
    def handler(signum, _frame):
        raise SystemExit(128 + signum)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, handler)


def venv_tool(name: str) -> str:
    path = VENV_BIN / name
    if not path.exists():
        raise BenchError(f"{path} not found: run `make setup` first")
    return str(path)


def run_checked(command: list[str], env: dict, label: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a setup command in the project directory; raise BenchError with its output if it fails."""
    result = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise BenchError(f"{label} failed (exit {result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result


_cache_directory: str | None = None


def cache_directory() -> str:
    """One Flask-Caching directory for this benchmark's commands and servers, removed at exit."""
    global _cache_directory
    if _cache_directory is None:
        _cache_directory = tempfile.mkdtemp(prefix="bench-cache-")
        atexit.register(shutil.rmtree, _cache_directory, True)
    return _cache_directory


def bench_environment(**extra: str) -> dict:
    """The environment for the app's commands and servers: fixed secrets and a cache directory of the
    benchmark's own, so nothing is written to instance/."""
    env = dict(os.environ)
    env.update({
        "SECRET_KEY": "bench-secret-key",
        "CONTRIBUTOR_SECRET": "bench-contributor-secret",
        "CACHE_DIR": cache_directory(),
        "RATELIMIT_STORAGE_URI": "memory://",
        "FLASK_APP": "app",
        "PYTHONUNBUFFERED": "1",
    })
    env.pop("REDIS_URL", None)
    env.pop("CACHE_REDIS_URL", None)
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def http_get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    parts = urllib.parse.urlsplit(url)
    if parts.hostname != HOST:
        raise BenchError(f"refusing to send traffic to {parts.hostname}: only {HOST}")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path or "/")
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Gunicorn:
    """A gunicorn server for one app target, in its own process group."""

    def __init__(self, target: str, env: dict | None = None, name: str | None = None,
                 workers: int = WORKERS, worker_class: str = WORKER_CLASS, extra_args: tuple[str, ...] = ()):
        self.target = target
        self.name = name or target
        self.env = env if env is not None else bench_environment()
        self.workers = workers
        self.worker_class = worker_class
        self.extra_args = extra_args
        self.port: int | None = None
        self.process: subprocess.Popen | None = None
        self._log_dir = tempfile.mkdtemp(prefix="bench-gunicorn-")
        self.log_path = Path(self._log_dir) / "gunicorn.log"

    @property
    def settings(self) -> str:
        return f"--workers {self.workers} --worker-class {self.worker_class}, no access log"

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def start(self, ready_path: str = "/", timeout: float = 30.0) -> "Gunicorn":
        self.port = free_port()
        command = [
            venv_tool("gunicorn"), "--bind", f"{HOST}:{self.port}",
            "--workers", str(self.workers), "--worker-class", self.worker_class,
            "--log-level", "warning", "--error-logfile", "-",
            *self.extra_args, self.target,
        ]
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        last_error = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"{self.name} exited with {self.process.returncode} on start:\n{self.log_tail()}")
            try:
                status, _ = http_get(self.url(ready_path), timeout=2)
                if status < 500:
                    return self
                last_error = f"HTTP {status}"
            except OSError as error:
                last_error = str(error)
            time.sleep(0.1)
        self.stop()
        raise BenchError(f"{self.name} not ready after {timeout:.0f}s ({last_error}):\n{self.log_tail()}")

    def log_tail(self, size: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-size:]
        except OSError:
            return ""

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            # The server was started in its own session: its group id is its pid, workers included.
            for signum, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
                try:
                    os.killpg(process.pid, signum)
                except ProcessLookupError:
                    break
                try:
                    process.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        shutil.rmtree(self._log_dir, ignore_errors=True)

    def __enter__(self) -> "Gunicorn":
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


# --------------------------------------------------------------------------- load

@dataclass
class LoadResult:
    label: str
    tool: str
    requests: int
    seconds: float
    socket_errors: int
    bad_status: int          # responses outside 2xx/3xx
    p50_ms: float
    p95_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.socket_errors + self.bad_status


def wrk_available() -> bool:
    return os.environ.get("BENCH_LOAD_TOOL", "auto") != "python" and shutil.which("wrk") is not None


WRK_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d connect=%d read=%d write=%d timeout=%d status=%d p50=%d p95=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(95)))
end
"""


def wrk_script(paths: list[str]) -> str:
    script = WRK_DONE
    if len(paths) > 1:
        quoted = ", ".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
        script += f"""
local paths = {{{quoted}}}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
"""
    return script


def run_wrk(label: str, urls: list[str], duration: float, connections: int, threads: int) -> LoadResult:
    paths = []
    for url in urls:
        parts = urllib.parse.urlsplit(url)
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(wrk_script(paths))
        script = handle.name
    try:
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", "10s",
                   "-s", script, urls[0]]
        result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 30)
    finally:
        os.unlink(script)
    match = re.search(r"^BENCH (.*)$", result.stdout, re.M)
    if result.returncode != 0 or not match:
        raise BenchError(f"wrk failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    figures = {key: int(value) for key, value in (item.split("=") for item in match[1].split())}
    return LoadResult(
        label=label, tool="wrk", requests=figures["requests"], seconds=figures["duration_us"] / 1e6,
        socket_errors=figures["connect"] + figures["read"] + figures["write"] + figures["timeout"],
        bad_status=figures["status"], p50_ms=figures["p50"] / 1000, p95_ms=figures["p95"] / 1000,
    )


def _python_worker(urls: list[str], connections: int, deadline: float) -> tuple[int, int, int, list[float]]:
    """One process of the Python generator: ``connections`` threads, each one keep-alive connection."""
    import threading

    targets = []
    for url in urls:
        parts = urllib.parse.urlsplit(url)
        if parts.hostname != HOST:
            raise BenchError(f"refusing to send traffic to {parts.hostname}")
        targets.append((parts.hostname, parts.port, parts.path + (f"?{parts.query}" if parts.query else "")))
    lock = threading.Lock()
    totals = {"requests": 0, "socket_errors": 0, "bad_status": 0}
    latencies: list[float] = []

    def loop(offset: int) -> None:
        mine = {"requests": 0, "socket_errors": 0, "bad_status": 0}
        mine_latencies = []
        host, port, _ = targets[0]
        connection = http.client.HTTPConnection(host, port, timeout=10)
        index = offset
        while time.time() < deadline:
            _, _, path = targets[index % len(targets)]
            index += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                mine_latencies.append(time.perf_counter() - started)
                mine["requests"] += 1
                if response.status >= 400:
                    mine["bad_status"] += 1
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                mine["socket_errors"] += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.close()
        with lock:
            for key, value in mine.items():
                totals[key] += value
            latencies.extend(mine_latencies)

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return totals["requests"], totals["socket_errors"], totals["bad_status"], latencies


def run_python(label: str, urls: list[str], duration: float, connections: int, processes: int) -> LoadResult:
    processes = max(1, min(processes, connections))
    shares = [connections // processes + (1 if i < connections % processes else 0) for i in range(processes)]
    started = time.time()
    deadline = started + duration
    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        parts = pool.starmap(_python_worker, [(urls, share, deadline) for share in shares])
    seconds = time.time() - started
    latencies = sorted(lat for part in parts for lat in part[3])

    def percentile(p: float) -> float:
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))] * 1000

    return LoadResult(
        label=label, tool="python", requests=sum(p[0] for p in parts), seconds=seconds,
        socket_errors=sum(p[1] for p in parts), bad_status=sum(p[2] for p in parts),
        p50_ms=percentile(50), p95_ms=percentile(95),
    )


def run_load(label: str, urls: str | list[str], duration: float = 5.0, connections: int = 4,
             threads: int = 1) -> LoadResult:
    """Load ``urls`` (round-robin) for ``duration`` seconds over ``connections`` keep-alive connections."""
    urls = [urls] if isinstance(urls, str) else list(urls)
    for url in urls:
        if urllib.parse.urlsplit(url).hostname != HOST:
            raise BenchError(f"refusing to load {url}: only {HOST} is allowed")
    if wrk_available():
        return run_wrk(label, urls, duration, connections, threads)
    return run_python(label, urls, duration, connections, processes=2)


def load_tool() -> str:
    return "wrk" if wrk_available() else "python (processes x threads, http.client)"


def alternate(targets: list[tuple[str, list[str]]], rounds: int = 3, duration: float = 5.0,
              connections: int = 4, warmup: float = 1.0, progress=None) -> dict[str, list[LoadResult]]:
    """Measure every target once per round, rotating which goes first; returns label -> results by round."""
    results: dict[str, list[LoadResult]] = {label: [] for label, _ in targets}
    if warmup > 0:
        for label, urls in targets:
            run_load(label, urls, duration=warmup, connections=connections)
    for number in range(rounds):
        shift = number % len(targets)
        for label, urls in targets[shift:] + targets[:shift]:
            result = run_load(label, urls, duration=duration, connections=connections)
            results[label].append(result)
            if progress:
                progress(f"  round {number + 1}/{rounds}  {label:<28} {result.rps:9.1f} req/s  "
                         f"p50 {result.p50_ms:6.2f} ms  p95 {result.p95_ms:6.2f} ms  errors {result.errors}")
    return results


# --------------------------------------------------------------------------- databases

class TempPostgres:
    """A database bench_<random> made through the admin URL and dropped (WITH FORCE) at the end."""

    def __init__(self, admin_url: str = ADMIN_URL):
        import psycopg  # only the PostgreSQL benchmarks need it
        self.psycopg = psycopg
        self.admin_url = admin_url
        self.name = f"bench_{uuid.uuid4().hex[:10]}"
        self.created = False

    @property
    def url(self) -> str:
        return self.admin_url.rsplit("/", 1)[0] + "/" + self.name

    def __enter__(self) -> "TempPostgres":
        try:
            with self.psycopg.connect(self.admin_url, autocommit=True, connect_timeout=3) as admin:
                admin.execute(f'CREATE DATABASE "{self.name}"')
        except self.psycopg.OperationalError as error:
            raise BenchError(f"PostgreSQL not reachable at {self.admin_url}: {error}") from None
        self.created = True
        return self

    def execute(self, sql: str):
        with self.psycopg.connect(self.url, autocommit=True) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchall() if cursor.description else None

    def count(self, table: str) -> int:
        return self.execute(f"SELECT count(*) FROM {table}")[0][0]

    def end_other_sessions(self) -> None:
        """After a stopped load: end its server session (still running the upsert) in our own database."""
        self.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE datname = current_database() AND pid <> pg_backend_pid()")

    def __exit__(self, *_exc) -> None:
        if self.created:
            with self.psycopg.connect(self.admin_url, autocommit=True, connect_timeout=3) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.created = False


def migrate_and_load(env: dict) -> subprocess.CompletedProcess:
    """`flask db upgrade` then `flask data load-all` on the environment's database; load-all's result."""
    flask = venv_tool("flask")
    run_checked([flask, "--app", "app", "db", "upgrade"], env, "flask db upgrade")
    return run_checked([flask, "--app", "app", "data", "load-all"], env, "flask data load-all")


@dataclass(frozen=True)
class BenchDatabase:
    url: str
    env: dict  # bench_environment pointing the app's commands and servers at this database
    load_output: str  # what `flask data load-all` printed


@contextlib.contextmanager
def loaded_database(kind: str, workdir: Path, **extra_env: str) -> Iterator[BenchDatabase]:
    """A fresh database, migrated and loaded with the shipped data: SQLite in workdir, or with kind
    "postgresql" a temporary PostgreSQL database dropped at the end. The Celery broker is a SQLite
    file in workdir unless extra_env names another."""
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(TempPostgres()).url if kind == "postgresql" else f"sqlite:///{workdir / 'bench.db'}"
        env = bench_environment(**{"DATABASE_URL": url,
                                   "CELERY_BROKER_URL": f"sqlalchemy+sqlite:///{workdir / 'broker.db'}"} | extra_env)
        yield BenchDatabase(url, env, migrate_and_load(env).stdout)


# --------------------------------------------------------------------------- reporting

def median(values) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")


def table(headers: list[str], rows: list[list], align: str | None = None) -> str:
    """A plain-text table; ``align`` is one 'l' or 'r' per column (numbers right by default)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    align = align or "l" + "r" * (len(headers) - 1)
    def line(row):
        return "  ".join(c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(row, widths, align))
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def say(text: str = "") -> None:
    print(text, flush=True)


def run_in_workdir(prefix: str, run) -> int:
    """Call ``run(workdir)`` in a fresh temporary folder, removed afterwards; a BenchError or OSError
    prints its message and gives exit status 1 (a missed goal is printed, never an error)."""
    exit_on_signals()
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        run(workdir)
        return 0
    except (BenchError, OSError) as error:
        return fail(error)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def fail(error: BaseException) -> int:
    print(f"ERROR: {error}", file=sys.stderr, flush=True)
    return 1
