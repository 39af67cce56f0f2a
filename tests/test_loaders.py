"""Every loader: a good file loads, loading it twice changes nothing, a bad file names the line and
column and leaves the previous data as it was."""
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.reference.models import (
    AdjustmentReasonCode,
    CatalogCode,
    ConversionFactor,
    FeeScheduleRvu,
    Gpci,
    MedicallyUnlikelyEdit,
    NcciPtpEdit,
    ReferenceFile,
    RemarkCode,
)

DATA = Path(__file__).resolve().parent.parent / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reference"
PPRRVU_2025 = FIXTURES / "PPRRVU2025_Oct_sample.csv"
PPRRVU_2026 = DATA / "pprrvu" / "PPRRVU2026_Jul_nonQPP_sample.csv"
GPCI_2025 = FIXTURES / "GPCI2025_sample.csv"
PTP_HEADER = (
    "CPT only copyright 2025 American Medical Association.  All rights reserved.\t\t\t\t\t\t\n"
    "Column1/Column2 Edits\t\t\t\t\t\t\n"
    "Column 1\tColumn 2\t*=in existence\tEffective\tDeletion\tModifier\tPTP Edit Rationale\n"
    "\t\tprior to 1996\tDate\tDate\t0=not allowed\t\n"
    "\t\t\t\t*=no data\t1=allowed\t\n"
    "\t\t\t\t\t9=not applicable\t\n"
)
MUE_HEADER = (
    '"Current Procedural Terminology (CPT) codes, descriptions and other data only are copyright 2025 American '
    'Medical Association. All rights reserved. \n\nCPT® is a registered trademark of the American Medical '
    'Association.",,,\n"HCPCS/\nCPT Code",Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale\n'
)


def load(app, *args):
    return app.test_cli_runner().invoke(args=["data", *args])


def snapshot(model) -> list[tuple]:
    table = model.__table__
    columns = [c for c in table.columns if c.name not in {"id", "source_file_id"}]
    sortable = [c for c in columns if not isinstance(c.type, sa.JSON)]
    return [tuple(row) for row in db.session.execute(sa.select(*columns).order_by(*sortable))]


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def corrupt(source: Path, target: Path, find: str, replace: str, occurrence_line: int) -> Path:
    lines = source.read_text().splitlines(keepends=True)
    assert find in lines[occurrence_line - 1]
    lines[occurrence_line - 1] = lines[occurrence_line - 1].replace(find, replace, 1)
    target.write_text("".join(lines))
    return target


def test_pprrvu_loads_rows_and_conversion_factor(empty_app):
    result = load(empty_app, "load-pprrvu", str(PPRRVU_2025))
    assert result.exit_code == 0, result.output
    row = db.session.scalar(sa.select(FeeScheduleRvu).where(FeeScheduleRvu.hcpcs == "20553", FeeScheduleRvu.year == 2025))
    assert (row.work_rvu, row.non_facility_pe_rvu, row.facility_pe_rvu, row.mp_rvu) == (
        Decimal("0.75"), Decimal("0.98"), Decimal("0.41"), Decimal("0.08"))
    assert row.descriptor is None  # AMA text is not kept without a license
    assert db.session.get(ConversionFactor, 2025).amount == Decimal("32.3465")
    modifiers = set(db.session.scalars(sa.select(FeeScheduleRvu.modifier).where(FeeScheduleRvu.hcpcs == "77012")))
    assert modifiers == {"", "26", "TC"}
    source = db.session.scalar(sa.select(ReferenceFile).where(ReferenceFile.kind == "pprrvu"))
    assert (source.year, source.quarter, source.file_name) == (2025, 4, PPRRVU_2025.name)


def test_pprrvu_2026_layout_with_pricing_indicator(empty_app):
    assert load(empty_app, "load-pprrvu", str(PPRRVU_2026)).exit_code == 0
    assert db.session.get(ConversionFactor, 2026).amount == Decimal("33.4009")
    row = db.session.scalar(sa.select(FeeScheduleRvu).where(FeeScheduleRvu.hcpcs == "20553"))
    assert row.year == 2026 and row.global_days == "000"


def test_pprrvu_twice_changes_nothing(empty_app):
    load(empty_app, "load-pprrvu", str(PPRRVU_2025))
    before = snapshot(FeeScheduleRvu)
    assert load(empty_app, "load-pprrvu", str(PPRRVU_2025)).exit_code == 0
    assert snapshot(FeeScheduleRvu) == before


