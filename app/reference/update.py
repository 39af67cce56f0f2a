"""Keeping the reference data current: fetch CMS's files of a quarter, check them, load them together.

Each source is a URL template (config REFERENCE_URLS; defaults in app/config.py) filled with the quarter: {year}, {quarter},
{yy} (two-digit year), {release} (CMS's RVU release letter, a-d for January-October), {version}
(the NCCI version, 322 for 2026 Q3) and {part} (NCCI PTP parts 1-4). A source without a URL is
skipped. Everything is downloaded and unpacked first; a failed download loads nothing. The files
are then loaded in one transaction with the ordinary loaders (which check each file's layout), and
each load must reach its kind's minimum row count; any failure rolls the whole update back, so the
previous vintage stays until the new one is completely loaded. Files already loaded are skipped.
"""
import datetime as dt
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.extensions import db
from app.reference.loaders.files import LoadError
from app.reference.loaders.gpci import load_gpci
from app.reference.loaders.localities import load_anesthesia_factors, load_locality_counties, load_zip_localities
from app.reference.loaders.ncci import load_mue, load_ncci_ptp
from app.reference.loaders.opps_cap import load_opps_cap
from app.reference.loaders.pprrvu import load_pprrvu
from app.reference.loaders.remittance_codes import load_remittance_codes
from app.reference.loaders.store import Unchanged
from app.reference.cache import reference_data_changed

MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024
TIMEOUT_SECONDS = 120
PTP_PARTS = (1, 2, 3, 4)

#: Fewer rows than this means a truncated or wrong file, even if its layout reads. Full CMS files hold
#: ~19,000 PPRRVU rows, 109 localities, ~43,000 ZIPs, ~16,000 OPPS caps and ~15,000 MUEs.
MINIMUM_ROWS = {
    "pprrvu": 10_000, "gpci": 100, "locality_counties": 100, "anesthesia_cf": 100, "opps_cap": 1_000,
    "zip_localities": 40_000, "ncci_ptp": 1, "mue": 10_000, "carc": 200, "rarc": 800,
}


class UpdateFailed(Exception):
    """The update stopped; the data is as it was before it."""


@dataclass
class UpdateReport:
    quarter: tuple[int, int]
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        year, quarter = self.quarter
        return (f"{year} Q{quarter}: loaded {', '.join(self.loaded) or 'nothing'}; "
                f"unchanged {', '.join(self.unchanged) or 'none'}; not configured {', '.join(self.skipped) or 'none'}")


def current_quarter(today: dt.date) -> tuple[int, int]:
    return today.year, (today.month - 1) // 3 + 1


def fill(template: str, year: int, quarter: int, part: int | None = None) -> str:
    return template.format(year=year, quarter=quarter, yy=f"{year % 100:02d}", release="abcd"[quarter - 1],
                           version=f"{year - 1994}{quarter - 1}", part=part or "")


def download(url: str, target: Path) -> Path:
    if not url.startswith(("https://", "http://")):
        raise UpdateFailed(f"{url}: only http(s) URLs are fetched")
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response, target.open("wb") as out:
            size = 0
            while block := response.read(1 << 20):
                size += len(block)
                if size > MAX_DOWNLOAD_BYTES:
                    raise UpdateFailed(f"{url}: larger than {MAX_DOWNLOAD_BYTES >> 20} MB")
                out.write(block)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise UpdateFailed(f"{url}: download failed: {error}") from None
    return target


def unpack(archive: Path, into: Path) -> list[Path]:
    """The files of a zip (checked against their CRCs); any other file is itself."""
    if not zipfile.is_zipfile(archive):
        return [archive]
    try:
        with zipfile.ZipFile(archive) as bundle:
            if (broken := bundle.testzip()) is not None:
                raise UpdateFailed(f"{archive.name}: {broken} fails its checksum")
            into.mkdir(parents=True, exist_ok=True)
            files = []
            for member in bundle.infolist():
                name = Path(member.filename).name
                if member.is_dir() or not name or name.startswith("."):
                    continue
                target = into / name
                with bundle.open(member) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out)
                files.append(target)
            return files
    except zipfile.BadZipFile as error:
        raise UpdateFailed(f"{archive.name}: not a readable zip: {error}") from None


def pick(files: list[Path], prefix: str, suffix: str, prefer: str | None = None) -> Path | None:
    """The file of a bundle whose name starts with prefix and ends with suffix (prefer: part of the name)."""
    matches = sorted(f for f in files if f.name.upper().startswith(prefix) and f.name.lower().endswith(suffix))
    preferred = [f for f in matches if prefer and prefer.lower() in f.name.lower()]
    return (preferred or matches or [None])[0]


@dataclass
class Planned:
    kind: str
    path: Path
    load: Callable
    arguments: tuple


