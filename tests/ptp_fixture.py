"""Real NCCI PTP rows for the pre-check and appeal-letter tests (tests/fixtures/ncci_ptp_v301_catalog_rows.tsv).

The rows come from the derived copy of CMS's v30.1 practitioner files (quarter from 2024-04-01) in
/work/shared/data/ncci-ptp-v301 (see its header). That copy lost CMS's Effective Date column, so the
loader, which needs it, cannot read it; these rows are written to the table directly instead. The
table requires an effective date: each row gets the quarter's first day (2024-04-01), a day the edit
is known to be in force, which is not CMS's effective date and is never shown by what these tests
exercise. Where a pair appears twice (an active row and one deleted earlier) the active one is kept.
"""
import datetime as dt
import hashlib
from pathlib import Path

from app.extensions import db
from app.reference.models import NcciPtpEdit, ReferenceFile

PTP_FIXTURE = Path(__file__).parent / "fixtures" / "ncci_ptp_v301_catalog_rows.tsv"
IN_FORCE_ON = dt.date(2024, 4, 1)


def load_ptp_fixture(path: Path = PTP_FIXTURE) -> int:
    source = ReferenceFile(kind="ncci_ptp", file_name=path.name, vintage="NCCI PTP 2024 Q2", year=2024, quarter=2,
                           sha256=hashlib.sha256(path.read_bytes()).hexdigest())
    db.session.add(source)
    db.session.flush()
    rows: dict[tuple[str, str], dict] = {}
    for line in path.read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        one, two, before_1996, deletion, indicator, rationale = line.split("\t")
        deleted = None if deletion == "*" else dt.datetime.strptime(deletion, "%Y%m%d").date()
        if (one, two) in rows and deleted is not None:
            continue
        rows[(one, two)] = {"column_one": one, "column_two": two, "existed_before_1996": before_1996 == "*",
                            "effective_date": IN_FORCE_ON, "deletion_date": deleted, "modifier_indicator": indicator,
                            "rationale": rationale, "source_file_id": source.id}
    db.session.execute(NcciPtpEdit.__table__.delete())
    db.session.execute(NcciPtpEdit.__table__.insert(), list(rows.values()))
    db.session.commit()
    return len(rows)
