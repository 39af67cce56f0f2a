"""Loading a generated 1.5 million row NCCI PTP file into PostgreSQL: time and memory.

Goal (issue): `flask data load-ncci-ptp` loads a 1.5 million row practitioner PTP file in the
public layout into PostgreSQL in under 60 s, with memory flat (streaming: the loader's peak
RSS must not grow with the number of rows).

Steps: generate (in a temp dir) ccipra-v322r0-f1.txt with the real file's 6-line preamble and
1,500,000 unique synthetic (column 1, column 2) edits, plus a 5% file (its first rows) for the
memory comparison; make a temporary PostgreSQL database bench_<random>; `flask db upgrade`;
then, alternating with the baseline:

    baseline  psql \\copy of the same rows into an unindexed table (no parsing, no upsert)
    load 5%   flask data load-ncci-ptp SMALL   (peak RSS at 1/20 of the rows; table emptied after)
    load 1    flask data load-ncci-ptp FILE    (into the empty table: the goal)
    baseline  (again)
    load 2    flask data load-ncci-ptp FILE    (same file again: the idempotent upsert)

Each load is a subprocess whose RSS (VmRSS) and position in the file are read from /proc every
0.2 s; its peak RSS is the kernel's own figure (ru_maxrss). "reading" is the time until the
loader closed the file (parse + COPY stream), "after" the rest (server-side upsert, commit).

"Memory flat" compares the peak RSS of the full load with the 5% load's: at most +20% or +48 MB
(psycopg's bounded COPY queue, up to 32 MB, fills or not depending on the server's speed).

The whole run is bounded (--budget, default 165 s): a load still running when its share of the
budget is spent is stopped (its transaction is rolled back), reported as "stopped" with how
much of the file it had read, and counts as a missed goal. The database is dropped at the end.

With --sqlite the same is done on a temporary SQLite file with a smaller file (--sqlite-rows,
default 100,000; a 60 s slice of the budget), against a sqlite3 `.import` baseline.

    .venv/bin/python bench/ncci_load.py [--rows 1500000] [--budget 165] [--sqlite [--no-postgresql]]

Exits 1 only when the benchmark itself fails; a missed goal prints "goal missed" and exits 0.
"""
from __future__ import annotations

import argparse
import functools
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import http_load as hl

SAMPLE = hl.PROJECT_ROOT / "tests" / "fixtures" / "reference" / "ccipra-v322r0-f1_sample.txt"
FILE_NAME = "ccipra-v322r0-f1.txt"  # v322r0: NCCI 32.2, the 2026 Q3 vintage the loader reads from the name
GOAL_SECONDS = 60.0
# "Flat": the peak RSS at 20x the rows may be at most 20% or 48 MB higher, whichever is more. The slack
# covers what is bounded but timing-dependent: psycopg's COPY writer queues up to 1024 x 32 KB
# buffers when the server is slower than the parser, and the SQLite path holds one 10,000-row batch.
FLAT_GROWTH = 0.20
FLAT_SLACK_MB = 48
SMALL_SHARE = 20    # the small file holds 1/20 of the rows
SAMPLE_EVERY = 0.2
SQLITE_SLICE = 60.0
RATIONALES = (
    ("CPT Manual or CMS manual coding instruction", 45),
    ("Standards of medical/surgical practice", 30),
    ("Mutually exclusive procedures", 15),
    ("Misuse of Column Two code with Column One code", 10),
)
COLUMN_TWO_PER_CODE = 500
QUARTER_ENDS = {"01": "0331", "04": "0630", "07": "0930", "10": "1231"}


# --------------------------------------------------------------------------- the file

def preamble() -> bytes:
    """The real file's first 6 lines (copyright, title, the header over four lines), byte for byte."""
    with SAMPLE.open("rb") as handle:
        lines = [handle.readline() for _ in range(6)]
    if not lines[2].lower().startswith(b"column 1"):
        raise hl.BenchError(f"{SAMPLE.name} does not start with the expected 6-line preamble")
    return b"".join(lines)


def synthetic_codes(rng: random.Random, count: int) -> list[str]:
    """Valid-looking HCPCS codes: five digits (CPT) or a letter and four digits (HCPCS Level II)."""
    codes: set[str] = set()
    letters = "ABCEGHJKLMPQRSV"
    while len(codes) < count:
        if rng.random() < 0.75:
            codes.add(f"{rng.randrange(10000, 100000):05d}")
        else:
            codes.add(f"{rng.choice(letters)}{rng.randrange(0, 10000):04d}")
    return sorted(codes)


