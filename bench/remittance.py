"""835 import: parsing a 50,000-claim file (time, peak memory, flatness) and a 500-line import to
updated dashboards (p95).

Goals (issue 14): the 50,000-claim file (~15 MB) parsed in <= 5 s and <= 200 MB peak, memory flat
in the file's size; the p95 time from a 500-line remittance upload to its codes' dashboards updated.

Parse: each measurement is a fresh subprocess (peak RSS from getrusage), on a generated file in
the 5010 layout (synthetic names, ids and dates in NM1/REF/DTM, two service lines per claim, one
in three with a denial). Baseline in the same run, alternating: the same process reading the file
and splitting it into segments and elements with str.split (no extraction). Flatness: the
streaming reader's peak above the file's own bytes, at 10% and 100% of the claims.

Import: in process on a temporary SQLite database with the shipped sample, through the API as a
client does it (POST /api/v1/remittances, then POST /api/v1/reports/batch), then each touched
code's aggregate recomputed as the worker task does (refresh_aggregate, called directly: no broker
latency in this figure). Baseline in the same run: the same 500 reports sent one by one to
POST /api/v1/reports, then the same recomputation.

    .venv/bin/python bench/remittance.py [--claims 50000] [--imports 10] [--baseline-imports 2]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENVELOPE = ("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261201*1200*^*00501*000000001*0*P*:~\n"
            "GS*HP*SENDER*RECEIVER*20261201*1200*1*X*005010X221A1~\nST*835*0001~\nBPR*I*100*C*CHK************20261201~\n"
            "TRN*1*12345*1512345678~\nN1*PR*SYNTHETIC PAYER~\nN1*PE*SYNTHETIC CLINIC*XX*1234567893~\n")
CODES = ("20553", "20552", "20610", "64483", "99213", "96372", "20550", "77003")
DENIALS = ("CO*97", "CO*16", "CO*50", "CO*236", "PI*97")


def claim(number: int, rng: random.Random, codes=CODES) -> str:
    lines = []
    for line in range(2):
        code = codes[(number + line) % len(codes)]
        charge = rng.randint(50, 900)
        if (number + line) % 3 == 0:
            cas = f"CAS*{DENIALS[number % len(DENIALS)]}*{charge}.00~\nLQ*HE*N56~\n"
            paid = 0
        else:
            paid = charge - 20
            cas = "CAS*CO*45*20.00~\n"
        lines.append(f"SVC*HC:{code}:25*{charge}.00*{paid}.00**1~\nDTM*472*2026{1 + number % 9:02d}{1 + line:02d}~\n{cas}"
                     f"REF*6R*{number:08d}{line}~\n")
    return (f"LX*{number}~\nCLP*PCN{number:09d}*1*1000.00*500.00**MB*PAYERCLAIM{number:010d}*11*1~\n"
            f"NM1*QC*1*SYNTHETIC*PATIENT****MI*MEMBER{number:08d}~\nNM1*82*1*SYNTHETIC*DOCTOR****XX*1234567893~\n"
            f"DTM*232*2026{1 + number % 9:02d}15~\n" + "".join(lines))


def remittance(claims: int, seed: int = 1, codes=CODES) -> str:
    rng = random.Random(seed)
    return ENVELOPE + "".join(claim(n, rng, codes) for n in range(1, claims + 1)) + "SE*1*0001~\nGE*1*1~\nIEA*1*000000001~\n"


MEASURE = r"""
import json, resource, sys, time
path, mode = sys.argv[1], sys.argv[2]
from app.remittance import decode, extract_drafts
from app.remittance.lines import iter_service_lines
start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
data = open(path, "rb").read()
started = time.perf_counter()
text = decode(data)
if mode == "baseline":
    count = sum(len(segment.split("*")) for segment in text.split("~"))
elif mode == "stream":
    count = sum(1 for _ in iter_service_lines(text))
else:
    extraction = extract_drafts(text)
    count = len(extraction.drafts) + len(extraction.skipped)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024, "above_start_mb": (peak - start_rss) / 1024,
                  "file_mb": len(data) / 2**20, "count": count}))
