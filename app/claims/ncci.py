"""NCCI checks among a claim's lines: procedure-to-procedure (PTP) pairs and medically unlikely edits (MUE).

Column 2 of a PTP edit is the code that is denied when billed with column 1. Modifier indicator 1
lets an NCCI-associated modifier on the column 2 line bypass the edit when the documentation shows
a distinct service (NCCI Policy Manual, chapter I); for an office visit that modifier is 25.
"""
import datetime as dt
from dataclasses import dataclass
from itertools import combinations

import sqlalchemy as sa

from app.codes.profile import latest_file
from app.claims.findings import DENIAL, INFO, NO_DATA, WARNING, Finding
from app.claims.lines import ClaimLine
from app.extensions import db
from app.reference.cache import cached_reference
from app.reference.models import MedicallyUnlikelyEdit, NcciPtpEdit, ReferenceFile

DISTINCT_SERVICE_MODIFIERS = ("59", "XE", "XP", "XS", "XU")
ANATOMIC_MODIFIERS = frozenset(
    "E1 E2 E3 E4 FA F1 F2 F3 F4 F5 F6 F7 F8 F9 TA T1 T2 T3 T4 T5 T6 T7 T8 T9 LT RT LC LD RC LM RI".split())
NCCI_ASSOCIATED_MODIFIERS = frozenset(DISTINCT_SERVICE_MODIFIERS) | ANATOMIC_MODIFIERS | {
    "24", "25", "27", "57", "58", "78", "79", "91"}
MODIFIER_INDICATOR_WORDS = {
    "0": "never billable together: no modifier bypasses this edit",
    "1": "a modifier such as 59, XE, XP, XS or XU may bypass it when the documentation shows a distinct service",
    "9": "deleted: the edit no longer applies",
}
MUE_INDICATOR_WORDS = {
    "1": "per claim line",
    "2": "per date of service, an absolute policy limit that is not appealable on medical necessity",
    "3": "per date of service, a clinical limit that may be paid on appeal with documentation",
}


@dataclass(frozen=True)
class PtpPair:
    column_one: str
    column_two: str
    modifier_indicator: str
    deletion_date: dt.date | None
    rationale: str
    vintage: str


@dataclass(frozen=True)
class UnitLimit:
    code: str
    max_units: int
    adjudication_indicator: str
    rationale: str
    vintage: str


def ptp_pairs(codes: tuple[str, ...]) -> tuple[PtpPair, ...]:
    """Every loaded edit whose two codes are both among ``codes`` (one indexed query; claims vary too
    much for a cache keyed by their codes to pay)."""
    rows = db.session.execute(
        sa.select(NcciPtpEdit, ReferenceFile.vintage)
        .join(ReferenceFile, ReferenceFile.id == NcciPtpEdit.source_file_id)
        .where(NcciPtpEdit.column_one.in_(codes), NcciPtpEdit.column_two.in_(codes))
        .order_by(NcciPtpEdit.column_one, NcciPtpEdit.column_two)
    )
    return tuple(PtpPair(edit.column_one, edit.column_two, edit.modifier_indicator, edit.deletion_date,
                         edit.rationale, vintage) for edit, vintage in rows)


def has_ptp_data(code: str) -> bool:
    """Whether any loaded edit names the code, on either side (two index probes, once per reference generation)."""
    return cached_reference("claims.has_ptp_data", (code,), lambda: bool(db.session.scalar(sa.select(sa.or_(
        sa.exists().where(NcciPtpEdit.column_one == code), sa.exists().where(NcciPtpEdit.column_two == code))))))


def unit_limit(code: str) -> UnitLimit | None:
    def lookup() -> UnitLimit | None:
        row = db.session.execute(
            sa.select(MedicallyUnlikelyEdit, ReferenceFile.vintage)
            .join(ReferenceFile, ReferenceFile.id == MedicallyUnlikelyEdit.source_file_id)
            .where(MedicallyUnlikelyEdit.hcpcs == code)
        ).one_or_none()
        if row is None:
            return None
        mue, vintage = row
        return UnitLimit(mue.hcpcs, mue.max_units, mue.adjudication_indicator, mue.rationale, vintage)
    return cached_reference("claims.unit_limit", (code,), lookup)


def loaded_vintage(kind: str) -> str | None:
    return cached_reference("claims.loaded_vintage", (kind,), lambda: (file := latest_file(kind)) and file.vintage)


def ptp_findings(lines: list[ClaimLine], today: dt.date) -> list[Finding]:
    codes = tuple(sorted({line.code for line in lines}))
    vintage = loaded_vintage("ncci_ptp")
    findings = []
    covered = {code for code in codes if has_ptp_data(code)} if vintage else set()
    for code in codes:
        if code not in covered:
            where = f"in {vintage}" if vintage else "(no NCCI PTP file is loaded)"
            findings.append(Finding(
                "ptp", NO_DATA, f"No PTP data loaded for {code} {where}: its pairs with the other lines are unchecked.",
                "Check the current quarter's NCCI PTP table for this code before sending, or load it.",
                vintage, [code], [line.number for line in lines if line.code == code]))
    pairs = {(pair.column_one, pair.column_two): pair for pair in ptp_pairs(codes)} if len(codes) > 1 else {}
    for first, second in combinations(codes, 2):
        for key in ((first, second), (second, first)):
            if key in pairs:
                findings.append(pair_finding(pairs[key], lines, today))
    return findings


