"""Payment estimates from the loaded fee schedule: finds the rows, then applies the formula."""
import re
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from app.enums import Setting
from app.extensions import db
from app.formatting import money
from app.lookup_errors import Invalid, LookupFailed, NotFound
from app.payment.formula import (
    NATIONAL,
    Gpcis,
    InvalidModifier,
    PaymentEstimate,
    RvuRow,
    anesthesia_estimate,
    estimate_payment,
    is_anesthesia,
    parse_modifiers,
    row_modifier,
)
from app.reference.cache import cached_reference
from app.reference.models import (
    AnesthesiaConversionFactor,
    ConversionFactor,
    FeeScheduleRvu,
    Gpci,
    LocalityCounties,
    OppsCap,
    ZipLocality,
)

LOCALITY_PATTERN = re.compile(r"^(\d{5})-(\d{2})$")
ZIP_PATTERN = re.compile(r"^\d{5}$")
# Fee schedule years a client may ask for (the RBRVS began in 1992).
FIRST_YEAR, LAST_YEAR = 1990, 2100


def latest_year() -> int | None:
    return cached_reference("latest_year", (), lambda: db.session.scalar(sa.select(sa.func.max(ConversionFactor.year))))


def latest_year_with(code: str) -> int | None:
    """The newest fee schedule year that lists the code (a partial newer year must not hide it)."""
    return cached_reference("latest_year_with", (code,), lambda: db.session.scalar(
        sa.select(sa.func.max(FeeScheduleRvu.year)).where(FeeScheduleRvu.hcpcs == code))) or latest_year()