def generate(directory: Path, rows: int, small_rows: int, seed: int = 322) -> tuple[Path, Path]:
    """Write FILE_NAME with ``rows`` unique edits, and the same name under small/ with its first ``small_rows``."""
    rng = random.Random(seed)
    pool = synthetic_codes(rng, 20_000)
    column_ones = (rows + COLUMN_TWO_PER_CODE - 1) // COLUMN_TWO_PER_CODE
    firsts = rng.sample(pool, column_ones)
    firsts.sort()
    quarters = [f"{year}{month:02d}01" for year in range(1996, 2027) for month in (1, 4, 7, 10)]
    names = [name for name, _ in RATIONALES]
    weights = [weight for _, weight in RATIONALES]
    path = directory / FILE_NAME
    (directory / "small").mkdir()
    small_path = directory / "small" / FILE_NAME
    head = preamble()
    written = 0
    with path.open("wb") as big, small_path.open("wb") as small:
        big.write(head)
        small.write(head)
        for first in firsts:
            seconds = rng.sample(pool, COLUMN_TWO_PER_CODE + 1)
            seconds = sorted(code for code in seconds if code != first)[:COLUMN_TWO_PER_CODE]
            seconds = seconds[: rows - written]
            lines = []
            for second in seconds:
                effective_index = rng.randrange(len(quarters))
                effective = quarters[effective_index]
                roll = rng.random()
                if roll < 0.05:
                    indicator, deletion = "9", effective  # deleted on its effective date
                elif roll < 0.20:
                    indicator = rng.choice("01")
                    ended = quarters[rng.randrange(effective_index, len(quarters))]
                    deletion = ended[:4] + QUARTER_ENDS[ended[4:6]]
                else:
                    indicator, deletion = ("1" if rng.random() < 0.8 else "0"), "*"
                before_1996 = "*" if effective == "19960101" else ""
                rationale = rng.choices(names, weights)[0]
                lines.append(f"{first}\t{second}\t{before_1996}\t{effective}\t{deletion}\t{indicator}\t{rationale}\n")
            chunk = "".join(lines).encode("ascii")
            big.write(chunk)
            if written < small_rows:
                small.write("".join(lines[: small_rows - written]).encode("ascii"))
            written += len(seconds)
            if written >= rows:
                break
    return path, small_path


# --------------------------------------------------------------------------- measuring a process

@dataclass
class Run:
    label: str
    rows: int
    seconds: float
    peak_rss_kb: int
    samples: list[tuple[float, int]] = field(default_factory=list)  # (seconds since start, RSS kB)
    output: str = ""
    stopped: bool = False          # killed at its time cap
    read_seconds: float | None = None  # when the loader last had the file open
    read_fraction: float | None = None  # how far into the file it got (last position seen / size)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds and not self.stopped else 0.0

    def rss_at(self, fraction: float) -> int | None:
        """RSS of the sample nearest ``fraction`` of the run (None for runs too short to sample)."""
        if len(self.samples) < 5:
            return None
        moment = fraction * self.seconds
        return min(self.samples, key=lambda sample: abs(sample[0] - moment))[1]


def rss_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def file_position(pid: int, path: str) -> int | None:
    """Where process ``pid`` is in ``path``, if it has the file open."""
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == path:
                    with open(f"/proc/{pid}/fdinfo/{fd}") as info:
                        for line in info:
                            if line.startswith("pos:"):
                                return int(line.split()[1])
            except OSError:
                continue
    except OSError:
        return None
    return None


def measure(label: str, command: list[str], env: dict, rows: int, cap: float,
            watch: Path | None = None, on_stop=None) -> Run:
    """Run ``command`` for at most ``cap`` seconds, sampling RSS (and the position in ``watch``) every 0.2 s.

    The peak RSS is the kernel's ru_maxrss of the finished process. A process still running at
    ``cap`` is killed and the run marked stopped; ``on_stop`` then cleans up after it.
    """
    watched = str(watch.resolve()) if watch else None
    size = watch.stat().st_size if watch else 0
    with tempfile.TemporaryFile() as output:
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=hl.PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
        samples: list[tuple[float, int]] = []
        read_seconds, position, stopped = None, 0, False
        try:
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                elapsed = time.monotonic() - started
                if elapsed > cap:
                    process.kill()  # our own child, by pid
                    _, status, usage = os.wait4(process.pid, 0)
                    stopped = True
                    break
                if (rss := rss_kb(process.pid)) is not None:
                    samples.append((elapsed, rss))
                if watched and (where := file_position(process.pid, watched)) is not None:
                    read_seconds, position = elapsed, where
                time.sleep(SAMPLE_EVERY)
        except BaseException:
            if process.poll() is None:
                process.kill()
                process.wait()
            raise
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode(errors="replace")
    if stopped:
        if on_stop:
            on_stop()
    elif process.returncode != 0:
        raise hl.BenchError(f"{label} failed (exit {process.returncode}):\n{text[-3000:]}")
    return Run(label, rows, seconds, usage.ru_maxrss, samples, text, stopped,
               read_seconds, position / size if size else None)


