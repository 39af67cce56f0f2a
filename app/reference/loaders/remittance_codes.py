"""CARC and RARC lists (X12 code lists): code, description, start, last modified and stop dates.

X12 publishes these lists as web pages, not files; we keep them as a CSV with those five
columns, dates as YYYY-MM-DD or MM/DD/YYYY. Rows are upserted by code.
"""
import re
from pathlib import Path

from app.reference.loaders.files import LoadError, csv_rows, parse_date
from app.reference.loaders.store import record_file, upsert_rows
from app.reference.models import AdjustmentReasonCode, RemarkCode

COLUMNS = ("code", "description", "start_date", "last_modified", "stop_date")
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")
PATTERNS = {"carc": re.compile(r"^([A-Z]|\d{1,3}|[A-Z]\d{1,2})$"), "rarc": re.compile(r"^(M|MA|N)\d{1,3}$")}
MODELS = {"carc": AdjustmentReasonCode, "rarc": RemarkCode}


def load_remittance_codes(kind: str, path: Path) -> int:
    model, pattern = MODELS[kind], PATTERNS[kind]
    rows = csv_rows(path, kind.upper())
    _, header = next(rows, (1, []))
    if tuple(cell.strip().lower() for cell in header[:5]) != COLUMNS:
        raise LoadError(path, 1, None, f"header must be {','.join(COLUMNS)}")
    source = record_file(kind, path, f"{kind.upper()} list", None, None)

    def codes():
        for line, cells in rows:
            if not cells:
                continue
            if len(cells) < 5:
                raise LoadError(path, line, None, f"expected 5 columns, found {len(cells)}")
            code = cells[0].strip().upper()
            if not pattern.match(code):
                raise LoadError(path, line, "code", f"not a {kind.upper()}: {code[:10]!r}")
            description = cells[1].strip()
            if not description:
                raise LoadError(path, line, "description", "empty")
            yield {
                "code": code,
                "description": description,
                **{name: parse_date(cells[i], path, line, name, DATE_FORMATS) for i, name in enumerate(COLUMNS[2:], 2)},
                "source_file_id": source.id,
            }

    source.row_count = upsert_rows(model.__table__, codes(), ("code",))
    if source.row_count == 0:
        raise LoadError(path, None, None, f"no {kind.upper()} rows")
    return source.row_count
