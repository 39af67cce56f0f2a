"""NCCI practitioner edits: procedure-to-procedure (PTP) pairs and medically unlikely edits (MUE).

PTP files are tab-delimited with a short preamble (ccipra-v322r0-f1.txt); CMS splits one
quarter into several parts, and every part lists deleted edits too, so rows are upserted by
(column 1, column 2): loading the parts in any order, or twice, gives the same table.
MUE files are CSV with a copyright cell spanning several lines before the header.
"""
import datetime as dt
import functools
import re
from pathlib import Path


from app.reference.code_format import NCCI_CODE
from app.reference.loaders.files import LoadError, csv_rows, parse_date, tab_separated_rows
from app.reference.loaders.store import record_file, upsert_rows
from app.reference.models import MedicallyUnlikelyEdit, NcciPtpEdit

PTP_VERSION = re.compile(r"v(\d{2})(\d)r\d", re.I)
MUE_EFFECTIVE = re.compile(r"Eff_(\d{2})-\d{2}-(\d{4})", re.I)
MODIFIER_INDICATORS = {"0", "1", "9"}
COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


@functools.lru_cache(maxsize=65_536)
def _compact_date(value: str) -> dt.date | None:
    """A PTP file holds a few thousand distinct dates over its million rows: each is parsed once."""
    match = COMPACT_DATE.match(value)
    return dt.date(int(match[1]), int(match[2]), int(match[3])) if match else None


def compact_date(value: str, path: Path, line: int, column: str) -> dt.date | None:
    """YYYYMMDD, or '*' for none: sliced by hand, as strptime is half the cost of a 1.5M-row load."""
    value = value.strip()
    try:
        parsed = _compact_date(value)
    except ValueError:
        raise LoadError(path, line, column, f"expected a date, found {value[:20]!r}") from None
    return parsed if parsed is not None else parse_date(value, path, line, column, ("%Y%m%d",))


def parse_quarter(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})\s*Q([1-4])", text.strip(), re.I)
    if not match:
        raise ValueError("a quarter is written like 2026Q3")
    return int(match[1]), int(match[2])


def ptp_quarter(path: Path) -> tuple[int, int] | None:
    """NCCI version 32.2 (file ccipra-v322r0) is the third quarter of 2026: major + 1994, minor + 1."""
    match = PTP_VERSION.search(path.name)
    if not match or int(match[2]) > 3:
        return None
    return 1994 + int(match[1]), int(match[2]) + 1


def mue_quarter(path: Path) -> tuple[int, int] | None:
    match = MUE_EFFECTIVE.search(path.name)
    if not match:
        return None
    return int(match[2]), (int(match[1]) - 1) // 3 + 1


def vintage_of(path: Path, given: tuple[int, int] | None, from_name) -> tuple[int, int]:
    vintage = given or from_name(path)
    if vintage is None:
        raise LoadError(path, None, None, "cannot tell the quarter from the file name; pass --quarter 2026Q3")
    return vintage


#: Column positions of CMS's layout and of a derived copy that dropped the Effective Date column.
CMS_LAYOUT = {"width": 7, "effective": 3, "deletion": 4, "modifier": 5, "rationale": 6}
DERIVED_LAYOUT = {"width": 6, "effective": None, "deletion": 3, "modifier": 4, "rationale": 5}


def ptp_layout(cells: list[str]) -> dict | None:
    """The layout a 'Column 1' header row announces: CMS's, or the derived one without effective dates."""
    if not cells or not cells[0].strip().lower().startswith("column 1"):
        return None
    derived = len(cells) >= 4 and cells[3].strip().lower().startswith("deletion")
    return DERIVED_LAYOUT if derived else CMS_LAYOUT


def current_rows(edits):
    """Of the adjacent rows of one pair (its effective periods), the one in force: an active row, else
    the latest deletion. A copy without effective dates cannot tell the periods apart otherwise."""
    held = None
    for edit in edits:
        if held and (held["column_one"], held["column_two"]) != (edit["column_one"], edit["column_two"]):
            yield held
            held = None
        if held is None or _in_force_rank(edit) >= _in_force_rank(held):
            held = edit
    if held:
        yield held


def _in_force_rank(edit: dict) -> tuple:
    deletion = edit["deletion_date"]
    return (deletion is None, deletion or dt.date.min)


