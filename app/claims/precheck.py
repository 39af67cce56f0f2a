"""The claim pre-check: every line and pair of one claim against the loaded NCCI, MUE and fee schedule
data and the crowd's dashboards. Each finding names the data vintage behind it; where nothing is
loaded the finding says so, so the claim is never called clean without data behind it."""
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from app.claims.crowd import CrowdEvidence, crowd_evidence, live_codes_among
from app.claims.findings import DENIAL, INFO, NO_DATA, SEVERITIES, WARNING, Finding
from app.claims.lines import ClaimLine
from app.claims.locality import pricing_locality
from app.claims.modifiers import line_modifier_findings, same_day_visit_findings
from app.claims.ncci import loaded_vintage, mue_findings, ptp_findings
from app.enums import Setting
from app.extensions import db
from app.lookup_errors import LookupFailed
from app.formatting import money
from app.payment.estimates import latest_year, payment_estimate, priced_rows
from app.payment.formula import KNOWN_MODIFIERS
from app.reference.cache import cached_reference
from app.reference.models import CatalogCode, ReferenceFile


@dataclass
class LinePayment:
    amount: Decimal | None            # the whole line: per-unit amount times units
    amount_per_unit: Decimal | None
    units: int
    year: int | None
    setting: Setting
    locality: str | None
    locality_name: str
    vintage: str | None
    notes: list[str] = field(default_factory=list)


@dataclass
class LineResult:
    line: ClaimLine
    title: str
    findings: list[Finding]
    payment: LinePayment
    crowd: CrowdEvidence


@dataclass
class ClaimCheck:
    lines: list[LineResult]
    pair_findings: list[Finding]
    vintages: dict[str, str | None]
    locality_note: str
    verdict: str
    counts: dict[str, int]
    checked_on: dt.date
    codes_without_ptp: list[str]


def catalog_title(code: str) -> str:
    return cached_reference("claims.catalog_title", (code,), lambda: db.session.scalar(
        sa.select(CatalogCode.title).where(CatalogCode.code == code))) or f"Procedure code {code}"


def fee_schedule_vintage(year: int | None) -> str | None:
    if year is None:
        return None
    return cached_reference("claims.fee_schedule_vintage", (year,), lambda: db.session.scalar(
        sa.select(ReferenceFile.vintage).where(ReferenceFile.kind == "pprrvu", ReferenceFile.year == year)
        .order_by(ReferenceFile.id.desc()).limit(1)))


def line_payment(line: ClaimLine, year: int | None, locality: str | None, setting: Setting,
                 vintage: str | None) -> LinePayment:
    priced = [m for m in line.modifiers if m in KNOWN_MODIFIERS]
    payment = LinePayment(None, None, line.units, year, setting, locality, "National (all GPCIs 1.0)", vintage)
    if unpriced := [m for m in line.modifiers if m not in KNOWN_MODIFIERS]:
        payment.notes.append(f"Modifier {', '.join(unpriced)} does not change the fee schedule amount here.")
    try:
        estimate = payment_estimate(line.code, year=year, locality=locality, setting=setting, modifiers=priced)
    except LookupFailed as error:
        payment.notes.append(error.message)
        return payment
    payment.locality, payment.locality_name = estimate.locality, estimate.locality_name
    payment.notes.extend(estimate.notes + [a.rule for a in estimate.adjustments])
    if estimate.amount is not None:
        payment.amount_per_unit = estimate.amount
        payment.amount = estimate.amount * line.units
    return payment


def payment_findings(line: ClaimLine, payment: LinePayment) -> list[Finding]:
    if payment.amount is None:
        return [Finding("payment", NO_DATA, f"No Medicare payment for {line.label}: {' '.join(payment.notes)}",
                        "Check the payer's fee schedule for this line.", payment.vintage, [line.code], [line.number])]
    per_unit = f" ({payment.units} x {money(payment.amount_per_unit)})" if payment.units > 1 else ""
    return [Finding("payment", INFO, f"Medicare pays about {money(payment.amount)}{per_unit} for {line.label}, "
                    f"{payment.setting.replace('_', '-')}, {payment.locality_name}.",
                    "Use it to judge what a denial of this line would cost.", payment.vintage, [line.code],
                    [line.number], {"amount": str(payment.amount)})]


