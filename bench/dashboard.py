"""Dashboard API requests/s under gunicorn against a bare Flask JSON view, in the same run.

Goal (issue 4): GET /api/v1/codes/<code>/dashboard at >= 60% of bare Flask. The dashboard is the
stored aggregate (one primary-key read) with an ETag; the measured requests send no
If-None-Match, so every one is a full 200 answer. A sliced dashboard (?payer_type=medicare),
computed by the database on each request, is reported beside it.

Two baselines on the same gunicorn settings: bare Flask's `/json` (a 0.75 KB object, the baseline
of every HTTP benchmark here) and `/body`, a bare view answering the dashboard's own bytes
(about 39 KB), which separates what the framework costs from what moving the body costs.

    .venv/bin/python bench/dashboard.py [--database sqlite|postgresql] [--reports 2000]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import http_load as hl
from pages import check_response

sys.path.insert(0, str(hl.PROJECT_ROOT))

DASHBOARD_PATH = "/api/v1/codes/20553/dashboard"
SLICE_PATH = "/api/v1/codes/20553/dashboard?payer_type=medicare"
BARE_PATH = "/json"
BODY_PATH = "/body"
GOAL = 0.60


def seed_live_code(database_url: str, env: dict, count: int) -> None:
    """Write `count` reports of 20553 from many contributors and store its aggregate."""
    from app import create_app
    from app.enums import AppealOutcome, AppealStrategy, DenialCategory, GroupCode, PayerType
    from app.extensions import db
    from app.dashboards.aggregates import refresh_aggregate
    from app.reports.models import DenialReport, ReportRemarkCode

    url = database_url.replace("postgresql://", "postgresql+psycopg://")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": env["SECRET_KEY"],
                      "CONTRIBUTOR_SECRET": env["CONTRIBUTOR_SECRET"], "CELERY_BROKER_URL": env["CELERY_BROKER_URL"]})
    rng = random.Random(3)
    with app.app_context():
        for number in range(count):
            strategy = rng.choice(list(AppealStrategy))
            db.session.add(DenialReport(
                code="20553", payer_type=rng.choice(list(PayerType)), group_code=GroupCode.CO,
                carc=rng.choice(["97", "236", "50", "16"]), denial_category=rng.choice(list(DenialCategory)),
                report_month=f"2026-{rng.randint(1, 11):02d}", appeal_strategy=strategy,
                appeal_outcome=rng.choice(list(AppealOutcome)), days_to_resolution=rng.randint(1, 120),
                contributor=f"contributor-{number % 400}", receipt_hash=f"bench-{number}",
                remark_codes=[ReportRemarkCode(rarc=rng.choice(["N56", "M80"]))],
            ))
        db.session.commit()
        refresh_aggregate("20553")
        db.session.remove()
        db.engine.dispose()


def run(args: argparse.Namespace, workdir: Path) -> None:
    say = hl.say
    with hl.loaded_database(args.database, workdir) as database:
        env = database.env
        started = time.monotonic()
        seed_live_code(database.url, env, args.reports)
        say(f"database: {args.database}; {args.reports} reports of 20553 seeded and aggregated in "
            f"{time.monotonic() - started:.1f}s")
        app_server = hl.Gunicorn("app:create_app()", env=env, name="Denial Radar")
        dashboard_copy = workdir / "dashboard.json"
        bare_server = hl.Gunicorn("bench.baseline_app:create_baseline_app()",
                                  env=env | {"BASELINE_JSON": str(dashboard_copy)}, name="bare Flask")
        with app_server, bare_server:
            app_server.start(ready_path=DASHBOARD_PATH)
            dashboard_copy.write_bytes(hl.http_get(app_server.url(DASHBOARD_PATH), timeout=10)[1])
            bare_server.start(ready_path=BARE_PATH)
            sizes = {"dashboard API": check_response(app_server, DASHBOARD_PATH, '"live":true'),
                     "sliced dashboard": check_response(app_server, SLICE_PATH, '"payer_type":"medicare"'),
                     "bare Flask /json": check_response(bare_server, BARE_PATH, '"amount"'),
                     "bare Flask /body": check_response(bare_server, BODY_PATH, '"live":true')}
            say(f"servers: gunicorn {app_server.settings} (both); load: {hl.load_tool()}, {args.connections} "
                f"connections, {args.duration:.0f}s per measure, {args.rounds} rounds, order rotated")
            targets = [("bare Flask /json", [bare_server.url(BARE_PATH)]),
                       ("bare Flask /body", [bare_server.url(BODY_PATH)]),
                       ("dashboard API", [app_server.url(DASHBOARD_PATH)]),
                       ("sliced dashboard", [app_server.url(SLICE_PATH)])]
            results = hl.alternate(targets, rounds=args.rounds, duration=args.duration,
                                   connections=args.connections, warmup=args.warmup, progress=say)

        def ratio(label: str, baseline: str) -> float:
            return hl.median(m.rps / b.rps for m, b in zip(results[label], results[baseline]))

        rows = [[label, sizes[label], f"{hl.median(m.rps for m in results[label]):.1f}",
                 f"{ratio(label, 'bare Flask /json'):.2f}", f"{ratio(label, 'bare Flask /body'):.2f}",
                 f"{hl.median(m.p50_ms for m in results[label]):.2f}",
                 f"{hl.median(m.p95_ms for m in results[label]):.2f}", sum(m.errors for m in results[label])]
                for label, _ in targets]
        say()
        say(hl.table(["target", "bytes", "median req/s", "x /json", "x /body", "p50 ms", "p95 ms", "errors"], rows))
        for baseline, what in (("bare Flask /json", "a 0.75 KB JSON view"), ("bare Flask /body", "the same bytes")):
            achieved = ratio("dashboard API", baseline)
            say(f"{'goal met' if achieved >= GOAL else 'goal missed'}: dashboard API at {achieved:.0%} of bare Flask "
                f"serving {what} (goal >= {GOAL:.0%}) on {args.database}")
        if any(m.errors for measured in results.values() for m in measured):
            raise hl.BenchError("failed requests during the load")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    return hl.run_in_workdir("bench-dashboard-", lambda workdir: run(args, workdir))


if __name__ == "__main__":
    sys.exit(main())
