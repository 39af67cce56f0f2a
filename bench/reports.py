"""POST /api/v1/reports under gunicorn against a bare Flask JSON POST view, and every 201 checked
in the database afterwards; then report-commit-to-dashboard latency with a real Celery worker.

Goals (issue 4): submissions with 0 errors and every 201 stored; the dashboard reflecting a
committed report within 250 ms (p50 and p95) with Redis as broker, within 2 s with the embedded
SQLAlchemy broker.

    .venv/bin/python bench/reports.py [--requests 600] [--rounds 2] [--latency-samples 25]

Each submission comes from its own address (X-Forwarded-For with TRUSTED_PROXIES=1, as behind a
load balancer) so rate limits and duplicate detection treat them as different billers.
"""
from __future__ import annotations

import argparse
import http.client
import json
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from itertools import count
from pathlib import Path

import http_load as hl

REPORT = {"code": "20553", "payer_type": "medicare", "group_code": "CO", "carc": "97", "rarc": ["N56"],
          "modifiers": ["25"], "narrative": "Denied as included in the office visit; resubmitted with 25."}
_addresses = count(1)


def next_address() -> str:
    number = next(_addresses)
    return f"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}"


def post_json(port: int, path: str, body: dict, address: str, connection=None) -> tuple[int, dict, object]:
    connection = connection or http.client.HTTPConnection(hl.HOST, port, timeout=10)
    connection.request("POST", path, body=json.dumps(body),
                       headers={"Content-Type": "application/json", "X-Forwarded-For": address})
    response = connection.getresponse()
    payload = response.read()
    return response.status, json.loads(payload or b"{}"), connection


def submit_load(port: int, path: str, total: int, concurrency: int) -> tuple[float, dict[int, int], list[int]]:
    """Send `total` reports over `concurrency` threads; returns seconds, status counts and the ids created."""
    statuses: dict[int, int] = {}
    ids: list[int] = []
    lock = threading.Lock()
    remaining = count()

    def worker():
        connection = None
        while next(remaining) < total:
            try:
                status, body, connection = post_json(port, path, REPORT, next_address(), connection)
            except (OSError, http.client.HTTPException):
                status, body, connection = -1, {}, None
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 201 and "id" in body:
                    ids.append(body["id"])

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, statuses, ids


def stored_ids(database: Path) -> set[int]:
    with sqlite3.connect(database) as connection:
        return {row[0] for row in connection.execute("SELECT id FROM denial_report")}


def throughput(args, workdir: Path) -> None:
    say = hl.say
    database = workdir / "bench.db"
    env = hl.bench_environment(DATABASE_URL=f"sqlite:///{database}", TRUSTED_PROXIES="1",
                               REPORT_RATE_LIMIT="1000000 per minute",
                               CELERY_BROKER_URL=f"sqlalchemy+sqlite:///{workdir / 'broker.db'}")
    flask = hl.venv_tool("flask")
    hl.run_checked([flask, "--app", "app", "db", "upgrade"], env, "flask db upgrade")
    hl.run_checked([flask, "--app", "app", "data", "load-all"], env, "flask data load-all")
    app_server = hl.Gunicorn("app:create_app()", env=env, name="Denial Radar")
    bare_server = hl.Gunicorn("bench.baseline_app:create_baseline_app()", env=env, name="bare Flask")
    results = {"POST /api/v1/reports": [], "bare Flask POST /echo": []}
    created: list[int] = []
    with app_server, bare_server:
        app_server.start(ready_path="/healthz")
        bare_server.start(ready_path="/json")
        targets = [("POST /api/v1/reports", app_server, "/api/v1/reports"), ("bare Flask POST /echo", bare_server, "/echo")]
        for number in range(args.rounds):
            for label, server, path in targets if number % 2 == 0 else targets[::-1]:
                seconds, statuses, ids = submit_load(server.port, path, args.requests, args.connections)
                results[label].append((args.requests / seconds, statuses))
                if server is app_server:
                    created.extend(ids)
                say(f"  round {number + 1}/{args.rounds}  {label:<24} {args.requests / seconds:8.1f} req/s  statuses {statuses}")
    stored = stored_ids(database)
    missing = set(created) - stored
    app_rps = [rps for rps, _ in results["POST /api/v1/reports"]]
    bare_rps = [rps for rps, _ in results["bare Flask POST /echo"]]
    errors = sum(n for _, statuses in results["POST /api/v1/reports"] for status, n in statuses.items() if status != 201)
    say()
    say(hl.table(["target", "median req/s", "x bare (median of rounds)", "non-201 answers"], [
        ["POST /api/v1/reports", f"{statistics.median(app_rps):.1f}",
         f"{statistics.median(a / b for a, b in zip(app_rps, bare_rps)):.2f}", errors],
        ["bare Flask POST /echo", f"{statistics.median(bare_rps):.1f}", "1.00", 0],
    ]))
    say(f"{'goal met' if errors == 0 and not missing else 'goal missed'}: {len(created)} answered 201, "
        f"{len(created) - len(missing)} of them found in the database, {errors} errors (SQLite, gunicorn {app_server.settings})")


