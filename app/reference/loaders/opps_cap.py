"""CMS's OPPS imaging cap file (OPPSCAP_Oct.csv, in the RVU bundle).

One row per code, modifier and locality: HCPCS, MOD, PROCSTAT, CARRIER, LOCALITY, FACILITY PRICE,
NON-FACILTY PRICE (sic). RVU25D.pdf: "the payment amounts after the application of the OPPS based
payment caps, except for carrier priced codes. For carrier price codes, the field only contains the
OPPS based payment caps. Carrier prices cannot exceed the OPPS based payment caps." The file does
not name its year; the bundle does (RVU25D is CY2025), so the caller passes it.
"""
import re
from pathlib import Path

import sqlalchemy as sa

from app.extensions import db
from app.reference.code_format import FEE_SCHEDULE_CODE
from app.reference.loaders.files import LoadError, csv_rows, parse_decimal
from app.reference.loaders.store import insert_rows, record_file
from app.reference.models import OppsCap

HEADER = ("HCPCS", "MOD", "PROCSTAT", "CARRIER", "LOCALITY")
BUNDLE = re.compile(r"rvu(\d{2})[a-d]", re.I)
RELEASE = re.compile(r"_(Jan|Apr|Jul|Oct)", re.I)


def bundle_year(path: Path) -> int | None:
    """CY of a file inside a CMS RVU bundle folder or zip named like RVU25D."""
    for part in (path.name, *(parent.name for parent in path.parents)):
        if match := BUNDLE.search(part):
            return 2000 + int(match[1])
    return None


def load_opps_cap(path: Path, year: int | None = None) -> int:
    """Replace one year's OPPS caps with this file's rows."""
    year = year or bundle_year(path)
    if year is None:
        raise LoadError(path, None, None, "the OPPSCAP file does not name its year; pass --year 2025")
    rows = csv_rows(path, "OPPSCAP")
    number, header = next(rows, (1, []))
    if tuple(cell.strip().upper() for cell in header[:5]) != HEADER or len(header) < 7:
        raise LoadError(path, number, None, f"header must start {','.join(HEADER)},FACILITY PRICE,NON-FACILITY PRICE")
    release = RELEASE.search(path.name)
    label = f"CY{year} OPPS imaging cap" + (f" ({release[1].title()} release)" if release else "")
    source = record_file("opps_cap", path, label, year, None)

    def caps():
        for line, cells in rows:
            hcpcs = cells[0].strip() if cells else ""
            if not hcpcs:
                continue
            if not FEE_SCHEDULE_CODE.match(hcpcs) or len(cells) < 7:
                raise LoadError(path, line, "HCPCS", f"not a HCPCS row: {hcpcs[:10]!r}")
            carrier, locality = cells[3].strip(), cells[4].strip()
            if not (carrier.isdigit() and locality.isdigit()):
                raise LoadError(path, line, "CARRIER", "carrier and locality must be numbers")
            yield {
                "year": year,
                "hcpcs": hcpcs,
                "modifier": cells[1].strip(),
                "status_code": cells[2].strip()[:1],
                "mac": carrier.zfill(5),
                "locality_number": locality.zfill(2),
                "facility_price": parse_decimal(cells[5], path, line, "FACILITY PRICE"),
                "non_facility_price": parse_decimal(cells[6], path, line, "NON-FACILITY PRICE"),
                "source_file_id": source.id,
            }

    db.session.execute(sa.delete(OppsCap).where(OppsCap.year == year))
    source.row_count = insert_rows(OppsCap.__table__, caps())
    if source.row_count == 0:
        raise LoadError(path, None, None, "no cap rows")
    return source.row_count
