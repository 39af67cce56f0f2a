"""Every loader: a good file loads, loading it twice changes nothing, a bad file names the line and
column and leaves the previous data as it was."""
import gzip
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.reference.loaders.store import loading_shipped_data
from app.reference.models import (
    AdjustmentReasonCode,
    AnesthesiaConversionFactor,
    CatalogCode,
    ConversionFactor,
    FeeScheduleRvu,
    Gpci,
    LocalityCounties,
    MedicallyUnlikelyEdit,
    NcciPtpEdit,
    OppsCap,
    ReferenceFile,
    RemarkCode,
    ZipLocality,
)

DATA = Path(__file__).resolve().parent.parent / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reference"
PPRRVU_2025 = FIXTURES / "PPRRVU2025_Oct_sample.csv"
PPRRVU_2026 = DATA / "pprrvu" / "PPRRVU2026_Jul_nonQPP_sample.csv"
GPCI_2025 = FIXTURES / "GPCI2025_sample.csv"
DERIVED_PTP = DATA / "ncci" / "northstar-pin-ptp__ccipra-v301r0__catalog-column1.tsv.gz"
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


def test_pprrvu_keeps_descriptors_only_when_told_even_for_a_file_already_loaded(empty_app, tmp_path):
    licensed = tmp_path / "PPRRVU2025_Oct.csv"
    licensed.write_text(PPRRVU_2025.read_text().replace("20553,,,A,", "20553,,Licensed text,A,"))
    assert load(empty_app, "load-pprrvu", str(licensed)).exit_code == 0
    descriptor = sa.select(FeeScheduleRvu.descriptor).where(FeeScheduleRvu.hcpcs == "20553")
    assert db.session.scalar(descriptor) is None
    assert load(empty_app, "load-pprrvu", str(licensed), "--keep-descriptors").exit_code == 0
    assert db.session.scalar(descriptor) == "Licensed text"


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


def test_load_all_holds_the_full_shipped_data(app):
    """Checked on the session's database, which conftest loaded with `data load-all` once."""
    codes = db.session.scalar(sa.select(sa.func.count(sa.distinct(FeeScheduleRvu.hcpcs))).where(FeeScheduleRvu.year == 2025))
    assert codes >= 10_000
    assert db.session.scalar(sa.select(sa.func.count()).where(FeeScheduleRvu.year == 2025)) == 19_090
    descriptors = dict(db.session.execute(sa.select(FeeScheduleRvu.hcpcs, FeeScheduleRvu.descriptor).where(
        FeeScheduleRvu.year == 2025, FeeScheduleRvu.modifier == "", FeeScheduleRvu.hcpcs.in_(["20553", "D0120", "G0283"]))).all())
    assert descriptors == {"20553": None, "D0120": None, "G0283": "Elec stim other than wound"}
    edit = db.session.scalar(sa.select(NcciPtpEdit).where(NcciPtpEdit.column_one == "20553", NcciPtpEdit.column_two == "20552"))
    assert (edit.modifier_indicator, edit.deletion_date, edit.effective_date) == ("0", None, None)
    assert "v30.1" in edit.source_file.vintage and (edit.source_file.year, edit.source_file.quarter) == (2024, 2)
    alabama = db.session.get(ZipLocality, "35203")
    assert (alabama.mac, alabama.locality_number) == ("10112", "00")
    assert count(Gpci) >= 109 and count(ZipLocality) == 42_956 and count(OppsCap) == 16_100
    assert count(CatalogCode) >= 40 and count(AdjustmentReasonCode) > 100 and count(RemarkCode) > 100


def test_load_all_again_skips_every_unchanged_file(app):
    files_before = count(ReferenceFile)
    rows_before = count(FeeScheduleRvu)
    result = load(app, "load-all")
    assert result.exit_code == 0, result.output
    assert "rows" not in result.output and "unchanged, already loaded" in result.output
    assert count(ReferenceFile) == files_before and count(FeeScheduleRvu) == rows_before


def test_a_file_loaded_again_after_another_of_its_year_is_reloaded(empty_app, tmp_path):
    load(empty_app, "load-gpci", str(GPCI_2025))
    other = tmp_path / "GPCI2025_other.csv"
    other.write_text(GPCI_2025.read_text().replace("1.000,0.869,0.575", "1.000,0.870,0.575"))
    assert "13 rows" in load(empty_app, "load-gpci", str(other)).output
    assert "13 rows" in load(empty_app, "load-gpci", str(GPCI_2025)).output
    alabama = db.session.scalar(sa.select(Gpci).where(Gpci.mac == "10112"))
    assert alabama.practice_expense == Decimal("0.869")
    assert "unchanged" in load(empty_app, "load-gpci", str(GPCI_2025)).output


