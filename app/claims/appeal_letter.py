"""A draft appeal letter from one denial: the CARC/RARC meaning, the catalog's documentation and coding
guidelines, the NCCI edit where one applies, and (beside the letter, for the biller) the crowd's
winning strategy. Patient details are blanks ({patient_name} ...) that only the biller's browser fills."""
import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from app.claims.crowd import CrowdEvidence, crowd_evidence
from app.claims.ncci import MODIFIER_INDICATOR_WORDS, loaded_vintage, ptp_pairs
from app.enums import AppealStrategy, DenialCategory, PayerType, ReportStatus
from app.extensions import db
from app.lookup_errors import NotFound
from app.reference.models import AdjustmentReasonCode, CatalogCode, RemarkCode
from app.reports.models import DenialReport
from app.reports.submission import receipt_hash

#: Filled in the browser only; the server never receives them.
BLANKS = {
    "patient_name": "Patient name",
    "member_id": "Member ID",
    "claim_number": "Claim number",
    "date_of_service": "Date of service",
    "denial_date": "Date of the denial",
}
DOCUMENTATION_WORDS = re.compile(r"\b(note|record|records|document)\b", re.I)
#: Which coding guidelines speak to which kind of denial.
GUIDELINE_WORDS = {
    DenialCategory.BUNDLING: ("modifier", "same", "separate", "global", "e/m", "together", "bill"),
    DenialCategory.MODIFIER: ("modifier", "side", "bilateral", "unit"),
    DenialCategory.FREQUENCY: ("unit", "session", "per", "limit"),
    DenialCategory.MEDICAL_NECESSITY: ("note", "document", "must", "indicat"),
    DenialCategory.DOCUMENTATION: ("note", "document", "must", "record"),
}
OPENING = {
    AppealStrategy.REDETERMINATION: "I request a redetermination of",
    AppealStrategy.RECONSIDERATION: "I request reconsideration of",
    AppealStrategy.MEDICAL_RECORDS: "I submit the enclosed medical records and request reconsideration of",
    AppealStrategy.PEER_TO_PEER: "I request a peer-to-peer review and reconsideration of",
    AppealStrategy.WRITTEN_APPEAL: "I appeal",
}


@dataclass(frozen=True)
class Denial:
    code: str
    carc: str | None
    group_code: str | None = None
    rarcs: tuple[str, ...] = ()
    payer_type: str | None = None
    appeal_strategy: str | None = None
    other_code: str | None = None
    category: str | None = None


@dataclass
class AppealLetter:
    denial: Denial
    title: str
    subject: str
    paragraphs: list[str]
    documentation: list[str]
    guidelines: list[str]
    ncci_facts: list[str]
    crowd: CrowdEvidence
    advice: list[str] = field(default_factory=list)
    vintages: dict[str, str | None] = field(default_factory=dict)
    blanks: dict[str, str] = field(default_factory=lambda: dict(BLANKS))
    adjustment: str = ""  # CO-97, or the denial category where no CARC was given


def denial_from_receipt(receipt: str) -> Denial:
    report = db.session.scalar(sa.select(DenialReport).where(DenialReport.receipt_hash == receipt_hash(receipt.strip())))
    if report is None or report.status != ReportStatus.ACCEPTED:
        raise NotFound("receipt", "No report has this receipt.")
    return Denial(report.code, report.carc, report.group_code.value if report.group_code else None,
                  tuple(sorted(r.rarc for r in report.remark_codes)), report.payer_type.value,
                  report.appeal_strategy.value if report.appeal_strategy else None, None,
                  report.denial_category.value if report.denial_category else None)


def denial_category(denial: Denial, entry: CatalogCode | None) -> DenialCategory | None:
    if denial.category:
        return DenialCategory(denial.category)
    for known in entry.common_denials if entry else []:
        if str(known.get("carc")) == denial.carc and known.get("category"):
            return DenialCategory(known["category"])
    return DenialCategory.BUNDLING if denial.carc in {"97", "B15", "234"} else None


def catalog_reason(denial: Denial, entry: CatalogCode | None) -> str | None:
    """The catalog's own account of why this code draws this CARC."""
    for known in entry.common_denials if entry else []:
        if str(known.get("carc")) == denial.carc and denial.group_code in (None, known.get("group")):
            return known.get("why")
    return None


def documentation_items(entry: CatalogCode | None) -> list[str]:
    texts = [*(entry.coding_guidelines if entry else []), *(entry.procedure_steps if entry else [])]
    return [t for t in texts if DOCUMENTATION_WORDS.search(t)]


def relevant_guidelines(entry: CatalogCode | None, category: DenialCategory | None, exclude: list[str]) -> list[str]:
    guidelines = [g for g in (entry.coding_guidelines if entry else []) if g not in exclude]
    words = GUIDELINE_WORDS.get(category)
    picked = [g for g in guidelines if any(w in g.lower() for w in words)] if words else []
    return picked or guidelines[:3]


