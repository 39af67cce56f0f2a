"""One report's aggregation on a code with 1,000,000 reports against one with 10 (PostgreSQL), same run.

Goal (issue 12): the dashboard of a code with 1M reports reflects a new report in about the time
of one with 10: the incremental aggregation (a report committed with its tallies, then the task
that takes the mark and rebuilds from them) at most 1.5x the small code's, in the same run. The
full count from the reports (what every aggregation cost before, and what the hourly check does)
is printed beside it, and the incremental dashboard is checked equal to the full count at the end.

    .venv/bin/python bench/aggregate.py [--reports 1000000] [--rounds 15]
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import http_load as hl  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.dashboards.aggregates import check_tallies, refresh_aggregate  # noqa: E402
from app.reports.models import DenialReport  # noqa: E402
from app.dashboards.compute import compute_dashboard, incremental_dashboard  # noqa: E402

BIG, SMALL = "20553", "20552"


def seed(raw_url: str, code: str, count: int, first_id: int) -> None:
    """Reports inserted by SQL (generate_series): the benchmark measures reading them, not writing."""
    with psycopg.connect(raw_url) as connection:
        connection.execute(
            "INSERT INTO denial_report (id, code, payer_type, state, group_code, carc, denial_category, report_month,"
            " appeal_strategy, appeal_outcome, days_to_resolution, contributor, receipt_hash, status, created_at,"
            " updated_at, narrative_approved, appeal_notes_approved)"
            " SELECT i, %(code)s, (ARRAY['medicare','medicaid','commercial','medicare_advantage'])[1 + i %% 4], 'TX',"
            " (ARRAY['CO','PR',NULL])[1 + i %% 3], (ARRAY['97','50','16','236','4'])[1 + i %% 5], NULL,"
            " '2026-' || lpad((1 + i %% 11)::text, 2, '0'),"
            " (ARRAY['corrected_claim','peer_to_peer','reconsideration',NULL])[1 + i %% 4],"
            " (ARRAY['won','lost','partially_won',NULL,'pending'])[1 + i %% 5],"
            " CASE WHEN i %% 4 < 3 THEN 5 + i %% 190 END, 'contributor-' || (i %% 5000), 'seed-' || i, 'accepted',"
            " '2026-11-01', '2026-11-01', false, false FROM generate_series(%(first)s::int, %(last)s::int) AS i",
            {"code": code, "first": first_id, "last": first_id + count - 1})
        connection.execute("INSERT INTO report_remark_code (report_id, rarc) SELECT id, 'N56' FROM denial_report"
                           " WHERE code = %s AND id %% 2 = 0", (code,))
        connection.execute("INSERT INTO report_modifier (report_id, modifier) SELECT id, '25' FROM denial_report"
                           " WHERE code = %s AND id %% 3 = 0", (code,))
        connection.execute("SELECT setval('denial_report_id_seq', (SELECT max(id) FROM denial_report))")
        connection.commit()
        connection.execute("ANALYZE")


def seeded_app(database: hl.TempPostgres, reports: int):
    """The app on a new database holding `reports` reports of BIG and 10 of SMALL, tallies counted."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database.url.replace("postgresql://", "postgresql+psycopg://"),
                      "SECRET_KEY": "bench", "CONTRIBUTOR_SECRET": "bench", "CELERY_BROKER_URL": "memory://"})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        result = app.test_cli_runner().invoke(args=["data", "load-all"])
        assert result.exit_code == 0, result.output
        db.session.remove()
    seed(database.url, BIG, reports, 1)
    seed(database.url, SMALL, 10, reports + 1)
    return app


def add_report(code: str, number: int) -> None:
    db.session.add(DenialReport(code=code, payer_type="medicare", group_code="CO", carc="97", report_month="2026-11",
                                contributor=f"bench-{number}", receipt_hash=f"bench-{code}-{number}"))
    db.session.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    with hl.TempPostgres() as database:
        started = time.perf_counter()
        app = seeded_app(database, args.reports)
        hl.say(f"seeded {args.reports:,} reports in {time.perf_counter() - started:.1f} s")
        with app.app_context():
            started = time.perf_counter()
            for code in (BIG, SMALL):
                check_tallies(code)  # counts the seeded reports into tallies
            recount = time.perf_counter() - started
            started = time.perf_counter()
            compute_dashboard(db.session, BIG, 5, 3)
            full = time.perf_counter() - started
            db.session.rollback()
            times: dict[str, list[float]] = {BIG: [], SMALL: []}
            for number in range(args.rounds + 1):
                for code in (BIG, SMALL) if number % 2 == 0 else (SMALL, BIG):
                    started = time.perf_counter()
                    add_report(code, number)
                    refresh_aggregate(code, only_if_marked=True)
                    if number:  # the first round warms caches and plans
                        times[code].append(time.perf_counter() - started)
            agreed = all(check_tallies(code) for code in (BIG, SMALL))
            same = incremental_dashboard(db.session, BIG, 5, 3) == compute_dashboard(db.session, BIG, 5, 3)
            db.session.remove()
            db.engine.dispose()
    big, small = (statistics.median(times[code]) * 1000 for code in (BIG, SMALL))
    p95 = {code: sorted(times[code])[round(0.95 * len(times[code])) - 1] * 1000 for code in times}
    hl.say(hl.table(["", "median ms", "p95 ms"], [
        [f"report + incremental aggregation, {args.reports:,} reports", f"{big:.1f}", f"{p95[BIG]:.1f}"],
        ["report + incremental aggregation, 10 reports (baseline)", f"{small:.1f}", f"{p95[SMALL]:.1f}"],
        [f"full count from the reports (before), {args.reports:,}", f"{full * 1000:.0f}", ""],
        [f"recount into tallies (hourly check, migration), both codes", f"{recount * 1000:.0f}", ""],
    ]))
    hl.say(f"incremental tallies equal the full count after {args.rounds + 1} reports each: {agreed and same}")
    ratio = big / small
    hl.say(f"ratio {ratio:.2f}x (goal <= 1.5x): goal {'met' if ratio <= 1.5 and agreed and same else 'missed'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
