"""Reports under load with real gunicorn and Celery workers (issue 12), each figure beside its baseline.

1. Broker outage: POST /api/v1/reports throughput and p95 with the broker down against the broker
   up (Redis, a worker running), same run, rounds alternated. Goal: down >= 80% of up. Every 201
   is then looked up in the database.
2. Commit to dashboard: p95 from a report's 201 until the dashboard API shows it, on the embedded
   SQLAlchemy broker (goal <= 500 ms) and on Redis; then on PostgreSQL + Redis with 1,000,000
   reports already on the code (goal <= 250 ms). Each alternates with a 10-report code, the baseline.
3. Burst: 2,000 reports over 20 s across 6 codes, then one report for a new code; time from the
   end of the burst until every dashboard matches the database (embedded goal <= 10 s, Redis <= 3 s).

    .venv/bin/python bench/reports.py [--only outage,latency,big,burst] [--big-reports 1000000]

Each submission comes from its own network (X-Forwarded-For with TRUSTED_PROXIES=127.0.0.1, as behind a
load balancer) so rate limits and duplicate detection treat them as different billers.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import signal
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
          "modifiers": ["25"]}
BURST_CODES = ["20553", "20552", "20550", "20551", "20600", "20605"]
NEW_CODE = "96372"
BIG, SMALL = "20553", "20552"
READY = "/api/v1/codes/20553/dashboard"  # not /healthz: it reports the broker, which is down on purpose here
_addresses = count(1)


def next_address() -> str:
    number = next(_addresses)  # a contributor is a /24: each report its own network
    return f"10.{(number >> 8) & 255}.{number & 255}.1"


def post_json(port: int, body: dict, connection=None) -> tuple[int, dict, object]:
    connection = connection or http.client.HTTPConnection(hl.HOST, port, timeout=10)
    connection.request("POST", "/api/v1/reports", body=json.dumps(body),
                       headers={"Content-Type": "application/json", "X-Forwarded-For": next_address()})
    response = connection.getresponse()
    payload = response.read()
    return response.status, json.loads(payload or b"{}"), connection


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def submit(port: int, bodies: list[dict], concurrency: int, pace: float = 0.0) -> dict:
    """Send the bodies over `concurrency` threads (report i not before i * pace s); statuses, ids, latencies."""
    result = {"statuses": {}, "ids": [], "latencies": []}
    lock = threading.Lock()
    numbers = count()
    started = time.perf_counter()

    def worker():
        connection = None
        while (number := next(numbers)) < len(bodies):
            if pace and (wait := started + number * pace - time.perf_counter()) > 0:
                time.sleep(wait)
            sent = time.perf_counter()
            try:
                status, body, connection = post_json(port, bodies[number], connection)
            except (OSError, http.client.HTTPException):
                status, body, connection = -1, {}, None
            with lock:
                result["statuses"][status] = result["statuses"].get(status, 0) + 1
                result["latencies"].append(time.perf_counter() - sent)
                if status == 201:
                    result["ids"].append(body["id"])

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result["seconds"] = time.perf_counter() - started
    return result


class Worker:
    """The workers of `make run`: aggregations and the sweep (prefork, 2 processes), PDF builds (1 process)."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log = env, log
        self.processes: list[subprocess.Popen] = []

    def __enter__(self) -> "Worker":
        queue = self.env["CELERY_QUEUE"]
        with self.log.open("ab") as log:
            for name, queues, concurrency in (("aggregation", f"{queue},{queue}-sweep", 2),
                                              ("toolkit", f"{queue}-toolkit", 1)):
                self.processes.append(subprocess.Popen(
                    [hl.venv_tool("celery"), "-A", "make_celery", "worker", "--loglevel=WARNING", "-Q", queues,
                     f"--concurrency={concurrency}", "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
                     "--without-heartbeat"],
                    cwd=hl.PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        time.sleep(5)  # connect and start the pools
        if any(process.poll() is not None for process in self.processes):
            raise hl.BenchError(f"celery worker exited: {self.log.read_text()[-2000:]}")
        return self

    def __exit__(self, *_exc) -> None:
        for process in self.processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def sqlite_env(workdir: Path, name: str, broker: str) -> dict:
    env = hl.bench_environment(DATABASE_URL=f"sqlite:///{workdir / name}.db", TRUSTED_PROXIES="127.0.0.1",
                               REPORT_RATE_LIMIT="1000000 per minute", CELERY_BROKER_URL=broker,
                               CELERY_QUEUE=f"bench-{time.time_ns()}")
    hl.migrate_and_load(env)
    return env


def dashboard(server: hl.Gunicorn, code: str) -> dict:
    status, payload = hl.http_get(server.url(f"/api/v1/codes/{code}/dashboard"))
    if status != 200:
        raise hl.BenchError(f"dashboard of {code} answered {status}")
    return json.loads(payload)


def outage(args, workdir: Path) -> None:
    hl.say("1. POST /api/v1/reports with the broker down against up (Redis, a worker running), SQLite")
    up_env = sqlite_env(workdir, "outage", args.redis)
    down_env = up_env | {"CELERY_BROKER_URL": "redis://127.0.0.1:1/0"}
    results = {"broker up": [], "broker down": []}
    created: list[int] = []
    with Worker(up_env, workdir / "outage-worker.log"), hl.Gunicorn("app:create_app()", env=up_env) as up, \
            hl.Gunicorn("app:create_app()", env=down_env) as down:
        up.start(ready_path=READY)
        down.start(ready_path=READY)
        targets = [("broker up", up), ("broker down", down)]
        for number in range(args.rounds):
            for label, server in targets if number % 2 == 0 else targets[::-1]:
                bodies = [REPORT | {"code": BURST_CODES[i % len(BURST_CODES)]} for i in range(args.requests)]
                result = submit(server.port, bodies, args.connections)
                results[label].append(result)
                created += result["ids"]
                hl.say(f"  round {number + 1} {label:<12} {args.requests / result['seconds']:7.1f} req/s  "
                       f"p95 {p95(result['latencies']) * 1000:6.1f} ms  statuses {result['statuses']}")
    with sqlite3.connect(workdir / "outage.db") as connection:
        stored = {row[0] for row in connection.execute("SELECT id FROM denial_report")}
    rps = {label: statistics.median(args.requests / r["seconds"] for r in runs) for label, runs in results.items()}
    latency = {label: statistics.median(p95(r["latencies"]) for r in runs) * 1000 for label, runs in results.items()}
    errors = sum(n for runs in results.values() for r in runs for status, n in r["statuses"].items() if status != 201)
    hl.say(hl.table(["", "median req/s", "median p95 ms"],
                    [[label, f"{rps[label]:.1f}", f"{latency[label]:.1f}"] for label in results]))
    ratio = rps["broker down"] / rps["broker up"]
    missing = len(set(created) - stored)
    hl.say(f"  down/up {ratio:.2f} (goal >= 0.80): {'goal met' if ratio >= 0.8 and not errors else 'goal missed'}; "
           f"{len(created)} answered 201, {missing} missing from the database, {errors} errors")


def commit_to_dashboard(server: hl.Gunicorn, samples: int, codes: tuple[str, str]) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {code: [] for code in codes}
    for number in range(samples * 2):
        code = codes[(number + number // 2) % 2]  # ABBA order
        sent_at = dt.datetime.now(dt.timezone.utc)  # a fast worker may aggregate before the answer arrives
        status, body, _ = post_json(server.port, REPORT | {"code": code})
        if status != 201:
            raise hl.BenchError(f"report answered {status}: {body}")
        committed = time.perf_counter()
        while time.perf_counter() < committed + 15:
            board = dashboard(server, code)
            # Pages publish counts rounded to 5 (app/dashboards/disclosure.py), so the report's arrival is
            # seen as the first aggregation computed after it was sent (the previous one had finished).
            if board.get("computed_at") and dt.datetime.fromisoformat(board["computed_at"].replace("Z", "+00:00")) > sent_at:
                times[code].append(time.perf_counter() - committed)
                break
            time.sleep(0.005)
        else:
            raise hl.BenchError(f"the dashboard of {code} did not show report {body['report_count']} within 15 s")
    return times


def say_latency(label: str, times: dict[str, list[float]], big_label: str, goal_ms: float) -> None:
    rows = [[f"{label}, {name}", f"{statistics.median(times[code]) * 1000:.0f}", f"{p95(times[code]) * 1000:.0f}"]
            for code, name in zip(times, (big_label, "10-report code (baseline)"))]
    hl.say(hl.table(["commit -> dashboard", "p50 ms", "p95 ms"], rows))
    worst = p95(list(times.values())[0]) * 1000
    hl.say(f"  p95 {worst:.0f} ms (goal <= {goal_ms:.0f} ms): {'goal met' if worst <= goal_ms else 'goal missed'}")


def latency(args, workdir: Path) -> None:
    hl.say("2. Report commit to dashboard, SQLite, a worker running")
    for label, broker, goal in (("embedded SQLAlchemy broker", f"sqlalchemy+sqlite:///{workdir / 'broker.db'}", 500),
                                ("Redis", args.redis, 250)):
        env = sqlite_env(workdir, f"latency-{goal}", broker)
        with Worker(env, workdir / f"latency-{goal}.log"), hl.Gunicorn("app:create_app()", env=env) as server:
            server.start(ready_path=READY)
            for _ in range(5):  # take both codes live first: the first aggregations create their rows
                commit_to_dashboard(server, 1, (BIG, SMALL))
            say_latency(label, commit_to_dashboard(server, args.latency_samples, (BIG, SMALL)), "busy code", goal)


def big_code(args, workdir: Path) -> None:
    hl.say(f"2b. Report commit to dashboard, PostgreSQL + Redis, {args.big_reports:,} reports on the code")
    import aggregate  # the seeding (generate_series) and the app it makes

    from app.extensions import db
    from app.dashboards.aggregates import check_tallies, refresh_aggregate

    with hl.TempPostgres() as database:
        started = time.perf_counter()
        app = aggregate.seeded_app(database, args.big_reports)
        with app.app_context():
            for code in (BIG, SMALL):
                check_tallies(code)
                refresh_aggregate(code)
            db.session.remove()
            db.engine.dispose()
        hl.say(f"  seeded and counted in {time.perf_counter() - started:.0f} s")
        env = hl.bench_environment(DATABASE_URL=database.url, TRUSTED_PROXIES="127.0.0.1", CELERY_BROKER_URL=args.redis,
                                   REPORT_RATE_LIMIT="1000000 per minute", CELERY_QUEUE=f"bench-{time.time_ns()}")
        with Worker(env, workdir / "big.log"), hl.Gunicorn("app:create_app()", env=env) as server:
            server.start(ready_path=READY)
            commit_to_dashboard(server, 2, (BIG, SMALL))
            times = commit_to_dashboard(server, args.latency_samples, (BIG, SMALL))
        database.end_other_sessions()
    say_latency("PostgreSQL + Redis", times, f"{args.big_reports:,}-report code", 250)


def burst(args, workdir: Path) -> None:
    hl.say(f"3. Burst: {args.burst_reports:,} reports over {args.burst_seconds:.0f} s across {len(BURST_CODES)} codes, "
           f"then one for a new code; SQLite, a worker running")
    for label, broker, goal in (("embedded SQLAlchemy broker", f"sqlalchemy+sqlite:///{workdir / 'burst-broker.db'}",
                                 10.0), ("Redis", args.redis, 3.0)):
        env = sqlite_env(workdir, f"burst-{goal:.0f}", broker)
        with Worker(env, workdir / f"burst-{goal:.0f}.log"), hl.Gunicorn("app:create_app()", env=env) as server:
            server.start(ready_path=READY)
            bodies = [REPORT | {"code": BURST_CODES[i % len(BURST_CODES)]} for i in range(args.burst_reports)]
            result = submit(server.port, bodies, args.connections, pace=args.burst_seconds / args.burst_reports)
            status, body, _ = post_json(server.port, REPORT | {"code": NEW_CODE})
            ended = time.perf_counter()
            if status != 201 or result["statuses"].get(201) != args.burst_reports:
                raise hl.BenchError(f"burst answers {result['statuses']}, new code {status}")
            with sqlite3.connect(workdir / f"burst-{goal:.0f}.db") as connection:
                expected = dict(connection.execute(
                    "SELECT code, count(*) FROM denial_report WHERE status = 'accepted' GROUP BY code").fetchall())
            pending = set(expected)
            # The stored aggregates, not the API: pages publish counts rounded (app/dashboards/disclosure.py).
            with sqlite3.connect(workdir / f"burst-{goal:.0f}.db") as connection:
                while pending and time.perf_counter() < ended + 120:
                    stored = dict(connection.execute("SELECT code, report_count FROM code_aggregate").fetchall())
                    marked = {code for (code,) in connection.execute("SELECT code FROM aggregation_mark")}
                    pending = {code for code in pending if stored.get(code) != expected[code] or code in marked}
                    time.sleep(0.02)
            caught_up = time.perf_counter() - ended
            with sqlite3.connect(workdir / f"burst-{goal:.0f}.db") as connection:
                aggregations = connection.execute("SELECT sum(version) FROM code_aggregate").fetchone()[0]
        hl.say(f"  {label}: burst sent in {result['seconds']:.1f} s (p95 POST {p95(result['latencies']) * 1000:.0f} ms); "
               f"every dashboard matched the database {caught_up:.1f} s after it ended "
               f"({aggregations} aggregations for {args.burst_reports + 1} reports)"
               f" -> {'goal met' if not pending and caught_up <= goal else 'goal missed'} (goal <= {goal:.0f} s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="outage,latency,big,burst")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--latency-samples", type=int, default=20)
    parser.add_argument("--big-reports", type=int, default=1_000_000)
    parser.add_argument("--burst-reports", type=int, default=2000)
    parser.add_argument("--burst-seconds", type=float, default=20.0)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    parts = {"outage": outage, "latency": latency, "big": big_code, "burst": burst}

    def run(workdir: Path) -> None:
        for name in args.only.split(","):
            parts[name](args, workdir)
            hl.say()

    return hl.run_in_workdir("bench-reports-", run)


if __name__ == "__main__":
    sys.exit(main())
