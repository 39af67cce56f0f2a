"""The Medicare payment formula, checked against figures CMS's own files give."""
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.payment.estimates import payment_estimate
from app.reference.models import OppsCap

from app.payment.formula import (
    NATIONAL,
    Gpcis,
    InvalidModifier,
    RvuRow,
    estimate_payment,
    parse_modifiers,
)

CF_2025 = Decimal("32.3465")
ALABAMA_2025 = Gpcis(Decimal("1.000"), Decimal("0.869"), Decimal("0.575"), "10112-00", "Alabama")


def rvus(work, pe_non_facility, pe_facility, mp, **indicators) -> RvuRow:
    defaults = dict(
        hcpcs="20553", modifier="", status_code="A", non_facility_na=False, facility_na=False,
        pctc_indicator="0", global_days="000", multiple_procedure="2", bilateral_surgery="0",
        assistant_surgery="1", co_surgery="0",
    )
    return RvuRow(work=Decimal(work), pe_non_facility=Decimal(pe_non_facility), pe_facility=Decimal(pe_facility),
                  mp=Decimal(mp), **(defaults | indicators))


TPI_3_PLUS = rvus("0.75", "0.98", "0.41", "0.08")
TPI_1_2 = rvus("0.66", "0.84", "0.36", "0.07", hcpcs="20552")


@pytest.mark.parametrize(
    ("row", "gpcis", "setting", "expected"),
    [
        (TPI_3_PLUS, NATIONAL, "non_facility", "58.55"),
        (TPI_3_PLUS, NATIONAL, "facility", "40.11"),
        (TPI_1_2, NATIONAL, "non_facility", "50.78"),
        (TPI_1_2, NATIONAL, "facility", "35.26"),
        (TPI_3_PLUS, ALABAMA_2025, "non_facility", "53.29"),
        (TPI_3_PLUS, ALABAMA_2025, "facility", "37.27"),
        (TPI_1_2, ALABAMA_2025, "non_facility", "46.26"),
        (TPI_1_2, ALABAMA_2025, "facility", "32.77"),
    ],
)
def test_cy2025_figures(row, gpcis, setting, expected):
    estimate = estimate_payment(row, gpcis, CF_2025, setting, [])
    assert estimate.amount == Decimal(expected)


def test_breakdown_shows_every_step():
    estimate = estimate_payment(TPI_3_PLUS, ALABAMA_2025, CF_2025, "non_facility", [])
    parts = {c.name: c for c in estimate.components}
    assert parts["practice_expense"].rvu == Decimal("0.98")
    assert parts["practice_expense"].gpci == Decimal("0.869")
    assert parts["practice_expense"].adjusted_rvu == Decimal("0.98") * Decimal("0.869")
    assert estimate.total_adjusted_rvu == Decimal("1.64762")
    assert estimate.conversion_factor == CF_2025
    assert estimate.non_participating_amount == Decimal("50.63")  # 53.2943... x 0.95
    assert estimate.limiting_charge == Decimal("55.31")  # x 1.0925


def test_multiple_procedure_halves_second_procedure():
    estimate = estimate_payment(TPI_3_PLUS, NATIONAL, CF_2025, "non_facility", ["51"])
    assert estimate.fee_schedule_amount == Decimal("58.55")
    assert estimate.amount == Decimal("29.27")  # 58.547 x 0.5, rounded once
    assert "indicator 2" in estimate.adjustments[0].rule


def test_bilateral_by_indicator():
    one_side = rvus("1.00", "1.00", "1.00", "0.00", bilateral_surgery="1")
    assert estimate_payment(one_side, NATIONAL, Decimal(10), "facility", ["50"]).amount == Decimal("30.00")
    already_bilateral = rvus("1.00", "1.00", "1.00", "0.00", bilateral_surgery="2")
    assert estimate_payment(already_bilateral, NATIONAL, Decimal(10), "facility", ["50"]).amount == Decimal("20.00")
    assert estimate_payment(already_bilateral, NATIONAL, Decimal(10), "facility", ["52"]).amount == Decimal("10.00")
    each_side = rvus("1.00", "1.00", "1.00", "0.00", bilateral_surgery="3")
    assert estimate_payment(each_side, NATIONAL, Decimal(10), "facility", ["50"]).amount == Decimal("40.00")