"""


def measure(path: Path, mode: str) -> dict:
    result = subprocess.run([sys.executable, "-c", MEASURE, str(path), mode], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    return json.loads(result.stdout)


def parse_bench(claims: int, workdir: Path) -> bool:
    full, tenth = workdir / "full.835", workdir / "tenth.835"
    full.write_text(remittance(claims))
    tenth.write_text(remittance(max(1, claims // 10)))
    rows = []
    for label, path, mode in (("baseline split", full, "baseline"), ("stream lines", full, "stream"),
                              ("extract drafts", full, "extract"), ("baseline split", full, "baseline"),
                              ("stream lines 10%", tenth, "stream"), ("extract drafts 10%", tenth, "extract")):
        figures = measure(path, mode)
        rows.append((label, figures))
        print(f"{label:20} {figures['file_mb']:6.1f} MB file  {figures['seconds']:6.2f} s  peak {figures['peak_mb']:6.1f} MB"
              f"  (+{figures['above_start_mb']:6.1f} MB over the interpreter)  items {figures['count']}")
    extract = rows[2][1]
    baseline = statistics.median([rows[0][1]["seconds"], rows[3][1]["seconds"]])
    stream_full, stream_tenth = rows[1][1], rows[4][1]
    # What the reader holds beyond the file (bytes + its decoded text) at 10% and 100% of the claims.
    held_full = stream_full["above_start_mb"] - 2 * stream_full["file_mb"]
    held_tenth = stream_tenth["above_start_mb"] - 2 * stream_tenth["file_mb"]
    print(f"extraction / baseline split time: {extract['seconds'] / baseline:.2f}x")
    print(f"reader memory beyond the file's bytes and text: {held_tenth:.1f} MB at 10%, {held_full:.1f} MB at 100%")
    goals = [("50,000 claims extracted in <= 5 s", extract["seconds"] <= 5),
             ("peak memory <= 200 MB", extract["peak_mb"] <= 200),
             ("reader memory flat (100% within 10 MB of 10%)", held_full - held_tenth <= 10)]
    for text, met in goals:
        print(f"goal {'met' if met else 'missed'}: {text}")
    return all(met for _, met in goals)


def import_bench(imports: int, baseline_imports: int, workdir: Path) -> None:
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.dashboards.aggregates import refresh_aggregate

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.db'}", "SECRET_KEY": "bench",
                      "CONTRIBUTOR_SECRET": "bench", "CELERY_BROKER_URL": f"sqlalchemy+sqlite:///{workdir / 'broker.db'}",
                      "REPORT_RATE_LIMIT": "100000 per minute", "RATELIMIT_STORAGE_URI": "memory://"})
    app.instance_path = str(workdir)
    codes = ("20553", "20552", "20610", "20550", "20551", "20600")
    with app.app_context():
        upgrade()
        assert app.test_cli_runner().invoke(args=["data", "load-all"]).exit_code == 0
    client = app.test_client()

    def refresh(drafts):
        with app.app_context():
            for code in sorted({d["code"] for d in drafts}):
                refresh_aggregate(code)
            db.session.remove()

    def one_import(seed: int) -> tuple[float, int]:
        data = remittance(750, seed, codes).encode()  # 1,500 lines, 500 of them denials
        started = time.perf_counter()
        drafts = client.post("/api/v1/remittances", data=data, content_type="application/edi-x12").json["drafts"]
        response = client.post("/api/v1/reports/batch", json={"reports": drafts})
        assert response.status_code == 201, response.json
        refresh(drafts)
        return time.perf_counter() - started, len(drafts)

    def one_by_one(seed: int) -> float:
        data = remittance(750, seed, codes).encode()
        drafts = client.post("/api/v1/remittances", data=data, content_type="application/edi-x12").json["drafts"]
        started = time.perf_counter()
        for draft in drafts:
            assert client.post("/api/v1/reports", json=draft).status_code == 201
        refresh(drafts)
        return time.perf_counter() - started

    timings, baselines, seed = [], [], 100
    for round_number in range(imports):
        seed += 1
        seconds, count = one_import(seed)
        timings.append(seconds)
        if round_number < baseline_imports:
            seed += 1
            baselines.append(one_by_one(seed))
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    print(f"import of a {count}-denial remittance to dashboards updated: p50 {statistics.median(timings):.2f} s, "
          f"p95 {p95:.2f} s over {len(timings)} imports")
    print(f"baseline, the same reports one POST each: median {statistics.median(baselines):.2f} s "
          f"({statistics.median(baselines) / statistics.median(timings):.1f}x the import)")
    with app.app_context():
        db.engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=50_000)
    parser.add_argument("--imports", type=int, default=10)
    parser.add_argument("--baseline-imports", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-remittance-") as directory:
        parse_bench(args.claims, Path(directory))
        import_bench(args.imports, args.baseline_imports, Path(directory))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("FLASK_DEBUG", "0")
    sys.exit(main())