def ncci_facts(denial: Denial) -> list[str]:
    if not denial.other_code:
        return []
    vintage = loaded_vintage("ncci_ptp")
    if not vintage:
        return [f"No NCCI PTP file is loaded, so the edit between {denial.code} and {denial.other_code} cannot be cited."]
    pairs = ptp_pairs(tuple(sorted({denial.code, denial.other_code})))
    if not pairs:
        return [f"The loaded NCCI PTP data ({vintage}) has no edit between {denial.code} and {denial.other_code}: "
                "no NCCI edit bundles these two services."]
    facts = []
    for pair in pairs:
        words = MODIFIER_INDICATOR_WORDS.get(pair.modifier_indicator, "")
        fact = (f"NCCI edit {pair.column_one}/{pair.column_two} ({pair.vintage}), rationale \"{pair.rationale}\", "
                f"modifier indicator {pair.modifier_indicator}: {words}.")
        if pair.column_one == denial.code:
            fact += (f" {denial.code} is the column 1 code: the edit bundles {pair.column_two} into {denial.code}, "
                     f"not the reverse, so {denial.code} itself remains payable.")
        elif pair.modifier_indicator == "1":
            fact += (f" {denial.code} is the column 2 code; the edit allows it to be paid with an NCCI-associated "
                     "modifier when the service was distinct, as the enclosed records show.")
        elif pair.modifier_indicator == "0":
            fact += (f" {denial.code} is the column 2 code and no modifier bypasses this edit: appeal only if the "
                     "services were not performed at the same encounter.")
        facts.append(fact)
    return facts


def build_letter(denial: Denial) -> AppealLetter:
    entry = db.session.get(CatalogCode, denial.code)
    title = entry.title if entry else f"Procedure code {denial.code}"
    category = denial_category(denial, entry)
    carc = db.session.get(AdjustmentReasonCode, denial.carc) if denial.carc else None
    rarcs = [(code, remark.description if (remark := db.session.get(RemarkCode, code)) else "") for code in denial.rarcs]
    strategy = AppealStrategy(denial.appeal_strategy) if denial.appeal_strategy else (
        AppealStrategy.REDETERMINATION if denial.payer_type == PayerType.MEDICARE else AppealStrategy.RECONSIDERATION)
    documentation = documentation_items(entry)
    guidelines = relevant_guidelines(entry, category, documentation)
    facts = ncci_facts(denial)
    crowd = crowd_evidence(denial.code, denial.payer_type)

    adjustment = "-".join(p for p in (denial.group_code, denial.carc) if p) or (category.label if category else "denial")
    paragraphs = [f"{OPENING.get(strategy, 'I request reconsideration of')} the denial of {denial.code} ({title}) on "
                  "claim {claim_number} for {patient_name}, member ID {member_id}, date of service {date_of_service}, "
                  f"adjusted {adjustment} on the remittance dated " + "{denial_date}."]
    meaning = f"The remittance gives reason {adjustment}"
    meaning += f": \"{carc.description}\"" if carc else ""
    for code, description in rarcs:
        meaning += f", with remark {code}" + (f": \"{description}\"" if description else "")
    paragraphs.append(meaning + ".")
    if why := catalog_reason(denial, entry):
        paragraphs.append(f"This adjustment is typically applied to {denial.code} when: {why[0].lower()}{why[1:]} "
                          "The enclosed documentation shows why that does not apply to this claim.")
    paragraphs.extend(facts)
    if documentation:
        paragraphs.append("The enclosed records meet the documentation this service requires: "
                          + "; ".join(item.rstrip(".") for item in documentation) + ".")
    if guidelines:
        paragraphs.append("The service was coded according to the applicable guidance: "
                          + "; ".join(item.rstrip(".") for item in guidelines) + ".")
    paragraphs.append(f"Please reprocess {denial.code} for payment. I can provide anything further you need.")

    advice = [crowd.summary()]
    if crowd.best_appeal:
        if crowd.best_appeal.strategy != strategy.value:
            advice.append(f"This letter is written as: {strategy.label}. The crowd did best with "
                          f"{crowd.best_appeal.label}; consider it.")
    if strategy in {AppealStrategy.CORRECTED_CLAIM, AppealStrategy.MODIFIER_CORRECTION}:
        advice.append("A corrected claim is a resubmission, not an appeal: send it as a replacement claim "
                      "(frequency code 7) rather than with this letter, unless the payer asks for one.")
    if not denial.other_code and category == DenialCategory.BUNDLING:
        advice.append("Name the code the payer bundled this one into to cite the NCCI edit between them.")
    return AppealLetter(
        denial, title, f"Appeal of the {adjustment} denial of {denial.code}", paragraphs, documentation, guidelines,
        facts, crowd, advice,
        {"ncci_ptp": loaded_vintage("ncci_ptp"), "carc": loaded_vintage("carc"), "rarc": loaded_vintage("rarc"),
         "catalog": loaded_vintage("catalog")}, adjustment=adjustment)


def denial_from_request(data: dict) -> Denial:
    """A request the DenialRequest schema validated, as a Denial (from the receipt's report if one is given)."""
    if data.get("receipt"):
        return denial_from_receipt(data["receipt"])

    def value(name):
        member = data.get(name)
        return member.value if member is not None else None

    return Denial(data["code"], data.get("carc"), value("group_code"), tuple(data.get("rarc", [])), value("payer_type"),
                  value("appeal_strategy"), data.get("other_code"), value("denial_category"))