def loaded_rows(run: Run) -> int:
    """The row count the loader printed ("ccipra-v322r0-f1.txt: 1500000 rows")."""
    for line in run.output.splitlines():
        if line.startswith(FILE_NAME + ":") and line.endswith(" rows"):
            return int(line.split(":")[1].split()[0])
    raise hl.BenchError(f"{run.label}: no row count in its output:\n{run.output[-2000:]}")


def check_count(label: str, found: int, expected: int) -> None:
    if found != expected:
        raise hl.BenchError(f"{label}: the table holds {found:,} rows, expected {expected:,}")


def load_command(path: Path) -> list[str]:
    return [hl.venv_tool("flask"), "--app", "app", "data", "load-ncci-ptp", str(path)]


class Budget:
    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds

    def left(self, reserve: float = 0.0) -> float:
        return self.deadline - time.monotonic() - reserve


# The baseline's table: the same columns, no key, no index, no foreign key.
PG_RAW_TABLE = """
CREATE TABLE bench_raw_ptp (
    column_one varchar(5), column_two varchar(5), existed_before_1996 text,
    effective_date date, deletion_date date, modifier_indicator varchar(1), rationale varchar(200)
)
"""


def psql_copy_command(url: str, path: Path) -> list[str]:
    # \copy runs client-side, so psql reads the file; tail drops the 6-line preamble; '*' is "no date".
    return ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c",
            f"\\copy bench_raw_ptp FROM PROGRAM 'tail -n +7 {path}' WITH (FORMAT text, NULL '*')"]


SQLITE_RAW_TABLE = ("CREATE TABLE bench_raw_ptp (column_one TEXT, column_two TEXT, existed_before_1996 TEXT, "
                    "effective_date TEXT, deletion_date TEXT, modifier_indicator TEXT, rationale TEXT);")


def sqlite_count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# --------------------------------------------------------------------------- reporting

def mb(kb: int | None) -> str:
    return "-" if kb is None else f"{kb / 1024:.0f}"


def seconds_text(run: Run) -> str:
    return f">{run.seconds:.1f} (stopped)" if run.stopped else f"{run.seconds:.1f}"


def progress(run: Run) -> None:
    line = f"  {run.label:<36} {run.seconds:6.1f}s"
    if run.read_seconds is not None or run.label.startswith(("load", "sqlite load")):
        line += f"  peak RSS {mb(run.peak_rss_kb)} MB"
    if run.stopped:
        line += f"  STOPPED at its time cap, {run.read_fraction or 0:.0%} of the file read"
    hl.say(line)


def report(runs: list[Run], baselines: dict[str, Run]) -> None:
    rows = []
    for run in runs:
        baseline = baselines.get(run.label)
        if run.read_seconds is None:
            reading = after = "-"
        elif run.stopped:
            reading, after = f"{run.read_fraction:.0%} read", "-"
        else:
            reading, after = f"{run.read_seconds:.1f}", f"{run.seconds - run.read_seconds:.1f}"
        rows.append([
            run.label, f"{run.rows:,}", seconds_text(run),
            f"{run.rows_per_second:,.0f}" if not run.stopped else "-",
            f"{'>' if run.stopped else ''}{run.seconds / baseline.seconds:.1f}" if baseline else "-",
            reading, after,
            mb(run.peak_rss_kb), *(mb(run.rss_at(f)) for f in (0.25, 0.5, 0.75, 1.0)),
        ])
    hl.say(hl.table(["run", "rows", "seconds", "rows/s", "x baseline", "reading s", "after s",
                     "peak RSS MB", "RSS@25%", "RSS@50%", "RSS@75%", "RSS@100%"], rows))