def pair_finding(pair: PtpPair, lines: list[ClaimLine], today: dt.date) -> Finding:
    one, two = pair.column_one, pair.column_two
    one_lines = [line for line in lines if line.code == one]
    two_lines = [line for line in lines if line.code == two]
    numbers = sorted(line.number for line in one_lines + two_lines)
    details = {"column_one": one, "column_two": two, "modifier_indicator": pair.modifier_indicator,
               "modifier_indicator_meaning": MODIFIER_INDICATOR_WORDS.get(pair.modifier_indicator, ""),
               "rationale": pair.rationale,
               "deletion_date": pair.deletion_date.isoformat() if pair.deletion_date else None}
    head = (f"NCCI pairs {one} (column 1) with {two} (column 2), modifier indicator {pair.modifier_indicator}: "
            f"{MODIFIER_INDICATOR_WORDS.get(pair.modifier_indicator, 'unknown indicator')}. Rationale: {pair.rationale}.")

    def finding(severity: str, message: str, action: str) -> Finding:
        return Finding("ptp", severity, message, action, pair.vintage, [one, two], numbers, details)

    if pair.modifier_indicator == "9" or (pair.deletion_date and pair.deletion_date < today):
        ended = f" It was deleted on {pair.deletion_date.isoformat()}." if pair.deletion_date else ""
        return finding(INFO, head + ended, "Nothing to do for this pair: the edit no longer applies.")
    if pair.modifier_indicator == "0":
        return finding(DENIAL, head + f" {two} will be denied as included in {one}.",
                       f"Bill {one} alone for this date. A modifier will not get {two} paid; remove it unless it "
                       f"was done at a separate encounter on another date.")
    wanted = {"25", "57"} if any(line.is_office_visit for line in two_lines) else set(DISTINCT_SERVICE_MODIFIERS)
    on_two = sorted({m for line in two_lines for m in line.modifiers} & NCCI_ASSOCIATED_MODIFIERS)
    on_one = sorted({m for line in one_lines for m in line.modifiers} & NCCI_ASSOCIATED_MODIFIERS)
    suggestion = " or ".join(sorted(wanted))
    details["modifiers_on_claim"] = on_two
    if on_two:
        return finding(WARNING, head + f" The claim already carries {', '.join(on_two)} on {two}.",
                       f"Keep {', '.join(on_two)} only if the note shows {two} as a distinct service "
                       f"(separate site, session or problem); payers audit this modifier.")
    if on_one:
        return finding(WARNING, head + f" The claim carries {', '.join(on_one)} on {one}, not on {two}.",
                       f"NCCI reads the modifier on the column 2 code: move it to {two} ({suggestion}) if the "
                       f"documentation supports a distinct service.")
    return finding(WARNING, head + f" The claim carries no such modifier, so {two} will be denied as included in {one}.",
                   f"If the note documents {two} as distinct, add {suggestion} to {two}; otherwise bill {one} alone.")


def mue_findings(lines: list[ClaimLine]) -> list[Finding]:
    codes = tuple(sorted({line.code for line in lines}))
    vintage = loaded_vintage("mue")
    findings = []
    for code in codes:
        code_lines = [line for line in lines if line.code == code]
        numbers = [line.number for line in code_lines]
        limit = unit_limit(code)
        if limit is None:
            where = f"in {vintage}" if vintage else "(no MUE file is loaded)"
            findings.append(Finding("mue", NO_DATA, f"No MUE loaded for {code} {where}: its units are unchecked.",
                                    "Check the payer's unit limit for this code before sending.", vintage, [code], numbers))
            continue
        indicator_words = MUE_INDICATOR_WORDS.get(limit.adjudication_indicator, "")
        details = {"max_units": limit.max_units, "adjudication_indicator": limit.adjudication_indicator,
                   "adjudication_meaning": indicator_words, "rationale": limit.rationale}
        if limit.adjudication_indicator == "1":
            over = [line for line in code_lines if line.units > limit.max_units]
            billed = max((line.units for line in over), default=0)
        else:
            billed = sum(line.units for line in code_lines)
            over = code_lines if billed > limit.max_units else []
        if not over:
            continue
        action = (f"Bill at most {limit.max_units} unit{'s' if limit.max_units != 1 else ''} of {code}"
                  + (" per line." if limit.adjudication_indicator == "1" else " for the day, across all lines."))
        if limit.adjudication_indicator == "3":
            action += " Units above it are paid only on appeal with records showing they were needed."
        elif limit.adjudication_indicator == "2":
            action += " Units above it are not payable, even on appeal."
        findings.append(Finding(
            "mue", DENIAL,
            f"{code}: {billed} units billed, the MUE is {limit.max_units} ({indicator_words}). "
            f"Rationale: {limit.rationale}.", action, limit.vintage, [code], [line.number for line in over], details))
    return findings