def test_pprrvu_bad_number_names_line_and_column_and_keeps_data(empty_app, tmp_path):
    load(empty_app, "load-pprrvu", str(PPRRVU_2025))
    before = snapshot(FeeScheduleRvu)
    bad = corrupt(PPRRVU_2025, tmp_path / "PPRRVU2025_bad.csv", ",A,,", ",A,,x", 13)
    result = load(empty_app, "load-pprrvu", str(bad))
    assert result.exit_code != 0
    assert "PPRRVU2025_bad.csv, line 13, column WORKRVU: expected a number" in result.output
    assert snapshot(FeeScheduleRvu) == before


def test_pprrvu_refuses_a_file_of_another_kind(empty_app):
    result = load(empty_app, "load-pprrvu", str(GPCI_2025))
    assert result.exit_code != 0 and "no header row starting with HCPCS" in result.output


def test_gpci_loads_localities_with_leading_zeros(empty_app, tmp_path):
    assert load(empty_app, "load-gpci", str(GPCI_2025)).exit_code == 0
    alabama = db.session.scalar(sa.select(Gpci).where(Gpci.mac == "10112", Gpci.locality_number == "00"))
    assert (alabama.work, alabama.practice_expense, alabama.malpractice) == (
        Decimal("1.000"), Decimal("0.869"), Decimal("0.575"))
    resaved = tmp_path / "GPCI2025_resaved.csv"
    resaved.write_text(GPCI_2025.read_text().replace("04412,TX,31", "4412,TX,31"))
    assert load(empty_app, "load-gpci", str(resaved)).exit_code == 0
    assert db.session.scalar(sa.select(Gpci.mac).where(Gpci.locality_name == "AUSTIN")) == "04412"


def test_gpci_twice_and_bad(empty_app, tmp_path):
    load(empty_app, "load-gpci", str(GPCI_2025))
    before = snapshot(Gpci)
    assert load(empty_app, "load-gpci", str(GPCI_2025)).exit_code == 0
    assert snapshot(Gpci) == before
    bad = tmp_path / "GPCI_bad.csv"
    bad.write_text(GPCI_2025.read_text().replace("1.000,0.869,0.575", "1.000,zero,0.575"))
    result = load(empty_app, "load-gpci", str(bad))
    assert result.exit_code != 0 and "GPCI_bad.csv, line 4, column 2025 PE GPCI" in result.output
    assert snapshot(Gpci) == before


def ptp_file(tmp_path: Path, rows: str, name="ccipra-v322r0-f1.txt") -> Path:
    path = tmp_path / name
    path.write_text(PTP_HEADER + rows)
    return path


def test_ncci_ptp_upserts_by_pair_and_reads_the_quarter(empty_app, tmp_path):
    rows = ("20553\t20552\t\t20250101\t*\t0\tMutually exclusive procedures\n"
            "0001U\t0028U\t\t20180701\t20180930\t1\tMisuse of Column Two code with Column One code\n")
    path = ptp_file(tmp_path, rows)
    assert load(empty_app, "load-ncci-ptp", str(path)).exit_code == 0
    before = snapshot(NcciPtpEdit)
    assert load(empty_app, "load-ncci-ptp", str(path)).exit_code == 0
    assert snapshot(NcciPtpEdit) == before and count(NcciPtpEdit) == 2
    edit = db.session.scalar(sa.select(NcciPtpEdit).where(NcciPtpEdit.column_one == "20553"))
    assert edit.deletion_date is None and edit.modifier_indicator == "0"
    source = db.session.scalar(sa.select(ReferenceFile).where(ReferenceFile.kind == "ncci_ptp"))
    assert (source.year, source.quarter) == (2026, 3)
    assert edit.source_file.file_name == path.name  # provenance without a foreign key


def test_ncci_ptp_reports_a_bad_date_with_its_line(empty_app, tmp_path):
    path = ptp_file(tmp_path, "20553\t20552\t\t20250101\t*\t0\tx\n20553\t20551\t\t20251301\t*\t0\tx\n")
    result = load(empty_app, "load-ncci-ptp", str(path))
    assert result.exit_code != 0 and "line 8, column Effective Date" in result.output


