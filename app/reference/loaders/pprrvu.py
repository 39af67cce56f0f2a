"""The CMS Physician Fee Schedule relative value file (PPRRVU), CSV release.

Layout: banner rows (the first names the year and release), a header stacked over five rows,
then one row per HCPCS code and modifier. Columns are found by their header text, so the
2025 layout (31 columns) and the 2026 one (PRIC IND added) both load.
"""
import hashlib
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from app.extensions import db
from app.reference.code_format import FEE_SCHEDULE_CODE
from app.reference.code_index import rebuild_code_index
from app.reference.loaders.files import LoadError, csv_rows, parse_decimal, sha256_of
from app.reference.loaders.store import insert_rows, record_file
from app.reference.models import ConversionFactor, FeeScheduleRvu

BANNER = re.compile(r"(\d{4}) National Physician Fee Schedule Relative Value File\s*(\w+)?", re.I)
RELEASE_QUARTERS = {"JANUARY": 1, "APRIL": 2, "JULY": 3, "OCTOBER": 4}

#: Our field -> the header text of its column, letters only.
COLUMNS = {
    "hcpcs": "HCPCS",
    "modifier": "MOD",
    "descriptor": "DESCRIPTION",
    "status_code": "STATUSCODE",
    "work_rvu": "WORKRVU",
    "non_facility_pe_rvu": "NONFACPERVU",
    "non_facility_na": "NONFACNAINDICATOR",
    "facility_pe_rvu": "FACILITYPERVU",
    "facility_na": "FACILITYNAINDICATOR",
    "mp_rvu": "MPRVU",
    "pctc_indicator": "PCTCIND",
    "global_days": "GLOBDAYS",
    "multiple_procedure": "MULTPROC",
    "bilateral_surgery": "BILATSURG",
    "assistant_surgery": "ASSTSURG",
    "co_surgery": "COSURG",
    "team_surgery": "TEAMSURG",
    "conversion_factor": "CONVFACTOR",
}
#: Columns of the OPPS imaging cap, in every release since 2007; optional so that excerpts load.
OPPS_COLUMNS = {
    "opps_non_facility_pe_rvu": "NONFACILITYPEUSEDFOROPPSPAYMENTAMOUNT",
    "opps_facility_pe_rvu": "FACILITYPEUSEDFOROPPSPAYMENTAMOUNT",
    "opps_mp_rvu": "MPUSEDFOROPPSPAYMENTAMOUNT",
}
DECIMALS = ("work_rvu", "non_facility_pe_rvu", "facility_pe_rvu", "mp_rvu")
INDICATORS = ("pctc_indicator", "multiple_procedure", "bilateral_surgery", "assistant_surgery",
              "co_surgery", "team_surgery")


def header_key(text: str) -> str:
    return re.sub(r"[^A-Z]", "", text.upper())


def column_positions(header_rows: list[list[str]], path: Path, line: int) -> dict[str, int]:
    width = max(len(row) for row in header_rows)
    stacked = [" ".join(row[i].strip() for row in header_rows if i < len(row) and row[i].strip())
               for i in range(width)]
    keys = [header_key(text) for text in stacked]
    positions = {}
    for field, wanted in COLUMNS.items():
        if wanted not in keys:
            raise LoadError(path, line, None, f"header has no {wanted!r} column; is this a PPRRVU CSV?")
        positions[field] = keys.index(wanted)
    positions.update({field: keys.index(wanted) for field, wanted in OPPS_COLUMNS.items() if wanted in keys})
    return positions


def public_descriptor(hcpcs: str, text: str, keep_descriptors: bool) -> str | None:
    """CPT descriptors (codes starting with a digit) are the AMA's and dental D codes the ADA's:
    kept only under a license. Other HCPCS Level II descriptors are CMS's, public."""
    licensed = hcpcs[:1].isdigit() or hcpcs.startswith("D")
    return (text or None) if keep_descriptors or not licensed else None


def load_pprrvu(path: Path, keep_descriptors: bool = False) -> int:
    """Replace one year's fee schedule with this file's rows. Returns the rows loaded.

    CPT descriptors are AMA text: they are kept only when the operator says they hold a license.
    """
    rows = csv_rows(path, "PPRRVU")
    year, release, header = None, None, []
    for number, cells in rows:
        text = " ".join(cells)
        if year is None and (match := BANNER.search(text)):
            year, release = int(match[1]), (match[2] or "").upper()
        header.append(cells)
        if cells and cells[0].strip().upper() == "HCPCS":
            break
    else:
        raise LoadError(path, None, None, "no header row starting with HCPCS")
    if year is None:
        raise LoadError(path, 1, None, "no banner naming the fee schedule year")
    positions = column_positions(header[-5:], path, number)
    quarter = RELEASE_QUARTERS.get(release)
    # Loading the same file with the descriptors kept changes the table: a distinct checksum says so.
    digest = sha256_of(path)
    if keep_descriptors:
        digest = hashlib.sha256(f"{digest}:keep-descriptors".encode()).hexdigest()
    source = record_file("pprrvu", path, f"CY{year} {release.title() or 'annual'} release", year, quarter, sha256=digest)

    factors: Counter[Decimal] = Counter()

    def fee_rows():
        for line, cells in rows:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) <= max(positions.values()):
                raise LoadError(path, line, None, f"expected at least {max(positions.values()) + 1} columns, found {len(cells)}")
            value = {field: cells[index].strip() for field, index in positions.items()}
            if not FEE_SCHEDULE_CODE.match(value["hcpcs"]):
                raise LoadError(path, line, "HCPCS", f"not a HCPCS code: {value['hcpcs'][:10]!r}")
            for field in DECIMALS:
                value[field] = parse_decimal(value[field], path, line, COLUMNS[field])
            for field, header in OPPS_COLUMNS.items():
                value[field] = parse_decimal(value[field], path, line, header) if field in value else None
            factor = value.pop("conversion_factor")
            if factor:
                factors[parse_decimal(factor, path, line, "CONV FACTOR")] += 1
            value["non_facility_na"] = value["non_facility_na"].upper() == "NA"
            value["facility_na"] = value["facility_na"].upper() == "NA"
            value["descriptor"] = public_descriptor(value["hcpcs"], value["descriptor"], keep_descriptors)
            value.update(year=year, source_file_id=source.id)
            yield value

    db.session.execute(sa.delete(FeeScheduleRvu).where(FeeScheduleRvu.year == year))
    count = insert_rows(FeeScheduleRvu.__table__, fee_rows())
    if not factors:
        raise LoadError(path, None, "CONV FACTOR", "no conversion factor in the file")
    # Every payable row carries the year's factor; the most common value is it.
    amount = factors.most_common(1)[0][0]
    db.session.merge(ConversionFactor(year=year, amount=amount, source_file_id=source.id))
    source.row_count = count
    rebuild_code_index()
    return count
