"""Medicare Physician Fee Schedule payment: the formula and its modifier rules.

payment = [(work RVU x work GPCI) + (PE RVU x PE GPCI) + (MP RVU x MP GPCI)] x conversion factor

Pure functions over plain values, so every figure can be checked by hand. Amounts are
Decimal and rounded half-up to cents once, after all multiplications, as CMS's published
payment files do.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from app.enums import Setting
from app.formatting import money

CENT = Decimal("0.01")
NON_PARTICIPATING_RATE = Decimal("0.95")
LIMITING_CHARGE_RATE = Decimal("1.0925")
ASSISTANT_RATE = Decimal("0.16")
NON_PHYSICIAN_ASSISTANT_RATE = Decimal("0.85") * ASSISTANT_RATE
CO_SURGEON_RATE = Decimal("0.625")
PAYABLE_STATUSES = {"A", "R", "T"}

STATUS_MEANINGS = {
    "A": "active: paid under the fee schedule",
    "B": "bundled: payment is included in another service",
    "C": "carrier priced: the Medicare contractor sets the amount",
    "D": "deleted code",
    "E": "excluded from the fee schedule by regulation",
    "I": "not valid for Medicare: another code is used instead",
    "J": "anesthesia service: paid under the anesthesia fee schedule",
    "M": "measurement code: used for reporting only",
    "N": "non-covered service",
    "P": "bundled or excluded",
    "R": "restricted coverage: paid only in special circumstances",
    "T": "paid only when no other fee-schedule service is billed the same day",
    "X": "statutory exclusion: not paid under the fee schedule (drugs are priced by ASP)",
}

#: Row-selecting modifiers: CMS publishes a separate RVU row for them.
ROW_MODIFIERS = ("26", "TC", "53")

#: Common modifiers that tell the payer something but do not change the fee schedule amount.
INFORMATIONAL_MODIFIERS = {
    "24", "25", "27", "33", "57", "58", "59", "76", "77", "78", "79", "91", "95",
    "XE", "XP", "XS", "XU", "RT", "LT", "GP", "GO", "GN", "KX", "GA", "GY", "GZ",
    "JW", "JZ", "QW", "FT", "CQ", "CO", "F1", "F2", "TA", "T1", "T2",
}
PRICED_MODIFIERS = {"50", "51", "52", "62", "80", "81", "82", "AS"}
KNOWN_MODIFIERS = INFORMATIONAL_MODIFIERS | PRICED_MODIFIERS | set(ROW_MODIFIERS)


class InvalidModifier(ValueError):
    """A modifier the estimator cannot apply to this code; the message names it."""


@dataclass(frozen=True)
class RvuRow:
    hcpcs: str
    modifier: str
    status_code: str
    work: Decimal
    pe_non_facility: Decimal
    pe_facility: Decimal
    mp: Decimal
    non_facility_na: bool
    facility_na: bool
    pctc_indicator: str
    global_days: str
    multiple_procedure: str
    bilateral_surgery: str
    assistant_surgery: str
    co_surgery: str
    # The RVUs of the OPPS imaging cap; zero (or None) for codes the cap does not cover.
    opps_pe_non_facility: Decimal | None = None
    opps_pe_facility: Decimal | None = None
    opps_mp: Decimal | None = None


@dataclass(frozen=True)
class Gpcis:
    work: Decimal
    practice_expense: Decimal
    malpractice: Decimal
    locality: str | None = None
    locality_name: str = "National (all GPCIs 1.0)"


NATIONAL = Gpcis(Decimal(1), Decimal(1), Decimal(1))


@dataclass(frozen=True)
class ModifierAdjustment:
    modifier: str
    factor: Decimal
    rule: str


@dataclass(frozen=True)
class Component:
    name: str
    rvu: Decimal
    gpci: Decimal
    adjusted_rvu: Decimal


@dataclass
class PaymentEstimate:
    hcpcs: str
    row_modifier: str
    setting: Setting
    status_code: str
    payable: bool
    locality: str | None
    locality_name: str
    conversion_factor: Decimal
    year: int | None = None
    components: list[Component] = field(default_factory=list)
    total_adjusted_rvu: Decimal = Decimal(0)
    fee_schedule_amount: Decimal | None = None
    adjustments: list[ModifierAdjustment] = field(default_factory=list)
    amount: Decimal | None = None
    non_participating_amount: Decimal | None = None
    limiting_charge: Decimal | None = None
    notes: list[str] = field(default_factory=list)
    zip_code: str | None = None
    #: The OPPS payment amount the imaging cap compares with (None: the code is not capped).
    opps_cap_amount: Decimal | None = None
    opps_cap_applied: bool = False
    #: "fee_schedule", "anesthesia" (base and time units x the anesthesia CF) or "not_paid".
    payment_basis: str = "fee_schedule"
    anesthesia_conversion_factor: Decimal | None = None
    #: The locality's fee schedule area and counties, from CMS's locality/county file.
    locality_counties: str | None = None


def to_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_modifiers(raw: list[str]) -> list[str]:
    """Normalise and check a list of modifiers; raises InvalidModifier naming the bad one."""
    seen: list[str] = []
    for item in raw:
        modifier = item.strip().upper().lstrip("-")
        if modifier not in KNOWN_MODIFIERS:
            raise InvalidModifier(f"'{modifier[:4]}' is not a modifier the estimator knows")
        if modifier in seen:
            raise InvalidModifier(f"'{modifier}' is listed twice")
        seen.append(modifier)
    row_modifiers = [m for m in seen if m in ROW_MODIFIERS]
    if len(row_modifiers) > 1:
        raise InvalidModifier(f"{' and '.join(row_modifiers)} cannot be billed together")
    return seen


def row_modifier(modifiers: list[str]) -> str:
    """The PPRRVU row a claim line is priced from: blank (global), 26, TC or 53."""
    return next((m for m in modifiers if m in ROW_MODIFIERS), "")


def modifier_adjustment(row: RvuRow, modifier: str) -> ModifierAdjustment:
    """The payment factor a priced modifier applies, with the rule in words."""
    if modifier == "50":
        return _bilateral(row.bilateral_surgery)
    if modifier == "51":
        return _multiple_procedure(row.multiple_procedure)
    if modifier == "52":
        if row.bilateral_surgery == "2":
            return ModifierAdjustment("52", Decimal("0.5"), "Code is priced as bilateral; done on one side: 50%.")
        return ModifierAdjustment(
            "52", Decimal(1),
            "Reduced service: the contractor sets the reduction case by case; shown unreduced as the upper bound.",
        )
    if modifier == "62":
        if row.co_surgery in {"1", "2"}:
            return ModifierAdjustment("62", CO_SURGEON_RATE, "Co-surgeons: each paid 62.5% of the fee schedule amount.")
        return ModifierAdjustment("62", Decimal(0), f"Co-surgeon indicator {row.co_surgery}: co-surgery not paid for this code.")
    if modifier in {"80", "81", "82", "AS"}:
        return _assistant(row.assistant_surgery, modifier)
    return ModifierAdjustment(modifier, Decimal(1), "No fee schedule adjustment for this modifier.")


def _bilateral(indicator: str) -> ModifierAdjustment:
    rules = {
        "0": (Decimal(1), "Bilateral indicator 0: the 150% adjustment does not apply; paid at 100%."),
        "1": (Decimal("1.5"), "Bilateral indicator 1: paid at 150% of the one-side amount."),
        "2": (Decimal(1), "Bilateral indicator 2: the code is already priced as bilateral; paid at 100%."),
        "3": (Decimal(2), "Bilateral indicator 3: each side paid at 100% (200%)."),
    }
    factor, rule = rules.get(indicator, (Decimal(1), f"Bilateral indicator {indicator}: the concept does not apply; no adjustment."))
    return ModifierAdjustment("50", factor, rule)


def _multiple_procedure(indicator: str) -> ModifierAdjustment:
    if indicator in {"2", "3"}:
        return ModifierAdjustment("51", Decimal("0.5"), f"Multiple procedure indicator {indicator}: a second or later procedure is paid at 50%.")
    if indicator == "0":
        return ModifierAdjustment("51", Decimal(1), "Multiple procedure indicator 0: no reduction applies.")
    if indicator == "5":
        return ModifierAdjustment("51", Decimal(1), "Indicator 5: the therapy reduction cuts 50% of the practice expense of later units; see the PE line.")
    return ModifierAdjustment(
        "51", Decimal(1),
        f"Multiple procedure indicator {indicator}: the reduction depends on the other services of the family billed that day; not applied here.",
    )


def _assistant(indicator: str, modifier: str) -> ModifierAdjustment:
    rate = NON_PHYSICIAN_ASSISTANT_RATE if modifier == "AS" else ASSISTANT_RATE
    share = "13.6% (85% of 16%)" if modifier == "AS" else "16%"
    if indicator == "2":
        return ModifierAdjustment(modifier, rate, f"Assistant at surgery: {share} of the fee schedule amount.")
    if indicator == "0":
        return ModifierAdjustment(modifier, rate, f"Assistant indicator 0: paid at {share} only with documentation of medical necessity.")
    return ModifierAdjustment(modifier, Decimal(0), f"Assistant indicator {indicator}: an assistant at surgery is not paid for this code.")


def estimate_payment(
    row: RvuRow,
    gpcis: Gpcis,
    conversion_factor: Decimal,
    setting: Setting,
    modifiers: list[str],
) -> PaymentEstimate:
    """Price one claim line. ``row`` must already be the row for the line's 26/TC/53 modifier."""
    estimate = PaymentEstimate(
        hcpcs=row.hcpcs,
        row_modifier=row.modifier,
        setting=setting,
        status_code=row.status_code,
        payable=row.status_code in PAYABLE_STATUSES,
        locality=gpcis.locality,
        locality_name=gpcis.locality_name,
        conversion_factor=conversion_factor,
    )
    if not estimate.payable:
        meaning = STATUS_MEANINGS.get(row.status_code, "not paid under the fee schedule")
        estimate.notes.append(f"Status {row.status_code}: {meaning}. No fee schedule amount.")
        estimate.payment_basis = "not_paid"
        return estimate

    pe_rvu = row.pe_facility if setting == Setting.FACILITY else row.pe_non_facility
    if setting == Setting.NON_FACILITY and row.non_facility_na:
        estimate.notes.append("CMS marks the non-facility price NA: the service is rarely done in an office.")
    if setting == Setting.FACILITY and row.facility_na:
        estimate.notes.append("CMS marks the facility price NA: the service is rarely done in a facility.")
    if "51" in modifiers and row.multiple_procedure == "5":
        pe_rvu = pe_rvu * Decimal("0.5")
    estimate.components = [
        Component("work", row.work, gpcis.work, row.work * gpcis.work),
        Component("practice_expense", pe_rvu, gpcis.practice_expense, pe_rvu * gpcis.practice_expense),
        Component("malpractice", row.mp, gpcis.malpractice, row.mp * gpcis.malpractice),
    ]
    estimate.total_adjusted_rvu = sum((c.adjusted_rvu for c in estimate.components), Decimal(0))
    exact = estimate.total_adjusted_rvu * conversion_factor
    exact = apply_opps_cap(estimate, row, gpcis, conversion_factor, exact)
    estimate.fee_schedule_amount = to_cents(exact)

    for modifier in modifiers:
        if modifier in ROW_MODIFIERS:
            continue
        adjustment = modifier_adjustment(row, modifier)
        estimate.adjustments.append(adjustment)
        exact *= adjustment.factor
    estimate.amount = to_cents(exact)
    estimate.non_participating_amount = to_cents(exact * NON_PARTICIPATING_RATE)
    estimate.limiting_charge = to_cents(exact * NON_PARTICIPATING_RATE * LIMITING_CHARGE_RATE)
    return estimate