def load_ncci_ptp(path: Path, quarter: tuple[int, int] | None = None) -> int:
    """Upsert a PTP file's edits: CMS's tab-separated layout, or a derived copy without effective dates
    (recorded as such in the vintage, so pages say so)."""
    year, q = vintage_of(path, quarter, ptp_quarter)
    layout = None
    rows = tab_separated_rows(path, "NCCI PTP")
    for line, cells in rows:
        first = cells[0].strip() if cells else ""
        if NCCI_CODE.match(first):
            raise LoadError(path, line, None, "data before the 'Column 1 / Column 2' header; is this an NCCI PTP file?")
        if layout := ptp_layout(cells):
            break
    else:
        raise LoadError(path, None, None, "no 'Column 1 / Column 2' header; is this an NCCI PTP file?")
    derived = layout is DERIVED_LAYOUT
    version = PTP_VERSION.search(path.name)
    label = f"NCCI PTP {year} Q{q}"
    if derived:
        label += f" (v{version[1]}.{version[2]}, derived copy without effective dates)" if version else " (derived copy without effective dates)"
    source = record_file("ncci_ptp", path, label, year, q, scope="quarter")
    source_id = source.id

    def edits():
        for line, cells in rows:
            first = cells[0].strip() if cells else ""
            if not NCCI_CODE.match(first):
                continue
            if len(cells) < layout["width"]:
                raise LoadError(path, line, None, f"expected {layout['width']} tab-separated columns, found {len(cells)}")
            column_two = cells[1].strip()
            if not NCCI_CODE.match(column_two):
                raise LoadError(path, line, "Column 2", f"not a HCPCS code: {column_two[:10]!r}")
            indicator = cells[layout["modifier"]].strip()
            if indicator not in MODIFIER_INDICATORS:
                raise LoadError(path, line, "Modifier", f"modifier indicator must be 0, 1 or 9, found {indicator[:5]!r}")
            effective = None
            if layout["effective"] is not None:
                effective = compact_date(cells[layout["effective"]], path, line, "Effective Date")
                if effective is None:
                    raise LoadError(path, line, "Effective Date", "missing")
            yield {
                "column_one": first,
                "column_two": column_two,
                "existed_before_1996": cells[2].strip() == "*",
                "effective_date": effective,
                "deletion_date": compact_date(cells[layout["deletion"]], path, line, "Deletion Date"),
                "modifier_indicator": indicator,
                "rationale": cells[layout["rationale"]].strip()[:200],
                "source_file_id": source_id,
            }

    source.row_count = upsert_rows(NcciPtpEdit.__table__, current_rows(edits()) if derived else edits(),
                                   ("column_one", "column_two"))
    if source.row_count == 0:
        raise LoadError(path, None, None, "no edit rows")
    return source.row_count


def load_mue(path: Path, quarter: tuple[int, int] | None = None) -> int:
    year, q = vintage_of(path, quarter, mue_quarter)
    source = record_file("mue", path, f"MUE practitioner {year} Q{q}", year, q, scope="all")
    header_seen = False

    def limits():
        nonlocal header_seen
        for line, cells in csv_rows(path, "MUE"):
            first = cells[0].strip() if cells else ""
            if not NCCI_CODE.match(first):
                header_seen = header_seen or "CPT" in first.upper()
                continue
            if not header_seen:
                raise LoadError(path, line, None, "data before the HCPCS/CPT header; is this an MUE file?")
            if len(cells) < 4:
                raise LoadError(path, line, None, f"expected 4 columns, found {len(cells)}")
            value = cells[1].strip()
            if not value.isdigit():
                raise LoadError(path, line, "MUE Values", f"expected a whole number, found {value[:10]!r}")
            adjudication = cells[2].strip()
            if adjudication[:1] not in {"1", "2", "3"}:
                raise LoadError(path, line, "MUE Adjudication Indicator", "must start with 1, 2 or 3")
            yield {
                "hcpcs": first,
                "max_units": int(value),
                "adjudication_indicator": adjudication[0],
                "adjudication_text": adjudication[1:].strip()[:80],
                "rationale": cells[3].strip()[:120],
                "source_file_id": source.id,
            }

    source.row_count = upsert_rows(MedicallyUnlikelyEdit.__table__, limits(), ("hcpcs",))
    if source.row_count == 0:
        raise LoadError(path, None, None, "no MUE rows")
    return source.row_count
