"""`flask data update` against a local HTTP server serving CMS-shaped fixture files (no internet)."""
import functools
import http.server
import threading
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.reference.models import FeeScheduleRvu, NcciPtpEdit, ReferenceFile, ZipLocality
from app.reference.update import UpdateFailed, fill, update_reference_data
from app.background import celery_config

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "reference"
QUARTER = (2025, 4)
FEW_ROWS = {kind: 1 for kind in ("pprrvu", "gpci", "locality_counties", "anesthesia_cf", "opps_cap",
                                 "zip_localities", "ncci_ptp", "mue", "carc", "rarc")}
# Real records of CMS's CY2025 files (ZIP5_OCT2025.txt, 25LOCCO.csv, ANES2025.csv, OPPSCAP_Oct.csv).
ZIP5 = "AL352031011200 Z9   0 A" + " " * 52 + "20254\r\nAK995010210201 Z9   0 A" + " " * 52 + "20254\r\n"
LOCCO = ("COUNTIES INCLUDED IN 2025 LOCALITIES. (ALPHABETICALLY BY STATE AND LOCALITY NAME WITHIN STATE),,,,\n,,,,\n"
         "Medicare Adminstrative Contractor,Locality Number,State ,Fee Schedule Area ,Counties\n,,,,\n"
         "10112,0,ALABAMA ,STATEWIDE ,ALL COUNTIES \n")
ANES = "Contractor,Locality,Locality Name,National Anes CF of 20.3178\n10112 ,00 ,ALABAMA,19.31 \n"
OPPSCAP = "HCPCS,MOD,PROCSTAT,CARRIER,LOCALITY,FACILITY PRICE,NON-FACILTY PRICE\n70496,,A,10112,00,230.40,230.40\n"


def write_zip(path: Path, members: dict[str, str | bytes]) -> None:
    with zipfile.ZipFile(path, "w") as bundle:
        for name, content in members.items():
            bundle.writestr(name, content)


@pytest.fixture
def cms_site(tmp_path):
    """A directory served on 127.0.0.1 laid out like cms.gov/files/zip, and the URL templates into it."""
    site = tmp_path / "site"
    site.mkdir()
    pprrvu = (FIXTURES / "PPRRVU2025_Oct_sample.csv").read_bytes()
    write_zip(site / "rvu25d.zip", {
        "PPRRVU2025_Oct.csv": pprrvu, "GPCI2025.csv": (FIXTURES / "GPCI2025_sample.csv").read_bytes(),
        "25LOCCO.csv": LOCCO, "ANES2025.csv": ANES, "OPPSCAP_Oct.csv": OPPSCAP, "RVU25D.pdf": b"%PDF"})
    write_zip(site / "zip-code-carrier-locality-file.zip", {"ZIP5_OCT2025.txt": ZIP5})
    # CMS splits a quarter's PTP edits into four part files: the 9 real rows of the excerpt, split so.
    lines = (FIXTURES / "ccipra-v322r0-f1_sample.txt").read_text().splitlines(keepends=True)
    preamble, rows = "".join(lines[:6]), lines[6:]
    for part, chunk in zip((1, 2, 3, 4), (rows[:3], rows[3:5], rows[5:7], rows[7:])):
        write_zip(site / f"medicare-ncci-2025q4-ptp-f{part}.zip", {f"ccipra-v313r0-f{part}.txt": preamble + "".join(chunk)})
    mue = ROOT / "data" / "ncci" / "MCR_MUE_PractitionerServices_Eff_04-01-2026_sample.csv"
    write_zip(site / "medicare-ncci-2025-q4-mue.zip", {"MCR_MUE_PractitionerServices_Eff_10-01-2025.csv": mue.read_bytes()})
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    urls = {
        "rvu_bundle": base + "/rvu{yy}{release}.zip",
        "zip_localities": base + "/zip-code-carrier-locality-file.zip",
        "ncci_ptp": base + "/medicare-ncci-{year}q{quarter}-ptp-f{part}.zip",
        "mue": base + "/medicare-ncci-{year}-q{quarter}-mue.zip",
        "carc": None, "rarc": None,
    }
    yield site, urls
    server.shutdown()
    server.server_close()
    thread.join()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def state() -> tuple:
    return (db.session.scalar(sa.select(sa.func.count()).select_from(ReferenceFile)),
            db.session.scalar(sa.select(sa.func.count()).select_from(FeeScheduleRvu)),
            db.session.scalar(sa.select(sa.func.count()).select_from(ZipLocality)))