def apply_opps_cap(estimate: PaymentEstimate, row: RvuRow, gpcis: Gpcis, conversion_factor: Decimal,
                   exact: Decimal) -> Decimal:
    """The OPPS imaging cap, as CMS's RVU25D.pdf states it: "Section 5102(b) of the Deficit Reduction Act
    of 2005 requires a payment cap on the technical component (TC) of certain diagnostic imaging
    procedures and the TC portions of the global diagnostic imaging services. [...] the physician fee
    schedule amount is compared to the OPPS payment amount and the lower amount is used", where the
    OPPS amount is [(work RVU x work GPCI) + (OPPS PE RVU x PE GPCI) + (OPPS MP RVU x MP GPCI)] x CF,
    non-facility and facility alike. The PPRRVU file carries the OPPS RVUs only for capped codes.
    (CMS's OPPSCAP file lists exactly the code/locality pairs where the OPPS amount is the lower.)"""
    opps_pe = row.opps_pe_facility if estimate.setting == Setting.FACILITY else row.opps_pe_non_facility
    if not (opps_pe or row.opps_mp):
        return exact
    opps_exact = (row.work * gpcis.work + opps_pe * gpcis.practice_expense
                  + (row.opps_mp or Decimal(0)) * gpcis.malpractice) * conversion_factor
    estimate.opps_cap_amount = to_cents(opps_exact)
    if opps_exact >= exact:
        return exact
    estimate.opps_cap_applied = True
    estimate.notes.append(
        f"OPPS imaging cap: the fee schedule amount {money(to_cents(exact))} is above the OPPS amount "
        f"{money(estimate.opps_cap_amount)} at these GPCIs, so Medicare pays the OPPS amount "
        "(Deficit Reduction Act of 2005, section 5102(b)).")
    return opps_exact


