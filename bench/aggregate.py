"""aggregate_code on 100,000 reports of one code (PostgreSQL), against the same GROUP BY queries alone.

Goal (issue 4): the whole aggregation costs at most 1.5x its raw queries, measured in the same run.
The baseline runs the SQL statements that `compute_dashboard` issues, captured from the engine,
with their parameters, and fetches their rows; the aggregation adds the Python that assembles,
suppresses and stores the dashboard in one transaction.
"""
import argparse
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

import psycopg
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import http_load as hl  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.reports.aggregates import refresh_aggregate  # noqa: E402
from workers.aggregation import compute_dashboard  # noqa: E402

CARCS = ["97", "236", "50", "16", "4", "11", "197", "151"]
RARCS = ["N56", "M80", "N115", "N130", "M15"]
PAYERS = ["medicare", "medicare_advantage", "medicaid", "commercial", "workers_comp"]
STRATEGIES = ["corrected_claim", "modifier_correction", "medical_records", "reconsideration", "peer_to_peer", None]
OUTCOMES = ["won", "partially_won", "lost", "pending", None]


def seed(connection: psycopg.Connection, code: str, count: int) -> None:
    """COPY synthetic reports straight in: the benchmark measures reading them, not writing."""
    rng = random.Random(7)
    with connection.cursor() as cursor:
        with cursor.copy(
            "COPY denial_report (id, code, payer_type, state, group_code, carc, denial_category, report_month, "
            "appeal_strategy, appeal_outcome, days_to_resolution, contributor, receipt_hash, status, created_at, "
            "updated_at, narrative_approved, appeal_notes_approved) FROM STDIN"
        ) as copy:
            for number in range(1, count + 1):
                strategy = rng.choice(STRATEGIES)
                copy.write_row((
                    number, code, rng.choice(PAYERS), rng.choice(["TX", "CA", "NY", "FL", "OH"]), "CO",
                    rng.choice(CARCS), rng.choice(["bundling", "medical_necessity", "modifier", "documentation"]),
                    f"2026-{rng.randint(1, 11):02d}", strategy, rng.choice(OUTCOMES) if strategy else None,
                    rng.randint(5, 200) if strategy else None, f"contributor-{rng.randint(1, 5000)}",
                    uuid.uuid4().hex, "accepted", "2026-11-01 00:00:00", "2026-11-01 00:00:00", False, False,
                ))
        with cursor.copy("COPY report_remark_code (report_id, rarc) FROM STDIN") as copy:
            for number in range(1, count + 1, 2):
                copy.write_row((number, rng.choice(RARCS)))
        with cursor.copy("COPY report_modifier (report_id, modifier) FROM STDIN") as copy:
            for number in range(1, count + 1, 3):
                copy.write_row((number, rng.choice(["25", "59", "XS"])))
        cursor.execute("SELECT setval('denial_report_id_seq', %s)", (count,))
        cursor.execute("ANALYZE")
    connection.commit()


def captured_statements(app, code: str) -> list[tuple[str, dict]]:
    """The SQL compute_dashboard sends, with parameters, so the baseline runs exactly those queries."""
    statements = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        compute_dashboard(db.session, code, app.config["AGGREGATION_THRESHOLD"], app.config["MIN_CONTRIBUTORS"])
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
    db.session.rollback()
    return statements


def time_raw(raw_url: str, statements) -> float:
    with psycopg.connect(raw_url) as connection:
        started = time.perf_counter()
        for statement, parameters in statements:
            connection.execute(statement, parameters).fetchall()
        elapsed = time.perf_counter() - started
        connection.rollback()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    with hl.TempPostgres() as database:
        raw_url = database.url
        app = create_app({"SQLALCHEMY_DATABASE_URI": raw_url.replace("postgresql://", "postgresql+psycopg://"),
                          "SECRET_KEY": "bench", "CONTRIBUTOR_SECRET": "bench"})
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            result = app.test_cli_runner().invoke(args=["data", "load-all"])
            assert result.exit_code == 0, result.output
            with psycopg.connect(raw_url) as connection:
                seed(connection, "20553", args.reports)
            statements = captured_statements(app, "20553")
            refresh_aggregate("20553")  # warm caches and plans for both sides
            time_raw(raw_url, statements)
            aggregate_times, raw_times = [], []
            for number in range(args.rounds):
                order = [("aggregate", lambda: refresh_aggregate("20553")), ("raw", lambda: time_raw(raw_url, statements))]
                for label, run in order if number % 2 == 0 else order[::-1]:
                    if label == "raw":
                        raw_times.append(run())
                    else:
                        started = time.perf_counter()
                        run()
                        aggregate_times.append(time.perf_counter() - started)
            db.session.remove()
            db.engine.dispose()
        aggregate_ms, raw_ms = statistics.median(aggregate_times) * 1000, statistics.median(raw_times) * 1000
        print(f"aggregate_code on {args.reports:,} reports of one code, PostgreSQL, {len(statements)} queries")
        print(f"  refresh_aggregate (queries + assembly + store in one transaction): median {aggregate_ms:8.1f} ms "
              f"(min {min(aggregate_times) * 1000:.1f}, max {max(aggregate_times) * 1000:.1f})")
        print(f"  the same queries alone (psycopg, fetch all rows):                 median {raw_ms:8.1f} ms "
              f"(min {min(raw_times) * 1000:.1f}, max {max(raw_times) * 1000:.1f})")
        ratio = aggregate_ms / raw_ms
        print(f"  ratio {ratio:.2f}x  (goal <= 1.5x): goal {'met' if ratio <= 1.5 else 'missed'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
