"""The CMS Geographic Practice Cost Index file (GPCI), CSV.

Layout: a title row, a blank row, a header (MAC, State, Locality Number, Locality Name,
"<year> PW GPCI (with 1.0 Floor)", "<year> PE GPCI", "<year> MP GPCI"), one row per
locality, then footnotes.
"""
import re
from pathlib import Path

import sqlalchemy as sa

from app.extensions import db
from app.reference.loaders.files import LoadError, csv_rows, parse_decimal
from app.reference.loaders.store import insert_rows, record_file
from app.reference.models import Gpci

YEAR = re.compile(r"(\d{4})\s+PW\s+GPCI", re.I)


def find_column(header: list[str], pattern: str, path: Path, line: int) -> int:
    for index, cell in enumerate(header):
        if re.search(pattern, cell, re.I):
            return index
    raise LoadError(path, line, None, f"header has no column matching {pattern!r}; is this a GPCI file?")


def load_gpci(path: Path) -> int:
    """Replace one year's GPCIs with this file's localities. Returns the rows loaded."""
    rows = csv_rows(path, "GPCI")
    for number, cells in rows:
        if any(re.search(r"locality\s+number", cell, re.I) for cell in cells):
            header = cells
            break
    else:
        raise LoadError(path, None, None, "no header row with a 'Locality Number' column")
    year_match = next((YEAR.search(cell) for cell in header if YEAR.search(cell)), None)
    if not year_match:
        raise LoadError(path, number, "PW GPCI", "header does not name the year")
    year = int(year_match[1])
    columns = {
        "mac": find_column(header, r"\bMAC\b|contractor", path, number),
        "state": find_column(header, r"^\s*state\s*$", path, number),
        "locality_number": find_column(header, r"locality\s+number", path, number),
        "locality_name": find_column(header, r"locality\s+name", path, number),
        "work": find_column(header, r"PW\s+GPCI", path, number),
        "practice_expense": find_column(header, r"PE\s+GPCI", path, number),
        "malpractice": find_column(header, r"MP\s+GPCI", path, number),
    }
    source = record_file("gpci", path, f"CY{year} GPCI", year, None)

    def localities():
        for line, cells in rows:
            mac = cells[columns["mac"]].strip() if cells else ""
            if not mac.isdigit():
                continue  # blank lines and the footnotes after the table
            if len(cells) <= max(columns.values()):
                raise LoadError(path, line, None, f"expected {max(columns.values()) + 1} columns, found {len(cells)}")
            locality = cells[columns["locality_number"]].strip()
            if not locality.isdigit():
                raise LoadError(path, line, "Locality Number", f"not a locality number: {locality[:10]!r}")
            yield {
                "year": year,
                # Files re-saved by spreadsheets lose leading zeros: MACs are 5 digits, localities 2.
                "mac": mac.zfill(5),
                "locality_number": locality.zfill(2),
                "state": cells[columns["state"]].strip()[:2],
                "locality_name": cells[columns["locality_name"]].strip().rstrip("*").strip(),
                **{
                    field: parse_decimal(cells[columns[field]], path, line, header[columns[field]])
                    for field in ("work", "practice_expense", "malpractice")
                },
                "source_file_id": source.id,
            }

    db.session.execute(sa.delete(Gpci).where(Gpci.year == year))
    source.row_count = insert_rows(Gpci.__table__, localities())
    if source.row_count == 0:
        raise LoadError(path, None, None, "no locality rows")
    return source.row_count
