"""The Medicare payment formula, checked against figures CMS's own files give."""
from decimal import Decimal

import pytest

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
