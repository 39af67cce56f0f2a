"""Where a biller is paid from: CMS's ZIP-to-locality crosswalk, the locality/county list and the
anesthesia conversion factor of each locality.

- ZIP5 file (ZIP5_OCT2025.txt), fixed width, layout ZIP5lyout.txt: state 1-2, ZIP 3-7, carrier
  8-12, pricing locality 13-14, rural indicator 15, plus-four flag 21, year and quarter 76-80.
- LOCCO file (25LOCCO.csv): a title naming the year, a header, then MAC, locality, state (only on a
  state's first row), fee schedule area, counties. Copies saved by spreadsheets lose leading zeros.
- ANES file (ANES2025.csv): contractor, locality, locality name, anesthesia CF; the header names the
  national CF ("National Anes CF of 20.3178").
"""
import re
from itertools import chain
from pathlib import Path

import sqlalchemy as sa

from app.extensions import db
from app.reference.loaders.files import LoadError, csv_rows, numbered_lines, parse_decimal
from app.reference.loaders.store import insert_rows, record_file
from app.reference.models import AnesthesiaConversionFactor, LocalityCounties, ZipLocality

ZIP_RECORD = re.compile(r"^([A-Z]{2})(\d{5})(\d{5})(\d{2})([ RB])")
ZIP_VINTAGE = re.compile(r"^(\d{4})([1-4])$")
LOCCO_YEAR = re.compile(r"(\d{4})\s+LOCALITIES", re.I)
ANES_NATIONAL = re.compile(r"national\s+anes\w*\s+CF\s+of\s+(\d+\.\d+)", re.I)
YEAR_IN_NAME = re.compile(r"(20\d{2})")
NATIONAL_NAME = "National"


def load_zip_localities(path: Path) -> int:
    """Replace the ZIP crosswalk with this file's ZIPs. The vintage is the file's own year and quarter."""
    lines = numbered_lines(path, "ZIP5")
    first = next(lines, None)
    if first is None or not ZIP_RECORD.match(first[1]):
        raise LoadError(path, 1, None, "not a ZIP5 record (state, ZIP, carrier, locality); is this CMS's ZIP5 file?")
    vintage = ZIP_VINTAGE.match(first[1][75:80].strip())
    if not vintage:
        raise LoadError(path, 1, "Year/Quarter", "positions 76-80 must hold the year and quarter, like 20254")
    year, quarter = int(vintage[1]), int(vintage[2])
    source = record_file("zip_locality", path, f"ZIP to locality {year} Q{quarter}", year, quarter, scope="all")

    def records():
        for line, text in chain([first], lines):
            if not text.strip():
                continue
            match = ZIP_RECORD.match(text)
            if not match:
                raise LoadError(path, line, None, f"not a ZIP5 record: {text[:20]!r}")
            yield {
                "zip_code": match[2],
                "state": match[1],
                "mac": match[3],
                "locality_number": match[4],
                "rural_indicator": match[5].strip(),
                "split_by_plus_four": text[20:21] == "1",
                "source_file_id": source.id,
            }

    db.session.execute(sa.delete(ZipLocality))
    source.row_count = insert_rows(ZipLocality.__table__, records())
    return source.row_count


def file_year(path: Path, text_year: int | None) -> int:
    if text_year:
        return text_year
    match = YEAR_IN_NAME.search(path.name) or re.match(r"^(\d{2})LOCCO", path.name, re.I)
    if not match:
        raise LoadError(path, None, None, "cannot tell the year from the file")
    return int(match[1]) if len(match[1]) == 4 else 2000 + int(match[1])


def load_locality_counties(path: Path) -> int:
    """Replace one year's locality/county rows with this file's."""
    rows = csv_rows(path, "LOCCO")
    year = None
    for number, cells in rows:
        text = " ".join(cells)
        if year is None and (match := LOCCO_YEAR.search(text)):
            year = int(match[1])
        if re.search(r"locality\s+number", text, re.I) and re.search(r"counties", text, re.I):
            break
    else:
        raise LoadError(path, None, None, "no header row with 'Locality Number' and 'Counties'; is this a LOCCO file?")
    year = file_year(path, year)
    source = record_file("locality_counties", path, f"CY{year} localities and counties", year, None)

    def localities():
        state = ""
        for line, cells in rows:
            mac = cells[0].strip() if cells else ""
            if not mac.isdigit():
                continue  # separator rows and footnotes
            if len(cells) < 5:
                raise LoadError(path, line, None, f"expected 5 columns, found {len(cells)}")
            locality = cells[1].strip()
            if not locality.isdigit():
                raise LoadError(path, line, "Locality Number", f"not a locality number: {locality[:10]!r}")
            # The state is written on its first locality only.
            state = cells[2].strip() or state
            yield {
                "year": year,
                "mac": mac.zfill(5),
                "locality_number": locality.zfill(2),
                "state": state,
                "fee_schedule_area": cells[3].strip().rstrip("*").strip(),
                "counties": cells[4].strip(),
                "source_file_id": source.id,
            }

    db.session.execute(sa.delete(LocalityCounties).where(LocalityCounties.year == year))
    source.row_count = insert_rows(LocalityCounties.__table__, localities())
    if source.row_count == 0:
        raise LoadError(path, None, None, "no locality rows")
    return source.row_count


def load_anesthesia_factors(path: Path, year: int | None = None) -> int:
    """Replace one year's anesthesia conversion factors: the national one and each locality's."""
    rows = csv_rows(path, "ANES")
    _, header = next(rows, (1, []))
    national = next((ANES_NATIONAL.search(cell) for cell in header if ANES_NATIONAL.search(cell)), None)
    if len(header) < 4 or not re.match(r"\s*contractor", header[0], re.I) or not national:
        raise LoadError(path, 1, None, "header must be Contractor, Locality, Locality Name, National Anes CF of ...")
    year = year or file_year(path, None)
    source = record_file("anesthesia_cf", path, f"CY{year} anesthesia conversion factors", year, None)

    def factors():
        yield {"year": year, "mac": "", "locality_number": "", "locality_name": NATIONAL_NAME,
               "amount": parse_decimal(national[1], path, 1, header[3]), "source_file_id": source.id}
        for line, cells in rows:
            mac = cells[0].strip() if cells else ""
            if not mac:
                continue
            if not mac.isdigit() or len(cells) < 4:
                raise LoadError(path, line, "Contractor", f"not a contractor number: {mac[:10]!r}")
            yield {
                "year": year,
                "mac": mac.zfill(5),
                "locality_number": cells[1].strip().zfill(2),
                "locality_name": cells[2].strip().rstrip("*").strip(),
                "amount": parse_decimal(cells[3], path, line, "Anes CF"),
                "source_file_id": source.id,
            }

    db.session.execute(sa.delete(AnesthesiaConversionFactor).where(AnesthesiaConversionFactor.year == year))
    source.row_count = insert_rows(AnesthesiaConversionFactor.__table__, factors()) - 1
    if source.row_count == 0:
        raise LoadError(path, None, None, "no locality rows")
    return source.row_count
