"""Code search latency on the full fee schedule, against an indexed one-row lookup on the same database.

Goal (issue 13): search p95 <= 20 ms on the full data; the codes API lists >= 10,000 codes.

Steps: a fresh database (SQLite in a temp dir, or with --database postgresql a temporary
PostgreSQL database), `flask db upgrade`, `flask data load-all`, then the full PPRRVU file
(`--pprrvu`, by default the largest PPRRVU*.csv under data/) with `--keep-descriptors` (the code
pages show descriptors of HCPCS Level II codes only). Then, in one process with the app's own
functions: what `GET /codes?q=` runs (the code-as-typed check, then the search) for each query
below, and as the baseline a primary-key read of one fee schedule row; the same number of
rounds, alternated. Finally `GET /api/v1/codes?page_size=1` through the test client, whose
X-Pagination total is the number of codes the API lists.

    .venv/bin/python bench/code_search.py [--database sqlite|postgresql] [--pprrvu FILE] [--rounds 200]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import http_load as hl

GOAL_P95_MS = 20.0
GOAL_CODES = 10_000
QUERIES = {
    "code": ["20553", "CPT 64635", "20553-59", "G0283", "99999"],
    "words": ["trigger point", "facet joint", "office visit", "E/M", "elec stim", "wheelchair",
              "ambulance", "injection", "blood glucose monitor"],
    "typo": ["trigger piont", "wheelchiar", "ambulence", "dry neddling"],
}


def default_pprrvu() -> Path | None:
    files = sorted(hl.PROJECT_ROOT.glob("data/**/PPRRVU*.csv"), key=lambda path: path.stat().st_size)
    return files[-1] if files else None


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(args: argparse.Namespace, database_url: str) -> None:
    os.environ.update(DATABASE_URL=database_url, SECRET_KEY="bench-secret-key",
                      CONTRIBUTOR_SECRET="bench-contributor-secret", RATELIMIT_STORAGE_URI="memory://")
    sys.path.insert(0, str(hl.PROJECT_ROOT))
    import sqlalchemy as sa

    from app import create_app
    from app.codes.search import code_to_open, search_codes
    from app.extensions import db
    from app.reference.models import FeeScheduleRvu

    app = create_app()
    with app.app_context():
        one_row = db.session.scalar(sa.select(FeeScheduleRvu.id).where(FeeScheduleRvu.hcpcs == "64635").limit(1))

        def baseline() -> None:
            db.session.execute(sa.select(FeeScheduleRvu.hcpcs).where(FeeScheduleRvu.id == one_row)).all()

        def search(query: str):
            return lambda: code_to_open(query) or search_codes(query, limit=50)

        targets = {("baseline", "one-row primary-key read"): baseline}
        targets |= {(kind, query): search(query) for kind, queries in QUERIES.items() for query in queries}
        samples: dict[tuple, list[float]] = {key: [] for key in targets}
        found = {}
        for kind, query in targets:
            if kind != "baseline":
                opened = code_to_open(query)
                found[(kind, query)] = f"opens {opened}" if opened else f"{search_codes(query, limit=50)[1]} codes"
        for _ in range(args.rounds):
            for key, run in targets.items():
                started = time.perf_counter()
                run()
                samples[key].append((time.perf_counter() - started) * 1000)
            db.session.rollback()

        base = samples[("baseline", "one-row primary-key read")]
        rows = []
        for key, measured in samples.items():
            rows.append([key[0], key[1], found.get(key, ""), f"{statistics.median(measured):.2f}",
                         f"{percentile(measured, 0.95):.2f}",
                         f"{percentile(measured, 0.95) / percentile(base, 0.95):.1f}"])
        hl.say(hl.table(["kind", "query", "results", "p50 ms", "p95 ms", "p95 x baseline"], rows, align="lllrrr"))
        searches = [sample for key, measured in samples.items() if key[0] != "baseline" for sample in measured]
        overall = percentile(searches, 0.95)
        hl.say()
        hl.say(f"{'goal met' if overall <= GOAL_P95_MS else 'goal missed'}: search p95 {overall:.2f} ms over "
               f"{len(searches)} searches (goal <= {GOAL_P95_MS:.0f} ms); baseline p95 {percentile(base, 0.95):.2f} ms "
               f"on {args.database}")

        response = app.test_client().get("/api/v1/codes?page_size=1")
        listed = json.loads(response.headers["X-Pagination"])["total"]
        hl.say(f"{'goal met' if listed >= GOAL_CODES else 'goal missed'}: the codes API lists {listed} codes "
               f"(goal >= {GOAL_CODES})")
        db.session.remove()
        db.engine.dispose()


def run(args: argparse.Namespace, workdir: Path) -> None:
    pprrvu = args.pprrvu or default_pprrvu()
    if pprrvu is None or not pprrvu.exists():
        raise hl.BenchError("no PPRRVU file: pass --pprrvu with CMS's full PPRRVU CSV")
    started = time.monotonic()
    with hl.loaded_database(args.database, workdir) as database:
        loaded = hl.run_checked([hl.venv_tool("flask"), "--app", "app", "data", "load-pprrvu", str(pprrvu),
                                 "--keep-descriptors"], database.env, "flask data load-pprrvu")
        hl.say(f"database: {args.database}, loaded in {time.monotonic() - started:.1f}s: {loaded.stdout.strip()}")
        measure(args, database.url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pprrvu", type=Path, help="CMS's full PPRRVU CSV (default: the largest under data/)")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    return hl.run_in_workdir("bench-code-search-", lambda workdir: run(args, workdir))


if __name__ == "__main__":
    sys.exit(main())