def test_shipped_data_never_replaces_a_newer_quarter(empty_app, tmp_path):
    newer = ptp_file(tmp_path, "20553\t20552\t\t20250101\t*\t1\tMutually exclusive procedures\n")
    assert load(empty_app, "load-ncci-ptp", str(newer)).exit_code == 0
    token = loading_shipped_data.set(True)
    try:
        result = load(empty_app, "load-ncci-ptp", str(DERIVED_PTP))
    finally:
        loading_shipped_data.reset(token)
    assert "unchanged" in result.output
    assert db.session.scalar(sa.select(NcciPtpEdit.modifier_indicator).where(NcciPtpEdit.column_one == "20553")) == "1"
    # Loaded by hand, the older quarter is the operator's choice.
    assert load(empty_app, "load-ncci-ptp", str(DERIVED_PTP)).exit_code == 0


def test_a_newer_file_that_was_shipped_itself_does_not_block_shipped_data(empty_app, tmp_path):
    token = loading_shipped_data.set(True)
    try:
        newer = ptp_file(tmp_path, "20553\t20552\t\t20250101\t*\t1\tMutually exclusive procedures\n")
        assert load(empty_app, "load-ncci-ptp", str(newer)).exit_code == 0
        assert "5085 rows" in load(empty_app, "load-ncci-ptp", str(DERIVED_PTP)).output
    finally:
        loading_shipped_data.reset(token)
    assert db.session.scalar(sa.select(NcciPtpEdit.modifier_indicator).where(NcciPtpEdit.column_one == "20553")) == "0"


def test_derived_ptp_copy_keeps_the_edit_in_force_and_says_what_it_lacks(empty_app, tmp_path):
    path = tmp_path / "northstar-pin-ptp__ccipra-v301r0__excerpt.tsv"
    path.write_text(
        "# DERIVED, not a verbatim CMS file.\n"
        "Column 1\tColumn 2\t*=in existence prior to 1996\tDeletion Date (*=no data)\t"
        "Modifier (0=not allowed,1=allowed,9=not applicable)\tPTP Edit Rationale\n"
        "20550\t29540\t\t*\t1\tCPT Manual or CMS manual coding instruction\n"
        "20550\t29540\t\t20041231\t1\tStandards of medical/surgical practice\n"
        "20550\t92012\t\t*\t1\tCPT Manual or CMS manual coding instruction\n"
        "20550\t92012\t\t20130701\t9\tCPT Manual or CMS manual coding instruction\n"
        "20553\t20552\t\t*\t0\tMore extensive procedure\n")
    result = load(empty_app, "load-ncci-ptp", str(path))
    assert result.exit_code == 0, result.output
    edits = {(e.column_two, e.deletion_date, e.modifier_indicator, e.rationale[:8]) for e in db.session.scalars(sa.select(NcciPtpEdit))}
    assert edits == {("29540", None, "1", "CPT Manu"), ("92012", None, "1", "CPT Manu"), ("20552", None, "0", "More ext")}
    source = db.session.scalar(sa.select(ReferenceFile).where(ReferenceFile.kind == "ncci_ptp"))
    assert source.vintage == "NCCI PTP 2024 Q2 (v30.1, derived copy without effective dates)"
    bad = tmp_path / "ccipra-v301r0-bad.tsv"
    bad.write_text(path.read_text().replace("\t0\tMore", "\t7\tMore"))
    result = load(empty_app, "load-ncci-ptp", str(bad))
    assert result.exit_code != 0 and "line 7, column Modifier" in result.output
    assert count(NcciPtpEdit) == 3


ZIP_LINES = [  # real records of ZIP5_OCT2025.txt
    "AL352031011200 Z9   0 A" + " " * 52 + "20254",
    "AK995010210201 Z9   0 A" + " " * 52 + "20254",
]


def test_zip_crosswalk_loads_and_a_bad_record_keeps_the_previous(empty_app, tmp_path):
    path = tmp_path / "ZIP5_OCT2025.txt"
    path.write_bytes("\r\n".join(ZIP_LINES).encode() + b"\r\n")
    result = load(empty_app, "load-zip-localities", str(path))
    assert result.exit_code == 0, result.output
    place = db.session.get(ZipLocality, "99501")
    assert (place.state, place.mac, place.locality_number, place.split_by_plus_four) == ("AK", "02102", "01", False)
    source = db.session.scalar(sa.select(ReferenceFile).where(ReferenceFile.kind == "zip_locality"))
    assert (source.year, source.quarter) == (2025, 4)
    bad = tmp_path / "ZIP5_JAN2026.txt"
    bad.write_text(ZIP_LINES[0] + "\n" + "AL3520X1011200 Z9   0 A\n")
    result = load(empty_app, "load-zip-localities", str(bad))
    assert result.exit_code != 0 and "ZIP5_JAN2026.txt, line 2: not a ZIP5 record" in result.output
    assert count(ZipLocality) == 2


