"""Everything shown about one code: catalog text, fee schedule, tips with computed impacts, NCCI, MUE.

The HTML page and the JSON API both read a CodeProfile, so they never disagree.
"""
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from app.enums import Setting
from app.extensions import db
from app.formatting import money
from app.lookup_errors import NotFound
from app.payment.estimates import fee_schedule_rows, national_amount
from app.reference.code_format import is_code
from app.reference.code_sections import cpt_section, is_anesthesia, is_hcpcs_level_two
from app.reference.indicators import ANESTHESIA_STATUS, Indicator, payment_indicators, status_meaning
from app.reference.models import (
    CatalogCode,
    FeeScheduleRvu,
    MedicallyUnlikelyEdit,
    NcciPtpEdit,
    ReferenceFile,
)

MODIFIER_INDICATOR_MEANINGS = {
    "0": "No modifier allowed: the pair is never paid together.",
    "1": "A modifier (59, XE, XP, XS, XU or another NCCI-associated modifier) may bypass the edit when the services are distinct.",
    "9": "Not applicable: the edit was deleted on its effective date.",
}
MUE_ADJUDICATION_MEANINGS = {
    "1": "Claim line edit: units above the limit on one line are denied; lines with distinct modifiers are checked separately.",
    "2": "Date of service edit, absolute policy limit: units above the limit for the day are denied and cannot be appealed on medical necessity.",
    "3": "Date of service edit, clinical limit: units above the limit for the day are denied, but may be paid on appeal with documentation.",
}


@dataclass
class BillingTip:
    text: str
    impact_text: str | None = None
    impact_amount: Decimal | None = None


@dataclass
class PtpEdit:
    other_code: str
    role: str  # "column_one" when this code is column 1 (the other code is bundled into it)
    modifier_indicator: str
    modifier_meaning: str
    effective_date: dt.date
    deletion_date: dt.date | None
    rationale: str


@dataclass
class Vintage:
    file_name: str
    label: str


@dataclass
class CodeProfile:
    code: str
    entry: CatalogCode | None
    fee_schedule_year: int | None
    fee_schedule_rows: list[FeeScheduleRvu]
    fee_schedule_vintage: Vintage | None
    fee_schedule_years: list[int] = field(default_factory=list)
    section: str | None = None
    public_descriptor: str | None = None
    status_code: str | None = None
    status_meaning: str | None = None
    indicators: list[Indicator] = field(default_factory=list)
    national_payment: dict[str, Decimal | None] = field(default_factory=dict)
    billing_tips: list[BillingTip] = field(default_factory=list)
    ptp_edits: list[PtpEdit] = field(default_factory=list)
    ptp_vintage: Vintage | None = None
    mue: MedicallyUnlikelyEdit | None = None
    mue_meaning: str | None = None
    mue_vintage: Vintage | None = None

    @property
    def title(self) -> str:
        if self.entry:
            return self.entry.title
        return self.public_descriptor or f"Procedure code {self.code}"

    @property
    def code_system(self) -> str:
        return "HCPCS" if is_hcpcs_level_two(self.code) else "CPT"

    @property
    def is_anesthesia(self) -> bool:
        """Paid from anesthesia base and time units, so no RVU total is its price."""
        return self.status_code == ANESTHESIA_STATUS or (self.status_code is None and is_anesthesia(self.code))


def vintage(model: ReferenceFile | None) -> Vintage | None:
    return Vintage(model.file_name, model.vintage) if model else None


def latest_file(kind: str) -> ReferenceFile | None:
    return db.session.scalar(
        sa.select(ReferenceFile).where(ReferenceFile.kind == kind).order_by(ReferenceFile.id.desc()).limit(1)
    )


