"""Loading the shipped reference data: `flask db upgrade && flask data load-all` on a fresh database,
then `flask data load-all` again (every file unchanged), on SQLite and PostgreSQL.

Goals (the database part of `make run`): first run <= 90 s, second run <= 10 s. Baseline, in the
same run: `flask data --help`, the cost of starting a flask command at all. Prints the database size
and the row counts. Run: `.venv/bin/python bench/reference_load.py [--no-postgresql]`.
"""
import argparse
import os
import sys
import time
from pathlib import Path

import http_load as hl

FIRST_GOAL = 90.0
SECOND_GOAL = 10.0
TABLES = ("fee_schedule_rvu", "gpci", "zip_locality", "opps_cap", "anesthesia_conversion_factor",
          "locality_counties", "ncci_ptp_edit", "medically_unlikely_edit", "adjustment_reason_code",
          "remark_code", "catalog_code")


def timed(command: list[str], env: dict, label: str) -> float:
    started = time.monotonic()
    hl.run_checked(command, env, label)
    return time.monotonic() - started


def sqlite_counts(path: Path) -> dict[str, int]:
    import sqlite3
    with sqlite3.connect(path) as connection:
        return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


def measure(label: str, database_url: str, env_extra: dict, size, counts) -> list:
    env = hl.bench_environment(DATABASE_URL=database_url, **env_extra)
    flask = hl.venv_tool("flask")
    baseline = timed([flask, "data", "--help"], env, "flask data --help")
    upgrade = timed([flask, "db", "upgrade"], env, "flask db upgrade")
    first = timed([flask, "data", "load-all"], env, "flask data load-all (first)")
    second = timed([flask, "data", "load-all"], env, "flask data load-all (second)")
    rows = counts()
    hl.say(f"{label}: " + ", ".join(f"{table} {count:,}" for table, count in rows.items()))
    return [label, f"{baseline:.1f}", f"{upgrade:.1f}", f"{first:.1f}", f"{upgrade + first:.1f}",
            f"{second:.1f}", f"{second - baseline:.1f}", f"{size() / 1e6:.1f}", upgrade + first, second]


def run(workdir: Path, postgresql: bool) -> None:
    results = []
    database = workdir / "bench.db"
    broker = {"CELERY_BROKER_URL": f"sqlalchemy+sqlite:///{workdir / 'broker.db'}"}
    results.append(measure("SQLite", f"sqlite:///{database}", broker, lambda: database.stat().st_size,
                           lambda: sqlite_counts(database)))
    if postgresql:
        with hl.TempPostgres() as pg:
            results.append(measure(
                "PostgreSQL", pg.url, broker,
                lambda: pg.execute("SELECT pg_database_size(current_database())")[0][0],
                lambda: {table: pg.count(table) for table in TABLES}))
    hl.say()
    hl.say(hl.table(["database", "baseline s", "upgrade s", "load-all s", "first run s", "second run s",
                     "second - baseline s", "size MB"], [row[:8] for row in results]))
    for row in results:
        first, second = row[8], row[9]
        hl.say(f"goal {'met' if first <= FIRST_GOAL else 'missed'}: {row[0]} first run {first:.1f} s <= {FIRST_GOAL:.0f} s")
        hl.say(f"goal {'met' if second <= SECOND_GOAL else 'missed'}: {row[0]} second run {second:.1f} s <= {SECOND_GOAL:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-postgresql", action="store_true", help="SQLite only")
    args = parser.parse_args()
    os.chdir(hl.PROJECT_ROOT)
    return hl.run_in_workdir("bench-reference-", lambda workdir: run(workdir, not args.no_postgresql))


if __name__ == "__main__":
    sys.exit(main())