def flat_verdict(database: str, load: Run | None, small: Run | None) -> None:
    if load is None or small is None or small.stopped:
        hl.say(f"goal missed: memory flat on {database}: not measured (a load was skipped or stopped)")
        return
    growth_kb = load.peak_rss_kb - small.peak_rss_kb
    allowed_kb = max(FLAT_GROWTH * small.peak_rss_kb, FLAT_SLACK_MB * 1024)
    verdict = "goal met" if growth_kb <= allowed_kb else "goal missed"
    hl.say(f"{verdict}: memory flat on {database}: peak RSS {mb(load.peak_rss_kb)} MB at "
           f"{'(stopped) ' if load.stopped else ''}{load.rows:,} rows vs {mb(small.peak_rss_kb)} MB at "
           f"{small.rows:,} rows ({growth_kb / 1024:+.0f} MB, allowed +{allowed_kb / 1024:.0f} MB)")


def marginal_rate(load: Run | None, small: Run | None) -> str:
    if not load or not small or load.stopped or small.stopped or load.seconds <= small.seconds:
        return "n/a"
    return f"{(load.rows - small.rows) / (load.seconds - small.seconds):,.0f} rows/s"


def timed_load(label: str, path: Path, expected_rows: int, table_rows: int, cap: float, env: dict,
               count_table: Callable[[], int], on_stop: Callable[[], None] | None = None) -> Run | None:
    """`flask data load-ncci-ptp` of path, stopped after cap seconds; the rows it read and the rows the
    table holds checked. None, with a line saying so, when the budget leaves no time for it."""
    if cap < 5:
        skipped(label)
        return None
    run = measure(label, load_command(path), env, expected_rows, cap=cap, watch=path, on_stop=on_stop)
    if not run.stopped:
        check_count(label + " (rows read)", loaded_rows(run), expected_rows)
        check_count(label, count_table(), table_rows)
    progress(run)
    return run


def skipped(label: str) -> None:
    hl.say(f"  {label:<36} skipped: out of time budget")


# --------------------------------------------------------------------------- runs

