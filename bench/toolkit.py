"""Revenue Protection Toolkit PDFs: build time, and cached downloads against bare Flask sending a file.

Goal (issue): a cached toolkit download at >= 60% of the requests/s of a bare Flask `send_file` of a
file of the same size, on the same gunicorn settings, measured in the same run.

Steps: a fresh SQLite database in a temp dir, `flask db upgrade` and `flask data load-all`, then
12 reports that make 20553 live (so its PDF carries a chart and tables). In-process, the build
times: one code's PDF (`/codes/20553/toolkit.pdf`) and the whole toolkit (`/toolkit.pdf`), each
built from scratch several times (cache emptied), median printed. Then gunicorn servers with the same
settings: the app (its toolkit cache in the temp dir, already holding both PDFs) and the bare Flask
baseline (`bench.baseline_app`, `/file`) twice, serving a copy of each PDF, so sizes are equal.
The four URLs are loaded in turn, round after round, order rotated; ratios are taken round by round,
then the median. The cache files are checked untouched afterwards (no download rebuilt anything).

    .venv/bin/python bench/toolkit.py [--rounds 4] [--duration 3] [--connections 4] [--builds 3]

Exits 1 only when the benchmark itself fails; a missed goal prints "goal missed" and exits 0.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

CODE = "20553"
CODE_PATH = f"/codes/{CODE}/toolkit.pdf"
WHOLE_PATH = "/toolkit.pdf"
GOAL_RATIO = 0.60
INSTANCE_VARIABLE = "TOOLKIT_BENCH_INSTANCE"
TTL_VARIABLE = "TOOLKIT_BENCH_KEY_TTL"
STATIC_FILE = "static/css/app.css"


def create_bench_app():
    """The real app, with its instance folder (and so the toolkit cache) in the benchmark's temp dir."""
    from app import create_app

    app = create_app()
    app.instance_path = os.environ[INSTANCE_VARIABLE]
    if TTL_VARIABLE in os.environ:
        app.config["TOOLKIT_KEY_TTL"] = float(os.environ[TTL_VARIABLE])
    return app


def make_code_live(app) -> None:
    from app.enums import AppealOutcome, AppealStrategy, DenialCategory, GroupCode, PayerType, ReportStatus
    from app.extensions import db
    from app.dashboards.aggregates import refresh_aggregate
    from app.reports.models import DenialReport, ReportModifier, ReportRemarkCode

    plan = ([("97", DenialCategory.BUNDLING, AppealStrategy.CORRECTED_CLAIM, AppealOutcome.WON, "25")] * 6
            + [("16", DenialCategory.DOCUMENTATION, AppealStrategy.MEDICAL_RECORDS, AppealOutcome.LOST, "59")] * 4
            + [("50", DenialCategory.MEDICAL_NECESSITY, AppealStrategy.PEER_TO_PEER, AppealOutcome.LOST, None)] * 2)
    for index, (carc, category, strategy, outcome, modifier) in enumerate(plan):
        db.session.add(DenialReport(
            code=CODE, contributor=f"bench-{index % 3}", payer_type=PayerType.MEDICARE, group_code=GroupCode.CO,
            carc=carc, denial_category=category, appeal_strategy=strategy, appeal_outcome=outcome,
            days_to_resolution=20 + index, denial_month="2026-08", report_month="2026-08", state="TX",
            status=ReportStatus.ACCEPTED, receipt_hash=f"bench-receipt-{index}",
            modifiers=[ReportModifier(modifier=modifier)] if modifier else [],
            remark_codes=[ReportRemarkCode(rarc="N56")] if carc == "97" else [],
        ))
    db.session.commit()
    refresh_aggregate(CODE)


def build_times(app, code_runs: int, whole_runs: int) -> dict[str, list[float]]:
    """Seconds to build each PDF from an empty cache (data queries + ReportLab + the atomic write)."""
    from app.toolkit import builds

    times: dict[str, list[float]] = {"code": [], "whole": []}
    with app.app_context():
        directory = builds.toolkit_directory()
        for label, code, runs in (("code", CODE, code_runs), ("whole", None, whole_runs)):
            for _ in range(runs):
                for old in directory.glob(f"{'code-' + CODE if code else 'toolkit'}-*.pdf"):
                    old.unlink()
                started = time.perf_counter()
                builds.current_pdf(code)
                times[label].append(time.perf_counter() - started)
    return times


