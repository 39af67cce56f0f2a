"""The PPRRVU indicators in words, shortened from CMS's own documentation of the file.

Source: RVU25D.pdf ("National Physician Fee Schedule Relative Value File, Calendar Year 2025",
the record layout and Attachment A), shipped by CMS in the RVU25D bundle. Only values CMS
defines there appear here; any other value is shown as it is, with no meaning attached.
"""
from dataclasses import dataclass

STATUS = {
    "A": "Active: paid separately under the physician fee schedule, if covered.",
    "B": "Bundled: always bundled into payment for other services; RVUs shown are not used for payment.",
    "C": "Carrier priced: the Medicare contractor sets the payment, usually case by case after reviewing documentation such as the operative report.",
    "D": "Deleted: deleted from the start of the year.",
    "E": "Excluded from the physician fee schedule by regulation: no payment under the fee schedule; when covered, paid under reasonable charge procedures.",
    "F": "Deleted or discontinued (no 90-day grace period).",
    "G": "Not valid for Medicare: Medicare uses another code for this service (90-day grace period).",
    "H": "Deleted modifier: the 26 or TC component shown was deleted this year.",
    "I": "Not valid for Medicare: Medicare uses another code for this service.",
    "J": "Anesthesia service: no RVUs and no payment amount in this file; the status identifies anesthesia services.",
    "M": "Measurement code: for reporting only, no payment.",
    "N": "Non-covered: not covered by Medicare.",
    "P": "Bundled or excluded: no separate payment under the fee schedule; bundled into the physician service it is incident to, or paid under another provision.",
    "R": "Restricted coverage: special coverage instructions apply; if covered, the contractor prices it.",
    "T": "Injection: paid only when no other fee schedule service is billed by the same provider on the same date; otherwise bundled into that service.",
    "X": "Statutory exclusion: not a physician service by law; no payment under the physician fee schedule.",
}
ANESTHESIA_STATUS = "J"

GLOBAL_DAYS = {
    "000": "0-day global: pre- and post-operative work on the day of the procedure only; an E/M that day is generally not payable.",
    "010": "10-day global: an E/M on the day of the procedure and during the 10 days after is generally not payable.",
    "090": "90-day global (major surgery): 1 day before and 90 days after are included in the payment.",
    "MMM": "Maternity code: the usual global period does not apply.",
    "XXX": "The global concept does not apply.",
    "YYY": "The contractor decides whether a global period applies and sets it when pricing.",
    "ZZZ": "Add-on: always included in the global period of the primary service.",
}

PCTC = {
    "0": "Physician service: cannot be split into professional and technical components; modifiers 26 and TC do not apply.",
    "1": "Diagnostic test with professional (26) and technical (TC) components.",
    "2": "Professional component only: modifiers 26 and TC do not apply.",
    "3": "Technical component only: modifiers 26 and TC do not apply.",
    "4": "Global test only: separate codes exist for the professional and technical components.",
    "5": "Incident to: covered when auxiliary staff provide it under direct supervision; not payable for hospital inpatients or outpatients.",
    "6": "Laboratory physician interpretation: separately payable; modifier TC does not apply.",
    "7": "Physical therapy service not payable when an independently practicing therapist provides it to a hospital patient.",
    "8": "Physician interpretation of an abnormal smear for a hospital inpatient only.",
    "9": "The professional/technical split does not apply.",
}

MULTIPLE_PROCEDURE = {
    "0": "No multiple procedure reduction.",
    "1": "Pre-1995 multiple procedure rules (100%, 50%, 25%, 25%, 25%).",
    "2": "Standard multiple procedure reduction: 100% for the highest paid, 50% for each other.",
    "3": "Multiple endoscopy rules apply within the same endoscopic family.",
    "4": "Diagnostic imaging reduction: 50% on the technical component of each further procedure in the same family and session.",
    "5": "50% reduction of the practice expense for certain therapy services.",
    "6": "25% reduction of the technical component of the second and later diagnostic cardiovascular services.",
    "7": "20% reduction of the technical component of the second and later diagnostic ophthalmology services.",
    "9": "Concept does not apply.",
}

BILATERAL = {
    "0": "Modifier 50 gives no 150% adjustment: both sides together are paid at most 100% of one.",
    "1": "Bilateral at 150%: with modifier 50 (or RT and LT) both sides are paid at 150% of one.",
    "2": "Already priced as bilateral: with modifier 50 both sides are paid at 100% of one.",
    "3": "Each side paid at 100% (mostly radiology and other diagnostic tests).",
    "9": "Concept does not apply.",
}

ASSISTANT = {
    "0": "Assistant at surgery not paid unless documentation establishes medical necessity.",
    "1": "Assistant at surgery may not be paid (statutory restriction).",
    "2": "Assistant at surgery may be paid.",
    "9": "Concept does not apply.",
}

CO_SURGERY = {
    "0": "Co-surgeons (modifier 62) not permitted.",
    "1": "Co-surgeons may be paid with documentation of the medical necessity of two surgeons.",
    "2": "Co-surgeons permitted, no documentation needed when the two-specialty requirement is met.",
    "9": "Concept does not apply.",
}

TEAM_SURGERY = {
    "0": "Team surgeons (modifier 66) not permitted.",
    "1": "Team surgeons may be paid with documentation of the medical necessity of a team; by report.",
    "2": "Team surgeons permitted; paid by report.",
    "9": "Concept does not apply.",
}


@dataclass(frozen=True)
class Indicator:
    name: str
    value: str
    meaning: str | None


def indicator(name: str, value: str, meanings: dict[str, str]) -> Indicator:
    return Indicator(name, value, meanings.get(value))


def status_meaning(status_code: str) -> str | None:
    return STATUS.get(status_code)


def payment_indicators(row) -> list[Indicator]:
    """The payment policy indicators of one PPRRVU row (a FeeScheduleRvu), each in words."""
    return [
        indicator("Global surgery days", row.global_days, GLOBAL_DAYS),
        indicator("Professional/technical component (PC/TC)", row.pctc_indicator, PCTC),
        indicator("Multiple procedures (modifier 51)", row.multiple_procedure, MULTIPLE_PROCEDURE),
        indicator("Bilateral surgery (modifier 50)", row.bilateral_surgery, BILATERAL),
        indicator("Assistant at surgery (modifiers 80, 81, 82, AS)", row.assistant_surgery, ASSISTANT),
        indicator("Co-surgeons (modifier 62)", row.co_surgery, CO_SURGERY),
        indicator("Team surgery (modifier 66)", row.team_surgery, TEAM_SURGERY),
    ]