def test_surgery_team_modifiers():
    row = rvus("10.00", "0.00", "0.00", "0.00", assistant_surgery="2", co_surgery="1")
    cf = Decimal(10)
    assert estimate_payment(row, NATIONAL, cf, "facility", ["62"]).amount == Decimal("62.50")
    assert estimate_payment(row, NATIONAL, cf, "facility", ["80"]).amount == Decimal("16.00")
    assert estimate_payment(row, NATIONAL, cf, "facility", ["AS"]).amount == Decimal("13.60")
    no_assistant = rvus("10.00", "0.00", "0.00", "0.00", assistant_surgery="1")
    assert estimate_payment(no_assistant, NATIONAL, cf, "facility", ["80"]).amount == Decimal("0.00")


def test_reduced_service_is_shown_unreduced_with_the_rule():
    estimate = estimate_payment(TPI_3_PLUS, NATIONAL, CF_2025, "non_facility", ["52"])
    assert estimate.amount == Decimal("58.55")
    assert "case by case" in estimate.adjustments[0].rule


def test_therapy_reduction_cuts_practice_expense_only():
    therapy = rvus("0.45", "0.50", "0.50", "0.02", multiple_procedure="5")
    full = estimate_payment(therapy, NATIONAL, Decimal(10), "non_facility", [])
    reduced = estimate_payment(therapy, NATIONAL, Decimal(10), "non_facility", ["51"])
    assert full.amount - reduced.amount == Decimal("2.50")


def test_unpaid_status_has_no_amount_and_says_why():
    drug = rvus("0", "0", "0", "0", status_code="E", hcpcs="J1100")
    estimate = estimate_payment(drug, NATIONAL, CF_2025, "non_facility", [])
    assert estimate.payable is False and estimate.amount is None
    assert "Status E" in estimate.notes[0]


@pytest.mark.parametrize("raw", [["ZZ"], ["26", "TC"], ["51", "51"], ["<script>"]])
def test_bad_modifiers_are_refused(raw):
    with pytest.raises(InvalidModifier):
        parse_modifiers(raw)


def test_modifiers_are_normalised():
    assert parse_modifiers([" -26", "xs"]) == ["26", "XS"]


# The OPPS imaging cap. 70496 global in CY2025 (PPRRVU2025_Oct.csv): work 1.75, PE 6.56 / 6.56, MP 0.11;
# OPPS PE 6.11 / 6.11, OPPS MP 0.11. CMS's OPPSCAP_Oct.csv gives Alabama (10112-00) 230.40 for both
# settings: the OPPS amount, lower than the fee schedule's.
CT_ANGIO_HEAD = rvus("1.75", "6.56", "6.56", "0.11", hcpcs="70496", facility_na=True,
                     opps_pe_non_facility=Decimal("6.11"), opps_pe_facility=Decimal("6.11"), opps_mp=Decimal("0.11"))


def test_opps_cap_pays_the_lower_opps_amount():
    estimate = estimate_payment(CT_ANGIO_HEAD, ALABAMA_2025, CF_2025, "non_facility", [])
    assert estimate.opps_cap_applied and estimate.opps_cap_amount == Decimal("230.40")
    assert estimate.fee_schedule_amount == estimate.amount == Decimal("230.40")
    assert any("$243.05" in note and "OPPS" in note for note in estimate.notes)


def test_opps_cap_leaves_a_lower_fee_schedule_amount_alone():
    cheap = rvus("1.75", "1.00", "1.00", "0.11", hcpcs="70496", opps_pe_non_facility=Decimal("6.11"),
                 opps_pe_facility=Decimal("6.11"), opps_mp=Decimal("0.11"))
    estimate = estimate_payment(cheap, ALABAMA_2025, CF_2025, "non_facility", [])
    assert not estimate.opps_cap_applied and estimate.opps_cap_amount == Decimal("230.40")
    assert estimate.amount < estimate.opps_cap_amount


def test_a_code_outside_the_cap_has_no_opps_amount():
    estimate = estimate_payment(TPI_3_PLUS, ALABAMA_2025, CF_2025, "non_facility", [])
    assert estimate.opps_cap_amount is None and not estimate.opps_cap_applied