def crowd_finding(line: ClaimLine, evidence: CrowdEvidence) -> Finding:
    if not evidence.live:
        return Finding("crowd", NO_DATA, f"Not enough reports yet for {line.code}: no crowd denial figures.",
                       f"Nothing to act on from the crowd; report {line.code}'s denials so its dashboard goes live.",
                       None, [line.code], [line.number])
    action = "Read the most common denial above and make sure this claim answers it before sending."
    if evidence.best_appeal:
        action += f" If it is denied, the appeal that won most is: {evidence.best_appeal.label}."
    return Finding("crowd", INFO, evidence.summary(), action, "live crowd dashboard", [line.code], [line.number])


def verdict(counts: dict[str, int], vintages: dict[str, str | None]) -> str:
    if counts[DENIAL]:
        return f"{counts[DENIAL]} finding(s) will get a line denied as billed: fix them before sending."
    if counts[WARNING]:
        return f"{counts[WARNING]} finding(s) need documentation or a modifier decision before sending."
    checked = ", ".join(v for v in vintages.values() if v)
    if counts[NO_DATA]:
        return (f"Nothing found against the loaded data ({checked or 'none loaded'}), but {counts[NO_DATA]} check(s) had "
                "no data: this is not a clean bill of health.")
    return f"No conflict found in the loaded data ({checked}). Payers may still apply their own policies."


def check_claim(lines: list[ClaimLine], payer_type: str | None = None, setting: Setting = Setting.NON_FACILITY,
                state: str | None = None, zip_code: str | None = None, locality: str | None = None,
                today: dt.date | None = None) -> ClaimCheck:
    today = today or dt.date.today()
    year = latest_year()
    codes = tuple(sorted({line.code for line in lines}))
    vintages = {"fee_schedule": fee_schedule_vintage(year), "ncci_ptp": loaded_vintage("ncci_ptp"),
                "mue": loaded_vintage("mue")}
    where = pricing_locality(year, locality, state, zip_code)
    rows = {code: row for code in codes if year and (row := priced_rows(code, year).get(""))}
    findings = ptp_findings(lines, today) + mue_findings(lines)
    findings += same_day_visit_findings(lines, rows, vintages["fee_schedule"])
    live = live_codes_among(codes)
    results = []
    for line in lines:
        payment = line_payment(line, year, where.locality, setting, vintages["fee_schedule"])
        evidence = crowd_evidence(line.code, payer_type, live=line.code in live)
        own = []
        if line.code in rows:
            published = frozenset(priced_rows(line.code, year))
            own = line_modifier_findings(line, rows[line.code], vintages["fee_schedule"], published)
        results.append(LineResult(line, catalog_title(line.code),
                                  own + payment_findings(line, payment) + [crowd_finding(line, evidence)],
                                  payment, evidence))
    pairs = []
    for finding in findings:
        if finding.kind == "ptp" and len(finding.codes) == 2:
            pairs.append(finding)
        else:  # a finding about several lines of one code is shown on the first of them
            results[finding.lines[0] - 1].findings.insert(0, finding)
    order = {severity: rank for rank, severity in enumerate(SEVERITIES)}
    for result in results:
        result.findings.sort(key=lambda f: order[f.severity])
    pairs.sort(key=lambda f: order[f.severity])
    every = pairs + [f for result in results for f in result.findings]
    counts = {severity: sum(f.severity == severity for f in every) for severity in SEVERITIES}
    without_ptp = sorted({f.codes[0] for f in every if f.kind == "ptp" and f.severity == NO_DATA})
    return ClaimCheck(results, pairs, vintages, where.note, verdict(counts, vintages), counts, today, without_ptp)


def check_claim_request(data: dict, today: dt.date | None = None) -> ClaimCheck:
    """A request the ClaimCheckRequest schema validated, checked."""
    lines = [ClaimLine(number, line["code"], tuple(line["modifiers"]), line["units"])
             for number, line in enumerate(data["lines"], start=1)]
    payer_type = data.get("payer_type")
    return check_claim(lines, payer_type.value if payer_type else None, data["setting"], data.get("state"),
                       data.get("zip"), data.get("locality"), today)