def bundle_loads(files: list[Path], year: int) -> list[Planned]:
    """The RVU bundle's files: the fee schedule (the non-QPP one when CMS publishes two), the GPCIs,
    the locality/county list, the anesthesia CFs and the OPPS cap."""
    wanted = [
        ("pprrvu", pick(files, "PPRRVU", ".csv", prefer="nonqpp"), load_pprrvu, (False,)),
        ("gpci", pick(files, "GPCI", ".csv"), load_gpci, ()),
        ("locality_counties", next((f for f in files if "LOCCO" in f.name.upper() and f.name.lower().endswith(".csv")), None),
         load_locality_counties, ()),
        ("anesthesia_cf", pick(files, "ANES", ".csv"), load_anesthesia_factors, (year,)),
        ("opps_cap", pick(files, "OPPSCAP", ".csv"), load_opps_cap, (year,)),
    ]
    missing = [kind for kind, path, _, _ in wanted if path is None]
    if missing:
        raise UpdateFailed(f"the RVU bundle lacks its {', '.join(missing)} file")
    return [Planned(kind, path, load, arguments) for kind, path, load, arguments in wanted]


def fetch_all(urls: dict, year: int, quarter: int, workdir: Path, report: UpdateReport) -> list[Planned]:
    """Download and unpack every configured source; raises UpdateFailed before anything is loaded."""
    planned: list[Planned] = []
    if template := urls.get("rvu_bundle"):
        url = fill(template, year, quarter)
        planned += bundle_loads(unpack(download(url, workdir / "rvu.zip"), workdir / "rvu"), year)
    else:
        report.skipped.append("rvu_bundle")
    if template := urls.get("zip_localities"):
        files = unpack(download(fill(template, year, quarter), workdir / "zip5.download"), workdir / "zip5")
        path = pick(files, "ZIP5", ".txt") or (files[0] if len(files) == 1 else None)
        if path is None:
            raise UpdateFailed("the ZIP crosswalk download holds no ZIP5 file")
        planned.append(Planned("zip_localities", path, load_zip_localities, ()))
    else:
        report.skipped.append("zip_localities")
    if template := urls.get("ncci_ptp"):
        for part in PTP_PARTS if "{part}" in template else (None,):
            files = unpack(download(fill(template, year, quarter, part), workdir / f"ptp{part}.download"), workdir / f"ptp{part}")
            texts = [f for f in files if f.suffix.lower() in {".txt", ".tsv"}]
            if not texts:
                raise UpdateFailed(f"NCCI PTP part {part}: no tab-separated .txt file in the download")
            planned += [Planned("ncci_ptp", path, load_ncci_ptp, ((year, quarter),)) for path in texts]
    else:
        report.skipped.append("ncci_ptp")
    if template := urls.get("mue"):
        files = unpack(download(fill(template, year, quarter), workdir / "mue.download"), workdir / "mue")
        path = next((f for f in sorted(files) if f.suffix.lower() == ".csv"), None)
        if path is None:
            raise UpdateFailed("the MUE download holds no CSV file")
        planned.append(Planned("mue", path, load_mue, ((year, quarter),)))
    else:
        report.skipped.append("mue")
    for kind in ("carc", "rarc"):
        if template := urls.get(kind):
            path = download(fill(template, year, quarter), workdir / f"{kind}.csv")
            planned.append(Planned(kind, path, lambda p, k=kind: load_remittance_codes(k, p), ()))
        else:
            report.skipped.append(kind)
    return planned


def load_together(planned: list[Planned], minimum_rows: dict, report: UpdateReport) -> None:
    """Load every planned file in one transaction; any error leaves every table as it was."""
    try:
        for item in planned:
            try:
                count = item.load(item.path, *item.arguments)
            except Unchanged:
                report.unchanged.append(item.path.name)
                continue
            if count < minimum_rows.get(item.kind, 1):
                raise UpdateFailed(f"{item.path.name}: {count} rows, fewer than the {minimum_rows.get(item.kind, 1)} "
                                   f"a complete {item.kind} file holds")
            report.loaded.append(f"{item.path.name} ({count} rows)")
        db.session.commit()
    except LoadError as error:
        db.session.rollback()
        raise UpdateFailed(str(error)) from None
    except BaseException:
        db.session.rollback()
        raise
    reference_data_changed()


def update_reference_data(urls: dict, quarter: tuple[int, int], minimum_rows: dict | None = None) -> UpdateReport:
    """Fetch, check and load one quarter's files. Raises UpdateFailed, leaving the data as it was."""
    report = UpdateReport(quarter)
    workdir = Path(tempfile.mkdtemp(prefix="denial-radar-update-"))
    try:
        planned = fetch_all(urls, *quarter, workdir, report)
        load_together(planned, MINIMUM_ROWS | (minimum_rows or {}), report)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return report