def run(args: argparse.Namespace, workdir: Path) -> None:
    import http_load as hl

    say = hl.say
    instance = workdir / "instance"
    instance.mkdir()
    env = hl.bench_environment(
        DATABASE_URL=f"sqlite:///{workdir / 'bench.db'}",
        CELERY_BROKER_URL=f"sqlalchemy+sqlite:///{workdir / 'broker.db'}",
        **{INSTANCE_VARIABLE: str(instance)},
    )
    started = time.monotonic()
    hl.migrate_and_load(env)
    say(f"database: sqlite ({workdir / 'bench.db'}), migrated and loaded in {time.monotonic() - started:.1f}s")

    os.environ.update(env)  # the in-process app reads the same database and secrets
    sys.path.insert(0, str(hl.PROJECT_ROOT))
    app = create_bench_app()
    with app.app_context():
        make_code_live(app)
    times = build_times(app, args.builds + 2, args.builds)
    with app.app_context():
        from app.toolkit import builds
        code_pdf, whole_pdf = builds.current_pdf(CODE), builds.current_pdf(None)
    sizes = {"code": code_pdf.path.stat().st_size, "whole": whole_pdf.path.stat().st_size}
    say()
    say(hl.table(["PDF", "path", "bytes", "build s by run", "median s"], [
        [f"one code ({CODE}, live)", CODE_PATH, sizes["code"], " / ".join(f"{t:.2f}" for t in times["code"]),
         f"{statistics.median(times['code']):.2f}"],
        ["whole toolkit", WHOLE_PATH, sizes["whole"], " / ".join(f"{t:.2f}" for t in times["whole"]),
         f"{statistics.median(times['whole']):.2f}"],
    ], align="llrrr"))
    say()

    # The baseline serves byte-identical copies, so only the app's own work differs.
    copies = {}
    for label, cached in (("code", code_pdf), ("whole", whole_pdf)):
        copies[label] = workdir / f"baseline-{label}.pdf"
        shutil.copyfile(cached.path, copies[label])
    before = {path.name: path.stat().st_mtime_ns for path in (instance / "toolkit").glob("*.pdf")}

    app_server = hl.Gunicorn("bench.toolkit:create_bench_app()", env=env, name="Denial Radar")
    # Info, no goal: the same app checking the key in the database on every download (TOOLKIT_KEY_TTL=0).
    app_every = hl.Gunicorn("bench.toolkit:create_bench_app()", env=env | {TTL_VARIABLE: "0"},
                            name="Denial Radar, TOOLKIT_KEY_TTL=0")
    bare_code = hl.Gunicorn("bench.baseline_app:create_baseline_app()", name="bare Flask (code-sized file)",
                            env=env | {"BASELINE_FILE": str(copies["code"])})
    bare_whole = hl.Gunicorn("bench.baseline_app:create_baseline_app()", name="bare Flask (toolkit-sized file)",
                             env=env | {"BASELINE_FILE": str(copies["whole"])})
    # Control, no goal: the app's own static file against bare Flask sending the same file shows what
    # the app's per-request hooks (session, limiter, security headers) cost before any toolkit code.
    bare_static = hl.Gunicorn("bench.baseline_app:create_baseline_app()", name="bare Flask (static file)",
                              env=env | {"BASELINE_FILE": str(hl.PROJECT_ROOT / "app" / STATIC_FILE)})
    with app_server, app_every, bare_code, bare_whole, bare_static:
        app_server.start(ready_path="/toolkit")
        app_every.start(ready_path="/toolkit")
        bare_code.start(ready_path="/file")
        bare_whole.start(ready_path="/file")
        bare_static.start(ready_path="/file")
        for server, path, expected in ((app_server, CODE_PATH, code_pdf.path), (app_server, WHOLE_PATH, whole_pdf.path),
                                       (app_every, CODE_PATH, code_pdf.path),
                                       (bare_code, "/file", copies["code"]), (bare_whole, "/file", copies["whole"]),
                                       (app_server, f"/{STATIC_FILE}", hl.PROJECT_ROOT / "app" / STATIC_FILE),
                                       (bare_static, "/file", hl.PROJECT_ROOT / "app" / STATIC_FILE)):
            status, body = hl.http_get(server.url(path), timeout=30)
            if status != 200 or body != expected.read_bytes():
                raise hl.BenchError(f"{server.name} {path}: HTTP {status}, {len(body)} bytes, not the cached PDF\n"
                                    f"{server.log_tail()}")
        say(f"servers: gunicorn {app_server.settings} (all); load: {hl.load_tool()}, {args.connections} "
            f"connections, {args.duration:.0f}s per measure, {args.rounds} rounds, order rotated each round")
        labels = {
            "bare code": "bare Flask file (code size)",
            "code": "cached code PDF",
            "bare whole": "bare Flask file (toolkit size)",
            "whole": "cached whole toolkit",
            "bare static": "bare Flask file (static file)",
            "static": "app's own static file",
            "every": "cached code PDF, TTL=0",
        }
        targets = [
            (labels["bare code"], [bare_code.url("/file")]),
            (labels["code"], [app_server.url(CODE_PATH)]),
            (labels["every"], [app_every.url(CODE_PATH)]),
            (labels["bare whole"], [bare_whole.url("/file")]),
            (labels["whole"], [app_server.url(WHOLE_PATH)]),
            (labels["bare static"], [bare_static.url("/file")]),
            (labels["static"], [app_server.url(f"/{STATIC_FILE}")]),
        ]
        results = hl.alternate(targets, rounds=args.rounds, duration=args.duration, connections=args.connections,
                               warmup=args.warmup, progress=say)
    after = {path.name: path.stat().st_mtime_ns for path in (instance / "toolkit").glob("*.pdf")}
    if after != before:
        raise hl.BenchError(f"the cache changed during the load (a download rebuilt a PDF): {before} -> {after}")

    baseline_of = {"code": "bare code", "every": "bare code", "whole": "bare whole", "static": "bare static"}
    ratios = {
        kind: hl.median(m.rps / b.rps for m, b in zip(results[labels[kind]], results[labels[bare]]))
        for kind, bare in baseline_of.items()
    }
    static_size = (hl.PROJECT_ROOT / "app" / STATIC_FILE).stat().st_size
    rows = []
    for key, path, size in (("bare code", "/file", sizes["code"]), ("code", CODE_PATH, sizes["code"]),
                            ("every", CODE_PATH, sizes["code"]),
                            ("bare whole", "/file", sizes["whole"]), ("whole", WHOLE_PATH, sizes["whole"]),
                            ("bare static", "/file", static_size), ("static", f"/{STATIC_FILE}", static_size)):
        measured = results[labels[key]]
        rows.append([
            labels[key], path, size, " / ".join(f"{m.rps:.0f}" for m in measured),
            f"{hl.median(m.rps for m in measured):.1f}",
            "1.00 (baseline)" if key.startswith("bare") else f"{ratios[key]:.2f}",
            f"{hl.median(m.p50_ms for m in measured):.2f}", f"{hl.median(m.p95_ms for m in measured):.2f}",
            sum(m.requests for m in measured),
            f"{sum(m.socket_errors for m in measured)}/{sum(m.bad_status for m in measured)}",
        ])
    say()
    say(hl.table(["target", "path", "bytes", "req/s by round", "median req/s", "x bare (median of rounds)",
                  "p50 ms", "p95 ms", "requests", "errors sock/HTTP"], rows, align="lllrrrrrrr"))
    say()
    say(f"build: one code's PDF {statistics.median(times['code']):.2f}s, whole toolkit "
        f"{statistics.median(times['whole']):.2f}s (median, from an empty cache)")
    for kind, name in (("code", f"cached {CODE} PDF"), ("whole", "cached whole toolkit")):
        verdict = "goal met" if ratios[kind] >= GOAL_RATIO else "goal missed"
        say(f"{verdict}: {name} download at {ratios[kind]:.0%} of bare Flask send_file of the same "
            f"{sizes[kind]:,} bytes (goal >= {GOAL_RATIO:.0%})")
    say(f"info (no goal): with TOOLKIT_KEY_TTL=0 (the key checked in the database on every download) the cached "
        f"{CODE} PDF is at {ratios['every']:.0%} of bare Flask")
    say(f"info (control, no goal): the app's own static file /{STATIC_FILE} at {ratios['static']:.0%} of bare Flask "
        f"sending the same {static_size:,} bytes: the app's per-request hooks alone")
    errors = sum(m.errors for measured in results.values() for m in measured)
    if errors:
        raise hl.BenchError(f"{errors} failed requests during the load (see the errors column)")


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import http_load as hl

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per measure")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up per target")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--builds", type=int, default=3, help="builds of the whole toolkit (one code: 2 more)")
    args = parser.parse_args()
    return hl.run_in_workdir("bench-toolkit-", lambda workdir: run(args, workdir))


if __name__ == "__main__":
    sys.exit(main())
