"""Code page and payment API requests/s under gunicorn, against a bare Flask JSON view.

Goal (issue): /api/v1/codes/<code>/payment at >= 60% of bare Flask's requests/s, measured in
the same run on the same server settings. The code page (/codes/<code>) is reported too.

Steps: a fresh database (SQLite in a temp dir, or with --database postgresql a temporary
PostgreSQL database), `flask db upgrade` and `flask data load-all` on it, then two gunicorn
servers with the same settings -- the app (`app:create_app()`) and the baseline
(`bench.baseline_app:create_baseline_app()`) -- and the three URLs measured in turn, round
after round. Ratios are taken round by round (same minute of the same machine), then the median.

    .venv/bin/python bench/pages.py [--database sqlite|postgresql] [--rounds 3] [--duration 5]

Exits 1 only when the benchmark itself fails (a server that does not start, error responses);
a missed goal prints "goal missed" and exits 0.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import http_load as hl

API_PATH = "/api/v1/codes/20553/payment?locality=10112-00&modifiers=51"
PAGE_PATH = "/codes/20553"
BARE_PATH = "/json"
GOAL_API_RATIO = 0.60


def check_response(server: hl.Gunicorn, path: str, expect: str) -> int:
    status, body = hl.http_get(server.url(path), timeout=10)
    if status != 200 or expect.encode() not in body:
        raise hl.BenchError(f"{server.name} {path}: HTTP {status}, body starts {body[:300]!r}\n{server.log_tail()}")
    return len(body)


def run(args: argparse.Namespace, workdir: Path) -> None:
    say = hl.say
    started = time.monotonic()
    baseline_file = hl.PROJECT_ROOT / "tests" / "fixtures" / "reference" / "ccipra-v322r0-f1_sample.txt"
    with hl.loaded_database(args.database, workdir, BASELINE_FILE=str(baseline_file)) as database:
        say(f"database: {args.database} ({database.url}), migrated and loaded in {time.monotonic() - started:.1f}s")
        for line in database.load_output.strip().splitlines():
            say(f"  {line}")

        app_server = hl.Gunicorn("app:create_app()", env=database.env, name="Denial Radar")
        bare_server = hl.Gunicorn("bench.baseline_app:create_baseline_app()", env=database.env, name="bare Flask")
        with app_server, bare_server:
            app_server.start(ready_path=API_PATH)
            bare_server.start(ready_path=BARE_PATH)
            sizes = {
                "payment API": check_response(app_server, API_PATH, '"amount"'),
                "code page": check_response(app_server, PAGE_PATH, "20553"),
                "bare Flask /json": check_response(bare_server, BARE_PATH, '"amount"'),
            }
            say(f"servers: gunicorn {app_server.settings} (both); load: {hl.load_tool()}, "
                f"{args.connections} connections, {args.duration:.0f}s per measure, {args.rounds} rounds, "
                f"order rotated each round")
            targets = [
                ("bare Flask /json", [bare_server.url(BARE_PATH)]),
                ("payment API", [app_server.url(API_PATH)]),
                ("code page", [app_server.url(PAGE_PATH)]),
            ]
            results = hl.alternate(targets, rounds=args.rounds, duration=args.duration,
                                   connections=args.connections, warmup=args.warmup, progress=say)

        bare = results["bare Flask /json"]
        rows = []
        for label, path in (("bare Flask /json", BARE_PATH), ("payment API", API_PATH), ("code page", PAGE_PATH)):
            measured = results[label]
            ratio = ("1.00 (baseline)" if label == "bare Flask /json" else
                     f"{hl.median(m.rps / b.rps for m, b in zip(measured, bare)):.2f}")
            rows.append([
                label, path, sizes[label],
                " / ".join(f"{m.rps:.0f}" for m in measured),
                f"{hl.median(m.rps for m in measured):.1f}",
                ratio,
                f"{hl.median(m.p50_ms for m in measured):.2f}",
                f"{hl.median(m.p95_ms for m in measured):.2f}",
                sum(m.requests for m in measured),
                f"{sum(m.socket_errors for m in measured)}/{sum(m.bad_status for m in measured)}",
            ])
        say()
        say(hl.table(["target", "path", "bytes", "req/s by round", "median req/s", "x bare (median of rounds)",
                      "p50 ms", "p95 ms", "requests", "errors sock/HTTP"], rows,
                     align="lllrrrrrrr"))
        say()
        api_ratio = hl.median(m.rps / b.rps for m, b in zip(results["payment API"], bare))
        page_ratio = hl.median(m.rps / b.rps for m, b in zip(results["code page"], bare))
        verdict = "goal met" if api_ratio >= GOAL_API_RATIO else "goal missed"
        say(f"{verdict}: payment API at {api_ratio:.0%} of bare Flask (goal >= {GOAL_API_RATIO:.0%}) "
            f"on {args.database}")
        say(f"info: code page at {page_ratio:.0%} of bare Flask (no goal set)")

        errors = sum(m.errors for measured in results.values() for m in measured)
        if errors:
            raise hl.BenchError(f"{errors} failed requests during the load (see the errors column)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measure")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per target")
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    return hl.run_in_workdir("bench-pages-", lambda workdir: run(args, workdir))


if __name__ == "__main__":
    sys.exit(main())