@pytest.mark.parametrize(
    ("code", "setting", "zip_amount", "national"),
    [("20553", "non_facility", "53.29", "58.55"), ("20553", "facility", "37.27", "40.11"),
     ("20552", "non_facility", "46.26", "50.78"), ("20552", "facility", "32.77", "35.26")],
)
def test_zip_picks_the_locality_cms_figures(client, code, setting, zip_amount, national):
    body = client.get(f"/api/v1/codes/{code}/payment?year=2025&zip=35203&setting={setting}").json
    assert (body["amount"], body["locality"], body["zip_code"]) == (zip_amount, "10112-00", "35203")
    assert client.get(f"/api/v1/codes/{code}/payment?year=2025&setting={setting}").json["amount"] == national


@pytest.mark.parametrize(
    ("query", "status"),
    [("zip=00000", 404), ("zip=3520", 422), ("zip=35203-1234", 422), ("zip=35203&locality=10112-00", 422)],
)
def test_zip_errors_name_the_field(client, query, status):
    response = client.get(f"/api/v1/codes/20553/payment?year=2025&{query}")
    assert response.status_code == status
    errors = response.json["errors"]
    assert "zip" in errors or "zip" in errors.get("query", {})


@pytest.mark.parametrize(("modifiers", "expected"), [("", "230.40"), ("TC", "154.60")])
def test_opps_cap_through_the_api_matches_cms_oppscap_file(client, modifiers, expected):
    body = client.get(f"/api/v1/codes/70496/payment?year=2025&zip=35203&modifiers={modifiers}").json
    assert body["opps_cap_applied"] and body["amount"] == expected


def test_anesthesia_code_gives_the_localitys_anesthesia_cf_not_an_rvu_price(client):
    body = client.get("/api/v1/codes/00840/payment?year=2025&zip=35203").json
    assert (body["payment_basis"], body["amount"], body["anesthesia_conversion_factor"]) == ("anesthesia", None, "19.3100")
    assert "base units + time units" in body["notes"][0] and "$19.31 in ALABAMA" in body["notes"][0]
    national = client.get("/api/v1/codes/00840/payment?year=2025").json
    assert national["anesthesia_conversion_factor"] == "20.3178"


def test_a_code_missing_from_a_partial_newer_year_is_priced_from_its_latest_year(client):
    body = client.get("/api/v1/codes/64636/payment").json
    assert body["year"] == 2025 and body["payment_basis"] == "fee_schedule"


def test_the_cap_reproduces_every_alabama_row_of_cms_oppscap_file(app):
    """Every status-A row CMS's OPPSCAP_Oct.csv lists for Alabama is what the formula pays there."""
    caps = db.session.scalars(sa.select(OppsCap).where(OppsCap.year == 2025, OppsCap.mac == "10112", OppsCap.status_code == "A"))
    checked = 0
    for cap in caps:
        modifiers = [cap.modifier] if cap.modifier else []
        for setting, expected in (("non_facility", cap.non_facility_price), ("facility", cap.facility_price)):
            estimate = payment_estimate(cap.hcpcs, 2025, "10112-00", setting, modifiers)
            assert (estimate.opps_cap_applied, estimate.amount) == (True, expected), (cap.hcpcs, cap.modifier, setting)
        checked += 1
    assert checked == 58


def test_carrier_priced_imaging_code_shows_its_localitys_cap(client):
    alabama = client.get("/api/v1/codes/0633T/payment?year=2025&zip=35203&modifiers=TC").json
    assert (alabama["payable"], alabama["amount"], alabama["opps_cap_amount"]) == (False, None, "92.38")
    # OPPSCAP files Los Angeles under MAC 01112; the ZIP and GPCI files under 01182.
    los_angeles = client.get("/api/v1/codes/0633T/payment?year=2025&zip=90012&modifiers=TC").json
    assert (los_angeles["locality"], los_angeles["opps_cap_amount"]) == ("01182-18", "126.90")


@pytest.mark.parametrize(("zip_code", "locality", "counties"), [
    ("35203", "10112-00", "STATEWIDE: ALL COUNTIES"), ("33101", "09102-04", "MIAMI: DADE AND MONROE"),
])
def test_the_estimate_says_which_counties_its_locality_covers(client, zip_code, locality, counties):
    body = client.get(f"/api/v1/codes/20553/payment?year=2025&zip={zip_code}").json
    assert (body["locality"], body["locality_counties"]) == (locality, counties)
    assert client.get("/api/v1/codes/20553/payment?year=2025").json["locality_counties"] is None
