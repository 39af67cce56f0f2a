"""From service lines to draft reports: one draft per denying group + CARC of a line.

A line paid in part with CO-45 and CO-97 gives one draft (CO-97); a line with CO-16 and OA-A7
gives two, each with the line's code, modifiers, units and remarks, since each reason is a denial
of its own that the dashboards rank apart. Two CAS triplets with the same group and CARC on one
line are one draft with their amounts added. Everything else is listed as skipped, with why.
"""
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from app.remittance.lines import REVERSAL_STATUS, Adjustment, Remittance, ServiceLine, iter_service_lines

IN_SCOPE_QUALIFIER = "HC"  # CPT / HCPCS; AD (dental), NU (NDC), RB (revenue code) etc. are not ours
REVERSAL_GROUP = "CR"
REPORTABLE_GROUPS = {"CO", "PR", "OA", "PI"}
MAX_RARCS = 5

#: Adjustments of a paid claim (DESIGN section 5), in the biller's words.
NOT_DENIALS = {
    ("PR", "1"): "PR-1 is the patient's deductible.",
    ("PR", "2"): "PR-2 is the patient's coinsurance.",
    ("PR", "3"): "PR-3 is the patient's copay.",
    ("CO", "45"): "CO-45 is the contractual write-off of a paid line.",
}
NOT_A_DENIAL = {key: text + " Not a denial." for key, text in NOT_DENIALS.items()}  # one string each, shared


@dataclass
class Extraction:
    drafts: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)


def money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def skip(position: int, reason: str, message: str, line: ServiceLine | None = None,
         adjustment: Adjustment | None = None) -> dict:
    item = {"position": position, "reason": reason, "message": message}
    if line is not None and line.code:
        item["code"] = line.code
    if adjustment is not None:
        item |= {"group_code": adjustment.group_code, "carc": adjustment.carc,
                 "amount": money(adjustment.amount) if adjustment.amount is not None else None}
    return item


def line_denials(line: ServiceLine) -> dict[tuple[str, str], Decimal | None]:
    """The line's denying (group, CARC) pairs with their summed amounts, in the order they came."""
    denials: dict[tuple[str, str], Decimal | None] = {}
    for adjustment in line.adjustments:
        key = (adjustment.group_code, adjustment.carc)
        if key in NOT_DENIALS or adjustment.group_code not in REPORTABLE_GROUPS:
            continue
        previous = denials.get(key, Decimal(0))
        denials[key] = None if adjustment.amount is None or previous is None else previous + adjustment.amount
    return denials


def draft_for(line: ServiceLine, group: str, carc: str, denied: Decimal | None) -> dict:
    """A body exactly as POST /api/v1/reports takes it (submission_token is added by the caller)."""
    draft = {
        "code": line.code, "modifiers": line.modifiers, "units": line.units, "payer_type": line.claim.payer_type,
        "group_code": group, "carc": carc, "rarc": list(dict.fromkeys(line.remarks))[:MAX_RARCS],
    }
    if line.month:
        draft["denial_month"] = line.month
    if denied is not None and denied >= 0:  # a negative adjustment gives money back: no amount denied
        draft["denied_amount"] = money(denied)
    return draft


def sort_line(line: ServiceLine, extraction: Extraction) -> None:
    """Add the line's drafts and skipped items to the extraction."""
    if line.claim.status == REVERSAL_STATUS:
        extraction.skipped.append(skip(line.position, "reversal", "A reversal (CLP02 22) takes back an earlier payment: not a new denial.", line))
        return
    if line.unreadable:
        extraction.skipped.append(skip(line.position, "unreadable_line", f"{line.unreadable}: the line is not reported.", line))
        return
    if line.qualifier != IN_SCOPE_QUALIFIER:
        extraction.skipped.append(skip(line.position, "not_a_procedure_code",
                                       "The line's code is not a CPT/HCPCS code (SVC01 qualifier other than HC).", line))
        return
    if not line.adjustments:
        return  # paid as billed: nothing to say
    for adjustment in line.adjustments:
        key = (adjustment.group_code, adjustment.carc)
        if key in NOT_DENIALS:
            extraction.skipped.append(skip(line.position, "not_a_denial", NOT_A_DENIAL[key], line, adjustment))
        elif adjustment.group_code == REVERSAL_GROUP:
            extraction.skipped.append(skip(line.position, "reversal", "Group CR is a correction or reversal: not a denial.", line, adjustment))
        elif adjustment.group_code not in REPORTABLE_GROUPS:
            extraction.skipped.append(skip(line.position, "unreadable_adjustment", "The CAS group code is not CO, PR, OA or PI.", line, adjustment))
    for (group, carc), denied in line_denials(line).items():
        extraction.drafts.append(draft_for(line, group, carc, denied))
        for warning in line.warnings:
            extraction.warnings.append({"draft": len(extraction.drafts) - 1, "position": line.position, "kind": warning,
                                        "message": WARNINGS[warning]})


WARNINGS = {
    "component_separator": "SVC01 used another component separator than the file's ISA16; read with the one it used. Check the code.",
    "unreadable_adjustment": "A CAS triplet of this line had no readable amount.",
}


def claim_level_items(remittance: Remittance) -> Iterable[dict]:
    """Claim-level adjustments (CAS between CLP and the first SVC) carry no procedure code."""
    for claim in remittance.claims:
        for adjustment in claim.adjustments:
            item = skip(claim.position, "claim_level", "A claim-level adjustment names no procedure code: it cannot be reported per code.",
                        adjustment=adjustment)
            yield item | ({"rarc": claim.remarks[:MAX_RARCS]} if claim.remarks else {})  # MOA remark codes


def line_fingerprint(line: ServiceLine) -> bytes:
    """The line's anonymous extracted content only (no identifier goes in)."""
    parts = [line.claim.status, line.claim.claim_filing, line.qualifier, line.code, *line.modifiers, line.units,
             line.charge, line.paid, line.month, *line.remarks]
    for adjustment in line.adjustments:
        parts += (adjustment.group_code, adjustment.carc, adjustment.amount)
    return ("\x1f".join(map(str, parts)) + "\x1e").encode()


def extract_drafts(text: str) -> Extraction:
    """Drafts, skipped items and warnings, reading the file one service line at a time.

    Each draft carries a submission token derived from the file's anonymous content and the
    draft's position, so the same file uploaded twice gives the same tokens.
    """
    extraction = Extraction()
    remittance = Remittance()
    digest = hashlib.sha256()
    for line in iter_service_lines(text, remittance):
        digest.update(line_fingerprint(line))
        sort_line(line, extraction)
    extraction.skipped.extend(claim_level_items(remittance))
    extraction.skipped.sort(key=lambda item: item["position"])
    fingerprint = digest.hexdigest()
    for index, draft in enumerate(extraction.drafts):
        draft["submission_token"] = "835-" + hashlib.sha256(f"{fingerprint}:{index}".encode()).hexdigest()[:40]
    return extraction