def latency(args, workdir: Path, broker: str) -> None:
    say = hl.say
    label = "Redis" if broker.startswith("redis") else "embedded SQLAlchemy broker"
    database = workdir / f"latency-{label[:5]}.db"
    env = hl.bench_environment(DATABASE_URL=f"sqlite:///{database}", TRUSTED_PROXIES="1",
                               REPORT_RATE_LIMIT="1000000 per minute", CELERY_BROKER_URL=broker,
                               CELERY_QUEUE=f"bench-{time.time_ns()}")
    flask = hl.venv_tool("flask")
    hl.run_checked([flask, "--app", "app", "db", "upgrade"], env, "flask db upgrade")
    hl.run_checked([flask, "--app", "app", "data", "load-all"], env, "flask data load-all")
    log = (workdir / "worker.log").open("wb")
    worker = subprocess.Popen([hl.venv_tool("celery"), "-A", "make_celery", "worker", "--loglevel=WARNING",
                               "--concurrency=1", "--pool=solo"], cwd=hl.PROJECT_ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    samples: list[float] = []
    try:
        with hl.Gunicorn("app:create_app()", env=env, name="Denial Radar") as server:
            server.start(ready_path="/healthz")
            time.sleep(3)  # let the worker connect
            for number in range(args.latency_samples):
                status, body, _ = post_json(server.port, "/api/v1/reports", REPORT | {"carc": "97"}, next_address())
                if status != 201:
                    raise hl.BenchError(f"report answered {status}: {body}")
                committed = time.perf_counter()
                deadline = committed + 10
                while time.perf_counter() < deadline:
                    _, payload = hl.http_get(server.url("/api/v1/codes/20553/dashboard"))
                    if json.loads(payload)["report_count"] >= body["report_count"] and "computed_at" in json.loads(payload):
                        samples.append(time.perf_counter() - committed)
                        break
                    time.sleep(0.005)
                else:
                    raise hl.BenchError(f"dashboard did not reflect report {number + 1} within 10 s")
    finally:
        import os
        import signal

        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)
        log.close()
    ordered = sorted(samples)
    p50 = statistics.median(ordered) * 1000
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000
    goal = 250 if broker.startswith("redis") else 2000
    say(f"commit -> dashboard, {label}: {len(samples)} reports, p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {ordered[-1] * 1000:.0f} ms "
        f"-> {'goal met' if p95 < goal else 'goal missed'} (goal < {goal} ms)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--latency-samples", type=int, default=25)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()

    def run(workdir: Path) -> None:
        hl.say("Report submission throughput")
        throughput(args, workdir)
        hl.say()
        hl.say("Report commit to dashboard (a real worker aggregates each report)")
        latency(args, workdir, args.redis)
        latency(args, workdir, f"sqlalchemy+sqlite:///{workdir / 'broker.db'}")

    return hl.run_in_workdir("bench-reports-", run)


if __name__ == "__main__":
    sys.exit(main())