def tip_impact(code: str, impact: dict | None, year: int | None) -> tuple[str | None, Decimal | None]:
    """The money a tip is about, computed from the loaded fee schedule (national, latest year)."""
    if not impact:
        return None, None
    basis = f"Medicare CY{year} national"
    kind = impact.get("kind")
    if kind == "compare_code":
        other = str(impact.get("other_code", ""))
        mine = national_amount(code, Setting.NON_FACILITY, year=year)
        theirs = national_amount(other, Setting.NON_FACILITY, year=year)
        if mine is None or theirs is None:
            return f"Impact not available: no fee schedule amount for {code} or {other}.", None
        difference = mine - theirs
        return (f"{code} pays {money(mine)} and {other} pays {money(theirs)} "
                f"({basis}, non-facility): a difference of {money(difference)} per line."), difference
    if kind == "setting":
        office = national_amount(code, Setting.NON_FACILITY, year=year)
        facility = national_amount(code, Setting.FACILITY, year=year)
        if office is None or facility is None:
            return f"Impact not available: no fee schedule amount for {code}.", None
        difference = office - facility
        return (f"Non-facility {money(office)} against facility {money(facility)} ({basis}): "
                f"{money(difference)} difference."), difference
    if kind == "modifier":
        modifier = str(impact.get("modifier", ""))
        full, reduced = (national_amount(code, Setting.NON_FACILITY, year=year),
                         national_amount(code, Setting.NON_FACILITY, (modifier,), year=year))
        if full is None or reduced is None:
            return f"Impact not available: modifier {modifier} cannot be priced for {code}.", None
        difference = reduced - full
        return (f"With modifier {modifier}: {money(reduced)} instead of {money(full)} "
                f"({basis}, non-facility), a change of {money(difference)}."), difference
    return None, None


def ptp_edits(code: str, today: dt.date) -> list[PtpEdit]:
    rows = db.session.scalars(
        sa.select(NcciPtpEdit)
        .where(sa.or_(NcciPtpEdit.column_one == code, NcciPtpEdit.column_two == code))
        .where(sa.or_(NcciPtpEdit.deletion_date.is_(None), NcciPtpEdit.deletion_date >= today))
        .order_by(NcciPtpEdit.column_one, NcciPtpEdit.column_two)
    )
    return [
        PtpEdit(
            other_code=row.column_two if row.column_one == code else row.column_one,
            role="column_one" if row.column_one == code else "column_two",
            modifier_indicator=row.modifier_indicator,
            modifier_meaning=MODIFIER_INDICATOR_MEANINGS.get(row.modifier_indicator, ""),
            effective_date=row.effective_date,
            deletion_date=row.deletion_date,
            rationale=row.rationale,
        )
        for row in rows
    ]


def fee_schedule_years(code: str) -> list[int]:
    """The loaded fee schedule years that list the code, newest first."""
    return list(db.session.scalars(
        sa.select(FeeScheduleRvu.year).where(FeeScheduleRvu.hcpcs == code).distinct().order_by(FeeScheduleRvu.year.desc())))


def public_descriptor(code: str, rows: list[FeeScheduleRvu]) -> str | None:
    """CMS's short descriptor, for HCPCS Level II codes only: CPT descriptors are the AMA's."""
    if not is_hcpcs_level_two(code):
        return None
    return next((row.descriptor for row in rows if row.descriptor), None)


def code_profile(code: str, today: dt.date | None = None) -> CodeProfile:
    """Raises NotFound for a code that is neither in the catalog nor in the loaded fee schedule."""
    code = code.upper()
    entry = db.session.get(CatalogCode, code) if is_code(code) else None
    years = fee_schedule_years(code) if is_code(code) else []
    year = years[0] if years else None
    rows = fee_schedule_rows(code, year) if year else []
    if entry is None and not rows:
        raise NotFound("code", f"{code} is not in the catalog or the loaded fee schedule.")
    mue = db.session.get(MedicallyUnlikelyEdit, code)
    # The global row (no modifier) carries the code's status and policy indicators.
    main_row = rows[0] if rows else None
    profile = CodeProfile(
        code=code,
        entry=entry,
        fee_schedule_year=year,
        fee_schedule_rows=rows,
        fee_schedule_vintage=vintage(rows[0].source_file) if rows else None,
        fee_schedule_years=years,
        section=cpt_section(code),
        public_descriptor=public_descriptor(code, rows),
        status_code=main_row.status_code if main_row else None,
        status_meaning=status_meaning(main_row.status_code) if main_row else None,
        indicators=payment_indicators(main_row) if main_row else [],
        national_payment={s: national_amount(code, s, year=year) for s in (Setting.NON_FACILITY, Setting.FACILITY)},
        ptp_edits=ptp_edits(code, today or dt.date.today()),
        ptp_vintage=vintage(latest_file("ncci_ptp")),
        mue=mue,
        mue_meaning=MUE_ADJUDICATION_MEANINGS.get(mue.adjudication_indicator) if mue else None,
        mue_vintage=vintage(mue.source_file if mue else latest_file("mue")),
    )
    for tip in entry.billing_tips if entry else []:
        text, amount = tip_impact(code, tip.get("impact"), year)
        profile.billing_tips.append(BillingTip(tip["tip"], text, amount))
    return profile