def conversion_factor(year: int) -> Decimal | None:
    return cached_reference("conversion_factor", (year,), lambda: db.session.scalar(
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
        opps_pe_non_facility=model.opps_non_facility_pe_rvu,
        opps_pe_facility=model.opps_facility_pe_rvu,
        opps_mp=model.opps_mp_rvu,
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
    return cached_reference("priced_rows", (code, year),
                    lambda: {row.modifier: rvu_row(row) for row in fee_schedule_rows(code, year)})


def year_localities(year: int | None) -> list[Gpci]:
    """The localities a year's GPCI file prices, by state and name (none without a year)."""
    if year is None:
        return []
    return list(db.session.scalars(sa.select(Gpci).where(Gpci.year == year).order_by(Gpci.state, Gpci.locality_name)))


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

    gpcis = cached_reference("locality_gpcis", (locality, year), lookup)
    if gpcis is None:
        raise NotFound("locality", f"No GPCI loaded for locality {locality} in {year}.")
    return gpcis


@dataclass(frozen=True)
class ZipPlace:
    locality: str
    split_by_plus_four: bool


def zip_locality(zip_code: str) -> ZipPlace:
    """The pricing locality CMS's ZIP crosswalk gives a ZIP code."""
    if not ZIP_PATTERN.match(zip_code):
        raise Invalid("zip", "Use a 5-digit ZIP code, e.g. 35203.")

    def lookup() -> ZipPlace | None:
        place = db.session.get(ZipLocality, zip_code)
        return place and ZipPlace(f"{place.mac}-{place.locality_number}", place.split_by_plus_four)

    place = cached_reference("zip_locality", (zip_code,), lookup)
    if place is None:
        raise NotFound("zip", f"ZIP code {zip_code} is not in the loaded CMS ZIP to locality file.")
    return place


def locality_counties(locality: str, year: int) -> str | None:
    """What a locality covers, in CMS's words: "MIAMI: DADE AND MONROE"."""
    mac, number = locality.split("-")

    def lookup() -> str | None:
        rows = db.session.execute(sa.select(LocalityCounties.fee_schedule_area, LocalityCounties.counties).where(
            LocalityCounties.year == year, LocalityCounties.mac == mac, LocalityCounties.locality_number == number)).all()
        return "; ".join(f"{row.fee_schedule_area}: {row.counties}" for row in rows) or None

    return cached_reference("locality_counties", (locality, year), lookup)


def anesthesia_factor(locality: str | None, year: int) -> Decimal | None:
    mac, number = locality.split("-") if locality else ("", "")
    return cached_reference("anesthesia_factor", (locality, year), lambda: db.session.scalar(
        sa.select(AnesthesiaConversionFactor.amount).where(
            AnesthesiaConversionFactor.year == year, AnesthesiaConversionFactor.mac == mac,
            AnesthesiaConversionFactor.locality_number == number)))


def payment_estimate(
    code: str,
    year: int | None = None,
    locality: str | None = None,
    setting: Setting | str = Setting.NON_FACILITY,
    modifiers: list[str] | tuple[str, ...] = (),
    zip_code: str | None = None,
) -> PaymentEstimate:
    """Price a claim line. A ZIP code picks the locality through CMS's crosswalk."""
    try:
        setting = Setting(setting)
    except ValueError:
        raise Invalid("setting", "Must be facility or non_facility.") from None
    try:
        line_modifiers = parse_modifiers(list(modifiers))
    except InvalidModifier as error:
        raise Invalid("modifiers", str(error)) from error
    place = None
    if zip_code:
        if locality:
            raise Invalid("zip", "Give a ZIP code or a locality, not both.")
        place = zip_locality(zip_code)
        locality = place.locality
    year = year or latest_year_with(code)
    factor = conversion_factor(year) if year else None
    if factor is None:
        raise NotFound("year", f"No fee schedule loaded for {year}." if year else "No fee schedule loaded.")
    rows = priced_rows(code, year)
    if not rows:
        raise NotFound("code", f"{code} is not in the {year} fee schedule.")
    gpcis = locality_gpcis(locality, year)
    if is_anesthesia(code) and "" in rows:
        estimate = anesthesia_estimate(rows[""], gpcis, factor, setting, anesthesia_factor(gpcis.locality, year), year)
    else:
        estimate = fee_schedule_estimate(code, rows, gpcis, factor, setting, line_modifiers)
    estimate.year = year
    if gpcis.locality:
        estimate.locality_counties = locality_counties(gpcis.locality, year)
    if estimate.status_code == "C" and gpcis.locality:
        note_carrier_priced_cap(estimate, year, setting)
    if place:
        estimate.zip_code = zip_code
        if place.split_by_plus_four:
            estimate.notes.append(f"ZIP {zip_code} spans more than one locality: CMS prices some of its ZIP+4 "
                                  f"codes outside {place.locality}; check the ZIP+4 if the amount looks off.")
    return estimate


def national_amount(code: str, setting: Setting, modifiers: tuple[str, ...] = (),
                    year: int | None = None) -> Decimal | None:
    """What Medicare pays for the code nationally (every GPCI 1.0); None where the fee schedule prices nothing."""
    try:
        return payment_estimate(code, year=year, setting=setting, modifiers=modifiers).amount
    except LookupFailed:
        return None


def fee_schedule_estimate(code: str, rows: dict[str, RvuRow], gpcis: Gpcis, factor: Decimal, setting: Setting,
                          line_modifiers: list[str]) -> PaymentEstimate:
    wanted = row_modifier(line_modifiers)
    if wanted not in rows:
        raise Invalid("modifiers", f"{wanted} does not apply to {code}: CMS publishes no {wanted} row for it.")
    return estimate_payment(rows[wanted], gpcis, factor, setting, line_modifiers)


def carrier_priced_cap(code: str, modifier: str, locality: str, year: int) -> tuple[Decimal, Decimal] | None:
    """The OPPS cap (facility, non-facility) of a carrier-priced imaging code in a locality (OPPSCAP file).
    That file files a few California localities under MAC 01112 where the GPCI and ZIP files say 01182:
    failing an exact match, the same locality number under a MAC of the same contractor (first two digits)."""
    mac, number = locality.split("-")

    def lookup():
        rows = db.session.execute(sa.select(OppsCap.mac, OppsCap.facility_price, OppsCap.non_facility_price).where(
            OppsCap.year == year, OppsCap.hcpcs == code, OppsCap.modifier == modifier,
            OppsCap.locality_number == number, OppsCap.mac.startswith(mac[:2]))).all()
        exact = [row for row in rows if row.mac == mac]
        chosen = exact or (rows if len(rows) == 1 else [])
        return (chosen[0].facility_price, chosen[0].non_facility_price) if chosen else None

    return cached_reference("carrier_priced_cap", (code, modifier, locality, year), lookup)


def note_carrier_priced_cap(estimate: PaymentEstimate, year: int, setting: Setting) -> None:
    cap = carrier_priced_cap(estimate.hcpcs, estimate.row_modifier, estimate.locality, year)
    if cap:
        estimate.opps_cap_amount = cap[0] if setting == Setting.FACILITY else cap[1]
        estimate.notes.append(f"The contractor's price cannot exceed the OPPS imaging cap of "
                              f"{money(estimate.opps_cap_amount)} in this locality (CMS's OPPSCAP file, CY{year}).")