def run_postgresql(workdir: Path, rows: int, budget: Budget, reserve: float) -> None:
    say = hl.say
    small_rows = max(1, rows // SMALL_SHARE)
    started = time.monotonic()
    big, small = generate(workdir, rows, small_rows)
    say(f"generated {big.name}: {rows:,} rows, {big.stat().st_size / 1e6:.0f} MB "
        f"(+ a {small_rows:,}-row copy) in {time.monotonic() - started:.1f}s")
    with hl.TempPostgres() as database:
        env = hl.bench_environment(DATABASE_URL=database.url,
                                   CELERY_BROKER_URL=f"sqlalchemy+sqlite:///{workdir / 'broker.db'}")
        hl.run_checked([hl.venv_tool("flask"), "--app", "app", "db", "upgrade"], env, "flask db upgrade")
        database.execute(PG_RAW_TABLE)
        say(f"PostgreSQL database {database.name}: migrated; budget left {budget.left(reserve):.0f}s")

        def baseline(label: str) -> Run:
            database.execute("TRUNCATE bench_raw_ptp")
            run = measure(label, psql_copy_command(database.url, big), env, rows, cap=max(5.0, budget.left(reserve)))
            if not run.stopped:
                check_count(label, database.count("bench_raw_ptp"), rows)
            progress(run)
            return run

        load = functools.partial(timed_load, env=env, count_table=lambda: database.count("ncci_ptp_edit"),
                                 on_stop=database.end_other_sessions)

        base_1 = baseline("baseline: psql \\copy (1)")
        tenth = load(f"load 5% ({small_rows:,} rows)", small, small_rows, small_rows, budget.left(reserve + 60))
        database.execute("TRUNCATE ncci_ptp_edit")
        # Load 1 is the goal: it gets what is left but for the baseline after it and a short load 2.
        first = load("load 1: empty table", big, rows, rows, min(budget.left(reserve + 25), 4 * GOAL_SECONDS))
        base_2 = baseline("baseline: psql \\copy (2)") if budget.left(reserve) > 8 else None
        second = None
        if first and not first.stopped:
            second = load("load 2: same file (upsert)", big, rows, rows, budget.left(reserve))
        else:
            say("  load 2: same file (upsert)           skipped: load 1 did not finish")
        say()
        runs = [r for r in (base_1, base_2, tenth, first, second) if r]
        report(runs, ({first.label: base_1} if first else {}) | ({second.label: base_2} if second and base_2 else {}))
        say()
        if first is None:
            say(f"goal missed: {rows:,} rows into PostgreSQL: load 1 not run (out of budget)")
        else:
            verdict = "goal met" if not first.stopped and first.seconds < GOAL_SECONDS else "goal missed"
            say(f"{verdict}: {rows:,} rows into PostgreSQL in {seconds_text(first)}s (goal < {GOAL_SECONDS:.0f}s); "
                f"{first.seconds / base_1.seconds:.1f}x the psql \\copy baseline")
        flat_verdict("PostgreSQL", first, tenth)
        say(f"info: marginal rate (load 1 minus load 5%, startup excluded): {marginal_rate(first, tenth)}")
        if first and second and second.stopped:
            say(f"info: the idempotent second load was stopped at the budget after {second.seconds:.1f}s "
                f"(>{second.seconds / first.seconds:.2f}x the first), {second.read_fraction or 0:.0%} of the file read; "
                f"pass --budget 400 for its full time")
        elif first and second:
            say(f"info: the idempotent second load took {second.seconds:.1f}s "
                f"({second.seconds / first.seconds:.2f}x the first)")
    big.unlink()
    small.unlink()


def run_sqlite(workdir: Path, rows: int, budget: Budget) -> None:
    say = hl.say
    directory = workdir / "sqlite"
    directory.mkdir()
    small_rows = max(1, rows // SMALL_SHARE)
    big, small = generate(directory, rows, small_rows, seed=323)
    database = directory / "bench.db"
    env = hl.bench_environment(DATABASE_URL=f"sqlite:///{database}",
                               CELERY_BROKER_URL=f"sqlalchemy+sqlite:///{workdir / 'broker.db'}")
    hl.run_checked([hl.venv_tool("flask"), "--app", "app", "db", "upgrade"], env, "flask db upgrade")
    if shutil.which("sqlite3") is None:
        raise hl.BenchError("the sqlite3 command-line tool is needed for the SQLite baseline (apt-get install sqlite3)")
    raw = directory / "raw.db"
    script = directory / "import.sql"
    script.write_text(f"{SQLITE_RAW_TABLE}\n.mode tabs\n.import --skip 6 {big} bench_raw_ptp\n")
    say(f"SQLite database {database}: migrated; file of {rows:,} rows generated; budget left {budget.left():.0f}s")

    def baseline(label: str) -> Run:
        raw.unlink(missing_ok=True)
        run = measure(label, ["sqlite3", "-batch", "-bail", str(raw), f".read {script}"], env, rows,
                      cap=max(5.0, budget.left()))
        if not run.stopped:
            check_count(label, sqlite_count(raw, "bench_raw_ptp"), rows)
        progress(run)
        return run

    load = functools.partial(timed_load, env=env, count_table=lambda: sqlite_count(database, "ncci_ptp_edit"))

    base_1 = baseline("sqlite baseline: .import (1)")
    tenth = load(f"sqlite load 5% ({small_rows:,} rows)", small, small_rows, small_rows, budget.left(20))
    with sqlite3.connect(database) as connection:
        connection.execute("DELETE FROM ncci_ptp_edit")
    first = load("sqlite load 1: empty table", big, rows, rows, budget.left(8))
    base_2 = baseline("sqlite baseline: .import (2)") if budget.left() > 5 else None
    second = load("sqlite load 2: same file (upsert)", big, rows, rows, budget.left()) \
        if first and not first.stopped else None
    say()
    runs = [r for r in (base_1, base_2, tenth, first, second) if r]
    report(runs, ({first.label: base_1} if first else {}) | ({second.label: base_2} if second and base_2 else {}))
    say()
    flat_verdict("SQLite", first, tenth)
    rate = marginal_rate(first, tenth)
    say(f"info: SQLite marginal rate {rate}" + (
        f"; 1.5M rows would take ~{1_500_000 / ((first.rows - tenth.rows) / (first.seconds - tenth.seconds)):.0f}s"
        if rate != "n/a" else "") + " (no goal set for SQLite)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_500_000)
    parser.add_argument("--budget", type=float, default=165.0, help="seconds for the whole run (default 165)")
    parser.add_argument("--sqlite", action="store_true", help="also load a smaller file into SQLite")
    parser.add_argument("--sqlite-rows", type=int, default=100_000)
    parser.add_argument("--no-postgresql", action="store_true", help="only the SQLite part (with --sqlite)")
    args = parser.parse_args()
    hl.exit_on_signals()
    budget = Budget(args.budget)
    workdir = Path(tempfile.mkdtemp(prefix="bench-ncci-"))
    try:
        if not args.no_postgresql:
            run_postgresql(workdir, args.rows, budget, reserve=SQLITE_SLICE if args.sqlite else 0.0)
        if args.sqlite:
            if not args.no_postgresql:
                hl.say()
            run_sqlite(workdir, args.sqlite_rows, budget)
        return 0
    except (hl.BenchError, OSError, subprocess.SubprocessError) as error:
        return hl.fail(error)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