ANESTHESIA_CODES = ("00100", "01999")


def is_anesthesia(code: str) -> bool:
    """CPT's anesthesia section, 00100-01999: paid by units, not by RVUs."""
    return code.isdigit() and ANESTHESIA_CODES[0] <= code <= ANESTHESIA_CODES[1]


def anesthesia_estimate(row: RvuRow, gpcis: Gpcis, conversion_factor: Decimal, setting: Setting,
                        factor: Decimal | None, year: int) -> PaymentEstimate:
    """An anesthesia service has no RVUs: Medicare pays (base units + time units) x the locality's
    anesthesia conversion factor. The base units are not in the RVU file, so no amount is made up."""
    estimate = PaymentEstimate(
        hcpcs=row.hcpcs, row_modifier=row.modifier, setting=setting, status_code=row.status_code, payable=False,
        locality=gpcis.locality, locality_name=gpcis.locality_name, conversion_factor=conversion_factor, year=year,
        payment_basis="anesthesia", anesthesia_conversion_factor=factor,
    )
    where = gpcis.locality_name if gpcis.locality else "nationally"
    rate = f"${factor.normalize():f} {'in ' + where if gpcis.locality else where} for CY{year}" if factor is not None else \
        f"not loaded for CY{year}"
    estimate.notes.append(
        f"Anesthesia: Medicare pays (base units + time units) x the anesthesia conversion factor, "
        f"{rate}. Time units are the anesthesia minutes divided by 15; the code's base units come from "
        "CMS's anesthesia base unit list, which is not loaded, so no amount is shown.")
    return estimate