def test_gzipped_file_loads_and_a_truncated_one_is_refused(empty_app, tmp_path):
    path = tmp_path / "ZIP5_OCT2025.txt.gz"
    path.write_bytes(gzip.compress("\n".join(ZIP_LINES).encode()))
    assert load(empty_app, "load-zip-localities", str(path)).exit_code == 0
    assert count(ZipLocality) == 2
    truncated = tmp_path / "ZIP5_JAN2026.txt.gz"
    truncated.write_bytes(gzip.compress(("\n".join(ZIP_LINES * 500)).encode())[:-40])
    result = load(empty_app, "load-zip-localities", str(truncated))
    assert result.exit_code != 0 and "cannot read the file" in result.output
    assert count(ZipLocality) == 2


def test_localities_counties_restore_zeros_and_carry_the_state(empty_app, tmp_path):
    path = tmp_path / "25LOCCO.csv"
    path.write_text(  # rows of CMS's 25LOCCO.csv, as spreadsheets saved it
        "COUNTIES INCLUDED IN 2025 LOCALITIES. (ALPHABETICALLY BY STATE AND LOCALITY NAME WITHIN STATE),,,,\n,,,,\n"
        "Medicare Adminstrative Contractor,Locality Number,State ,Fee Schedule Area ,Counties\n,,,,\n"
        "2102,1,ALASKA ,STATEWIDE ,ALL COUNTIES \n,,,,\n"
        "9102,3,FLORIDA ,FORT LAUDERDALE,\"BROWARD, COLLIER, INDIAN RIVER, LEE, MARTIN, PALM BEACH, AND ST. LUCIE\"\n"
        "9102,4,,MIAMI,DADE AND MONROE\n"
        "*  Payment locality is serviced by two carriers.,,,,\n")
    assert load(empty_app, "load-localities", str(path)).exit_code == 0
    miami = db.session.scalar(sa.select(LocalityCounties).where(LocalityCounties.fee_schedule_area == "MIAMI"))
    assert (miami.year, miami.mac, miami.locality_number, miami.state, miami.counties) == (
        2025, "09102", "04", "FLORIDA", "DADE AND MONROE")
    assert count(LocalityCounties) == 3


def test_anesthesia_factors_national_and_per_locality(empty_app, tmp_path):
    path = tmp_path / "ANES2025.csv"
    path.write_text("Contractor,Locality,Locality Name,National Anes CF of 20.3178\n"
                    "10112 ,00 ,ALABAMA,19.31 \n02102 ,01 ,ALASKA*,27.86 \n,,,\n")
    assert load(empty_app, "load-anesthesia-cf", str(path)).exit_code == 0
    assert db.session.get(AnesthesiaConversionFactor, (2025, "", "")).amount == Decimal("20.3178")
    alaska = db.session.get(AnesthesiaConversionFactor, (2025, "02102", "01"))
    assert (alaska.locality_name, alaska.amount) == ("ALASKA", Decimal("27.86"))
    bad = tmp_path / "ANES2026.csv"
    bad.write_text("Contractor,Locality,Locality Name\n10112 ,00 ,ALABAMA,19.31\n")
    result = load(empty_app, "load-anesthesia-cf", str(bad))
    assert result.exit_code != 0 and "National Anes CF" in result.output


def test_opps_cap_needs_its_year_and_loads_per_locality(empty_app, tmp_path):
    path = tmp_path / "OPPSCAP_Oct.csv"
    path.write_text("HCPCS,MOD,PROCSTAT,CARRIER,LOCALITY,FACILITY PRICE,NON-FACILTY PRICE\n"
                    "70496,,A,10112,00,230.40,230.40\n70496,TC,A,10112,00,154.60,154.60\n,,,,,,\n")
    assert "pass --year" in load(empty_app, "load-opps-cap", str(path)).output
    assert load(empty_app, "load-opps-cap", str(path), "--year", "2025").exit_code == 0
    cap = db.session.scalar(sa.select(OppsCap).where(OppsCap.modifier == "TC"))
    assert (cap.year, cap.mac, cap.locality_number, cap.non_facility_price) == (2025, "10112", "00", Decimal("154.60"))
    bundle = tmp_path / "rvu25d"
    bundle.mkdir()
    (bundle / "OPPSCAP_Oct.csv").write_text(path.read_text().replace("230.40,230.40", "230.40,x"))
    result = load(empty_app, "load-opps-cap", str(bundle / "OPPSCAP_Oct.csv"))
    assert result.exit_code != 0 and "line 2, column NON-FACILITY PRICE" in result.output
    assert count(OppsCap) == 2


def test_catalog_refuses_an_unknown_category(empty_app, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- code: '20553'\n  code_system: CPT\n  category: misc\n  title: t\n  summary: s\n  description: d\n")
    result = load(empty_app, "load-catalog", str(bad))
    assert result.exit_code != 0 and "category" in result.output and "trigger_points" in result.output