def test_url_templates_fill_cms_names():
    assert fill("https://www.cms.gov/files/zip/rvu{yy}{release}.zip", 2025, 4) == "https://www.cms.gov/files/zip/rvu25d.zip"
    assert fill("ccipra-v{version}r0-f{part}", 2026, 3, 2) == "ccipra-v322r0-f2"


def test_update_loads_every_source_in_one_go_and_again_changes_nothing(empty_app, cms_site):
    site, urls = cms_site
    report = update_reference_data(urls, QUARTER, FEW_ROWS)
    assert report.skipped == ["carc", "rarc"] and not report.unchanged
    kinds = set(db.session.scalars(sa.select(ReferenceFile.kind)))
    assert kinds == {"pprrvu", "gpci", "locality_counties", "anesthesia_cf", "opps_cap", "zip_locality", "ncci_ptp", "mue"}
    assert db.session.get(ZipLocality, "35203").mac == "10112"
    ptp = db.session.scalar(sa.select(ReferenceFile).where(ReferenceFile.kind == "ncci_ptp"))
    assert (ptp.year, ptp.quarter) == QUARTER and db.session.scalar(sa.select(sa.func.count()).select_from(NcciPtpEdit)) == 9
    before = state()
    again = update_reference_data(urls, QUARTER, FEW_ROWS)
    assert again.loaded == [] and len(again.unchanged) == 11
    assert state() == before


@pytest.mark.parametrize(("broken", "message"), [
    ("missing", "download failed: HTTP Error 404"), ("malformed", "line 11, column WORKRVU: expected a number"),
    ("corrupt zip", "fails its checksum"), ("too few rows", "fewer than the 40000"),
])
def test_a_failed_update_leaves_the_data_as_it_was(empty_app, cms_site, broken, message):
    """The new ZIP file in the same update would load fine: it is rolled back with the rest."""
    site, urls = cms_site
    update_reference_data({**urls, "mue": None, "ncci_ptp": None}, QUARTER, FEW_ROWS)
    before = state()
    (site / "zip-code-carrier-locality-file.zip").unlink()
    write_zip(site / "zip-code-carrier-locality-file.zip", {"ZIP5_JAN2026.txt": ZIP5.replace("20254", "20261")})
    minimum = FEW_ROWS
    if broken == "missing":
        (site / "medicare-ncci-2025-q4-mue.zip").unlink()
    elif broken == "malformed":
        write_zip(site / "rvu25d.zip", {
            "PPRRVU2025_Oct.csv": (FIXTURES / "PPRRVU2025_Oct_sample.csv").read_text().replace(",A,,0.75,", ",A,,x,"),
            "GPCI2025.csv": (FIXTURES / "GPCI2025_sample.csv").read_bytes(), "25LOCCO.csv": LOCCO, "ANES2025.csv": ANES,
            "OPPSCAP_Oct.csv": OPPSCAP})
    elif broken == "corrupt zip":
        data = (site / "medicare-ncci-2025-q4-mue.zip").read_bytes()
        (site / "medicare-ncci-2025-q4-mue.zip").write_bytes(data[:40] + b"garbage" + data[47:])
    else:
        minimum = {**FEW_ROWS, "zip_localities": 40_000}
    with pytest.raises(UpdateFailed, match=message):
        update_reference_data(urls, QUARTER, minimum)
    assert state() == before
    assert db.session.scalar(sa.select(ZipLocality.source_file_id).limit(1)) is not None


def test_update_command_reports_and_fails_cleanly(empty_app, cms_site):
    site, urls = cms_site
    empty_app.config.update(REFERENCE_URLS={**urls, "rvu_bundle": urls["rvu_bundle"].replace("rvu", "nothing-")},
                            REFERENCE_UPDATE_MINIMUM_ROWS=FEW_ROWS)
    result = empty_app.test_cli_runner().invoke(args=["data", "update", "--quarter", "2025Q4"])
    assert result.exit_code != 0 and "update failed, nothing changed" in result.output and "404" in result.output
    empty_app.config["REFERENCE_URLS"] = urls
    result = empty_app.test_cli_runner().invoke(args=["data", "update", "--quarter", "2025Q4"])
    assert result.exit_code == 0, result.output
    assert "2025 Q4: loaded PPRRVU2025_Oct.csv" in result.output


def test_beat_runs_the_update_only_when_enabled(empty_app):
    assert "update-reference-data" not in celery_config(empty_app)["beat_schedule"]
    empty_app.config["REFERENCE_UPDATE_ENABLED"] = True
    assert celery_config(empty_app)["beat_schedule"]["update-reference-data"]["task"] == "workers.tasks.update_reference_data"
