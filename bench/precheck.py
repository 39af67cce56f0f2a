"""POST /api/v1/claims/check of a 10-line claim under gunicorn, against a bare Flask JSON POST view.

Goal (issue 17): the pre-check of a 10-line claim answers with a p95 latency <= 50 ms. The ratio to
bare Flask's `/echo` (reads a JSON body, answers a small object: what Flask alone costs for a POST)
is printed beside it, measured in the same run, alternating, order rotated each round.

The database is made fresh (SQLite in a temp dir, or a temporary PostgreSQL database), migrated,
loaded with `flask data load-all` (whatever reference data the checkout ships), and 20553 is given a
live dashboard (--reports reports), so the crowd evidence of a live code and its payer-type slice is
part of the measured work. The answer's data vintages are printed: the checks run against them.

    .venv/bin/python bench/precheck.py [--database sqlite|postgresql] [--rounds 3] [--duration 4] [--connections 2]
"""
from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from pathlib import Path

import http_load as hl
from dashboard import seed_live_code

CHECK_PATH = "/api/v1/claims/check"
ECHO_PATH = "/echo"
GOAL_P95_MS = 50.0
CLAIM = {
    "lines": [
        {"code": "99213", "modifiers": ["25"]}, {"code": "20553"}, {"code": "20552"},
        {"code": "20610", "modifiers": ["RT"]}, {"code": "20611", "modifiers": ["LT", "XS"]},
        {"code": "76942", "modifiers": ["26"]}, {"code": "J3301", "units": 4}, {"code": "64450"},
        {"code": "97140", "units": 2}, {"code": "96372"},
    ],
    "payer_type": "medicare", "setting": "non_facility", "state": "AL",
}
ECHO_BODY = {"code": "20553"}


def post(connection: http.client.HTTPConnection, path: str, body: bytes) -> tuple[int, bytes]:
    connection.request("POST", path, body=body, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    return response.status, response.read()


def load(label: str, port: int, path: str, body: dict, seconds: float, connections: int) -> hl.LoadResult:
    """POST the same body over `connections` keep-alive connections for `seconds`; latency of each request."""
    payload = json.dumps(body).encode()
    latencies: list[float] = []
    bad = [0, 0]  # socket errors, statuses >= 400
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        connection = http.client.HTTPConnection(hl.HOST, port, timeout=10)
        mine, errors, statuses = [], 0, 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status, _ = post(connection, path, payload)
                mine.append(time.perf_counter() - started)
                statuses += status >= 400
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = http.client.HTTPConnection(hl.HOST, port, timeout=10)
        connection.close()
        with lock:
            latencies.extend(mine)
            bad[0] += errors
            bad[1] += statuses

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))] * 1000 if latencies else 0.0

    return hl.LoadResult(label, "python (threads, http.client)", len(latencies), elapsed, bad[0], bad[1],
                         percentile(50), percentile(95))


def run(args: argparse.Namespace, workdir: Path) -> None:
    say = hl.say
    with hl.loaded_database(args.database, workdir) as database:
        env = database.env
        seed_live_code(database.url, env, args.reports)
        say(f"database: {args.database}, sample loaded, 20553 live with {args.reports} reports")

        app_server = hl.Gunicorn("app:create_app()", env=env, name="Denial Radar")
        bare_server = hl.Gunicorn("bench.baseline_app:create_baseline_app()", env=env, name="bare Flask")
        with app_server, bare_server:
            app_server.start(ready_path="/healthz")
            bare_server.start(ready_path="/json")
            connection = http.client.HTTPConnection(hl.HOST, app_server.port, timeout=10)
            status, answer = post(connection, CHECK_PATH, json.dumps(CLAIM).encode())
            connection.close()
            if status != 200:
                raise hl.BenchError(f"pre-check answered {status}: {answer[:500]!r}")
            checked = json.loads(answer)
            say(f"claim: {len(CLAIM['lines'])} lines; answer {len(answer)} bytes, "
                f"{sum(checked['counts'].values())} findings; data: "
                + "; ".join(f"{k}: {v or 'none loaded'}" for k, v in checked["vintages"].items()))
            say(f"servers: gunicorn {app_server.settings} (both); {args.connections} connections, "
                f"{args.duration:.0f}s per measure, {args.rounds} rounds, order rotated")
            targets = [("bare Flask POST /echo", bare_server.port, ECHO_PATH, ECHO_BODY),
                       ("POST /api/v1/claims/check", app_server.port, CHECK_PATH, CLAIM)]
            for label, port, path, body in targets:
                load(label, port, path, body, 1.0, args.connections)  # warm-up
            results: dict[str, list[hl.LoadResult]] = {label: [] for label, *_ in targets}
            for number in range(args.rounds):
                shift = number % len(targets)
                for label, port, path, body in targets[shift:] + targets[:shift]:
                    result = load(label, port, path, body, args.duration, args.connections)
                    results[label].append(result)
                    say(f"  round {number + 1}/{args.rounds}  {label:<27} {result.rps:8.1f} req/s  "
                        f"p50 {result.p50_ms:6.2f} ms  p95 {result.p95_ms:6.2f} ms  errors {result.errors}")

        bare, check = results["bare Flask POST /echo"], results["POST /api/v1/claims/check"]
        rows = [[label, f"{hl.median(r.rps for r in measured):.1f}",
                 "1.00 (baseline)" if measured is bare else f"{hl.median(c.rps / b.rps for c, b in zip(check, bare)):.2f}",
                 f"{hl.median(r.p50_ms for r in measured):.2f}", f"{hl.median(r.p95_ms for r in measured):.2f}",
                 "1.00" if measured is bare else f"{hl.median(c.p95_ms / b.p95_ms for c, b in zip(check, bare)):.1f}",
                 sum(r.requests for r in measured), sum(r.errors for r in measured)]
                for label, measured in results.items()]
        say()
        say(hl.table(["target", "median req/s", "req/s x bare", "p50 ms", "p95 ms", "p95 x bare", "requests", "errors"],
                     rows, align="lrrrrrrr"))
        say()
        p95 = hl.median(r.p95_ms for r in check)
        say(f"{'goal met' if p95 <= GOAL_P95_MS else 'goal missed'}: 10-line pre-check p95 {p95:.1f} ms "
            f"(goal <= {GOAL_P95_MS:.0f} ms) on {args.database}")
        if errors := sum(r.errors for measured in results.values() for r in measured):
            raise hl.BenchError(f"{errors} failed requests during the load")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=4.0, help="seconds per measure")
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--reports", type=int, default=300, help="reports that make 20553 live")
    args = parser.parse_args()
    return hl.run_in_workdir("bench-precheck-", lambda workdir: run(args, workdir))


if __name__ == "__main__":
    sys.exit(main())