def test_ncci_ptp_bad_indicator_keeps_previous(empty_app, tmp_path):
    good = ptp_file(tmp_path, "20553\t20552\t\t20250101\t*\t0\tMutually exclusive procedures\n")
    load(empty_app, "load-ncci-ptp", str(good))
    before = snapshot(NcciPtpEdit)
    bad = ptp_file(tmp_path, "20553\t20552\t\t20250101\t*\t1\tMutually exclusive procedures\n"
                             "20553\t20551\t\t20250101\t*\t7\tMutually exclusive procedures\n", name="ccipra-v322r0-f2.txt")
    result = load(empty_app, "load-ncci-ptp", str(bad))
    assert result.exit_code != 0 and "ccipra-v322r0-f2.txt, line 8, column Modifier" in result.output
    assert snapshot(NcciPtpEdit) == before


def test_ncci_ptp_needs_a_quarter(empty_app, tmp_path):
    path = ptp_file(tmp_path, "20553\t20552\t\t20250101\t*\t0\tx\n", name="edits.txt")
    assert "pass --quarter" in load(empty_app, "load-ncci-ptp", str(path)).output
    assert load(empty_app, "load-ncci-ptp", str(path), "--quarter", "2026Q1").exit_code == 0


def test_mue_loads_multiline_header(empty_app, tmp_path):
    path = tmp_path / "MCR_MUE_PractitionerServices_Eff_07-01-2026.csv"
    path.write_text(MUE_HEADER + "0001U,1,2 Date of Service Edit: Policy,Code Descriptor / CPT Instruction\n")
    assert load(empty_app, "load-mue", str(path)).exit_code == 0
    assert load(empty_app, "load-mue", str(path)).exit_code == 0
    mue = db.session.get(MedicallyUnlikelyEdit, "0001U")
    assert (mue.max_units, mue.adjudication_indicator, mue.adjudication_text) == (1, "2", "Date of Service Edit: Policy")
    assert count(MedicallyUnlikelyEdit) == 1
    bad = tmp_path / "MCR_MUE_PractitionerServices_Eff_10-01-2026.csv"
    bad.write_text(MUE_HEADER + "0001U,one,2 Date of Service Edit: Policy,x\n")
    result = load(empty_app, "load-mue", str(bad))
    assert result.exit_code != 0 and "line 6, column MUE Values" in result.output
    assert db.session.get(MedicallyUnlikelyEdit, "0001U").max_units == 1


@pytest.mark.parametrize(("kind", "model", "code"), [("carc", AdjustmentReasonCode, "97"), ("rarc", RemarkCode, "N56")])
def test_remittance_code_lists(empty_app, tmp_path, kind, model, code):
    path = DATA / "carc_rarc" / f"{kind}.csv"
    assert load(empty_app, f"load-{kind}", str(path)).exit_code == 0
    before = snapshot(model)
    assert db.session.get(model, code) is not None
    assert load(empty_app, f"load-{kind}", str(path)).exit_code == 0
    assert snapshot(model) == before
    bad = tmp_path / f"{kind}.csv"
    bad.write_text("code,description,start_date,last_modified,stop_date\n" + f"{code},Something,2020-13-45,,\n")
    result = load(empty_app, f"load-{kind}", str(bad))
    assert result.exit_code != 0 and "line 2, column start_date: expected a date" in result.output
    assert snapshot(model) == before


def test_catalog_loads_and_refuses_unknown_related_codes(empty_app, tmp_path):
    assert load(empty_app, "load-catalog", str(DATA / "catalog")).exit_code == 0
    assert count(CatalogCode) >= 40
    before = snapshot(CatalogCode)
    assert load(empty_app, "load-catalog", str(DATA / "catalog")).exit_code == 0
    assert snapshot(CatalogCode) == before
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "- code: '20553'\n  code_system: CPT\n  category: trigger_points\n  title: t\n  summary: s\n  description: d\n"
        "  related_codes: ['12345']\n"
    )
    result = load(empty_app, "load-catalog", str(bad))
    assert result.exit_code != 0 and "12345" in result.output
    assert snapshot(CatalogCode) == before


def test_load_all_loads_the_shipped_sample(empty_app):
    result = load(empty_app, "load-all")
    assert result.exit_code == 0, result.output
    assert count(FeeScheduleRvu) > 0 and count(Gpci) > 0 and count(CatalogCode) >= 40
    assert count(AdjustmentReasonCode) > 100 and count(RemarkCode) > 100


def test_catalog_refuses_an_unknown_category(empty_app, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- code: '20553'\n  code_system: CPT\n  category: misc\n  title: t\n  summary: s\n  description: d\n")
    result = load(empty_app, "load-catalog", str(bad))
    assert result.exit_code != 0 and "category" in result.output and "trigger_points" in result.output
