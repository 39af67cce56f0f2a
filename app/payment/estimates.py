"""Payment estimates from the loaded fee schedule: finds the rows, then applies the formula."""
import re
from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from app.lookup_errors import Invalid, NotFound
from app.payment.formula import (
    NATIONAL,
    Gpcis,
    InvalidModifier,
    PaymentEstimate,
    RvuRow,
    estimate_payment,
    parse_modifiers,
    row_modifier,
)
from app.reference.memo import memoised
from app.reference.models import ConversionFactor, FeeScheduleRvu, Gpci

LOCALITY_PATTERN = re.compile(r"^(\d{5})-(\d{2})$")
SETTINGS = ("facility", "non_facility")
# Fee schedule years a client may ask for (the RBRVS began in 1992).
FIRST_YEAR, LAST_YEAR = 1990, 2100


def latest_year() -> int | None:
    return memoised("latest_year", (), lambda: db.session.scalar(sa.select(sa.func.max(ConversionFactor.year))))


def conversion_factor(year: int) -> Decimal | None:
    return memoised("conversion_factor", (year,), lambda: db.session.scalar(
        sa.select(ConversionFactor.amount).where(ConversionFactor.year == year)))


def loaded_years() -> list[int]:
    return list(db.session.scalars(sa.select(ConversionFactor.year).order_by(ConversionFactor.year.desc())))


def rvu_row(model: FeeScheduleRvu) -> RvuRow:
    return RvuRow(
        hcpcs=model.hcpcs,
        modifier=model.modifier,
        status_code=model.status_code,
        work=model.work_rvu,
        pe_non_facility=model.non_facility_pe_rvu,
        pe_facility=model.facility_pe_rvu,
        mp=model.mp_rvu,
        non_facility_na=model.non_facility_na,
        facility_na=model.facility_na,
        pctc_indicator=model.pctc_indicator,
        global_days=model.global_days,
        multiple_procedure=model.multiple_procedure,
        bilateral_surgery=model.bilateral_surgery,
        assistant_surgery=model.assistant_surgery,
        co_surgery=model.co_surgery,
    )


def fee_schedule_rows(code: str, year: int) -> list[FeeScheduleRvu]:
    return list(
        db.session.scalars(
            sa.select(FeeScheduleRvu)
            .where(FeeScheduleRvu.hcpcs == code, FeeScheduleRvu.year == year)
            .order_by(FeeScheduleRvu.modifier)
        )
    )


def priced_rows(code: str, year: int) -> dict[str, RvuRow]:
    """The code's RVU rows for the year by modifier ('' global, 26, TC, 53)."""
    return memoised("priced_rows", (code, year),
                    lambda: {row.modifier: rvu_row(row) for row in fee_schedule_rows(code, year)})


def locality_gpcis(locality: str | None, year: int) -> Gpcis:
    if not locality:
        return NATIONAL
    match = LOCALITY_PATTERN.match(locality)
    if not match:
        raise Invalid("locality", "Use <MAC>-<locality number>, e.g. 10112-00.")

    def lookup() -> Gpcis | None:
        gpci = db.session.scalar(
            sa.select(Gpci).where(Gpci.year == year, Gpci.mac == match[1], Gpci.locality_number == match[2])
        )
        return gpci and Gpcis(gpci.work, gpci.practice_expense, gpci.malpractice, gpci.locality_id,
                              f"{gpci.locality_name} ({gpci.state})")

    gpcis = memoised("locality_gpcis", (locality, year), lookup)
    if gpcis is None:
        raise NotFound("locality", f"No GPCI loaded for locality {locality} in {year}.")
    return gpcis


def payment_estimate(
    code: str,
    year: int | None = None,
    locality: str | None = None,
    setting: str = "non_facility",
    modifiers: list[str] | tuple[str, ...] = (),
) -> PaymentEstimate:
    if setting not in SETTINGS:
        raise Invalid("setting", "Must be facility or non_facility.")
    try:
        line_modifiers = parse_modifiers(list(modifiers))
    except InvalidModifier as error:
        raise Invalid("modifiers", str(error)) from error
    year = year or latest_year()
    factor = conversion_factor(year) if year else None
    if factor is None:
        raise NotFound("year", f"No fee schedule loaded for {year}." if year else "No fee schedule loaded.")
    rows = priced_rows(code, year)
    if not rows:
        raise NotFound("code", f"{code} is not in the {year} fee schedule.")
    wanted = row_modifier(line_modifiers)
    if wanted not in rows:
        raise Invalid("modifiers", f"{wanted} does not apply to {code}: CMS publishes no {wanted} row for it.")
    estimate = estimate_payment(rows[wanted], locality_gpcis(locality, year), factor, setting, line_modifiers)
    estimate.year = year
    return estimate
