"""PHI detectors for numbers: SSN, and record / member / account / claim numbers.

Design notes and measurements: the docstring of ``phi.py``.
"""

from __future__ import annotations

import re

from ._text import after_non_patient_label, ci, lower, merge
from .shapes import kind_before


# --------------------------------------------------------------------------
# SSN

_SSN_LABEL = (
    r"(?:ssn|ss\s?#|s\.s\.n\.?|soc(?:ial)?\.?\s*sec(?:urity)?\.?(?:\s*(?:#|no\.?|num(?:ber)?))?"
    r"|social(?:\s+security)?(?:\s+(?:#|no\.?|number))?)"
)
_SSN_LABELLED = ci(
    r"(?i)\b" + _SSN_LABEL + r"[\s:#.=-]*(?:(?:is|was|of|ending(?:\s+in)?|last\s*(?:4|four)(?:\s+of)?|number)[\s:#.=-]*){0,3}"
    r"(\d{3}[\s.-]?\d{2}[\s.-]?\d{4}|\d{4})(?![\d-])"
)
_SSN_HINT = re.compile(r"ssn|ss\s?#|s\.s\.n|soc")
_SSN_MASKED = re.compile(r"(?i)(?<![\w-])(?:x{3}|\*{3}|#{3})[\s.-]?(?:x{2}|\*{2}|#{2})[\s.-]?\d{4}(?![\w-])")
_SSN_PATTERN = re.compile(r"(?<![\w$.-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])")


def find_ssns(text: str) -> list[tuple[int, int]]:
    low = lower(text)
    spans = [m.span(1) for m in _SSN_LABELLED.finditer(low)] if _SSN_HINT.search(low) else []
    spans += [m.span() for m in _SSN_PATTERN.finditer(text)]
    spans += [m.span() for m in _SSN_MASKED.finditer(text)]
    return merge(spans)


# --------------------------------------------------------------------------
# identifiers

# "<label> <marker> VALUE": marker is id/#/no/number. Needs >= 3 digits.
_ID_MARKED = ci(
    r"(?i)\b(?:medical\s+record|med\.?\s*rec|chart|member|mbr|subscriber|sub|policy|account|acct|claim|"
    r"patient|pt|reference|ref|auth(?:orization)?|pre-?cert(?:ification)?|case|confirmation|conf|"
    r"medicare|medicaid|tricare|insurance|ins|invoice|inv|encounter|enc|ticket|tracking|"
    r"beneficiary|health\s+plan|plan|recipient|hic|icn|dcn|tcn|clm|unit|fin|visit|billing|hospital\s+account|har)"
    r"\s*(?:id\b|#|no\b\.?|num(?:ber)?\b|nbr\b)\s*(?:is\b|was\b)?[\s:#=.-]*"
    r"((?=[A-Za-z0-9/-]*\d)[A-Za-z0-9](?:[A-Za-z0-9]|[-/](?=[A-Za-z0-9])){2,29})(?![A-Za-z0-9])"
)
# Labels that are identifiers on their own ("MRN 123456", "acct 55512"). >= 3 digits.
_ID_STRONG = ci(
    r"(?i)\b(?:(?:mrn|acct|mbi|hicn|icn|dcn|tcn|mbr|ccn|id|fin|csn|har|claim\s+ref|clm)\b|mr\s?#)\s*[\s:#=.-]*"
    r"((?=[A-Za-z0-9/-]*\d)[A-Za-z0-9](?:[A-Za-z0-9]|[-/](?=[A-Za-z0-9])){2,29})(?![A-Za-z0-9])"
)
# Bare nouns ("claim 2026011500731", "member XYZ123456789"). Needs >= 6 digits
# so that "claim 99214" (a CPT code) and "policy L39240" (an LCD) pass.
_ID_WEAK = ci(
    r"(?i)\b(?:member|subscriber|policy|account|claim|chart|patient|reference|case|record)\b[\s:#=.-]*"
    r"((?=[A-Za-z0-9/-]*\d)[A-Za-z0-9](?:[A-Za-z0-9]|[-/](?=[A-Za-z0-9])){5,29})(?![A-Za-z0-9])"
)
_SIX_DIGITS = re.compile(r"\d{6}")


def _digits(value: str) -> int:
    return sum(c.isdigit() for c in value)


# "Member: XYZ 123 456 789", "policy 88 4417 20931": a labelled number written in groups.
_ID_GROUPED = ci(
    r"(?i)\b(?:member|mbr|subscriber|policy|account|acct|mrn|medicaid|medicare|id|chart|claim)\b\s*(?:id|#|no\.?|number)?"
    r"\s*[:#=]?\s*((?:[a-z]{1,3}\s)?\d{2,5}(?:[\s-]\d{2,5}){2,4})(?![\w-])"
)


_PHONE_SHAPE = re.compile(r"\d{3}[\s.-]\d{3}[\s.-]\d{4}")


def find_labelled_ids(text: str) -> list[tuple[int, int, str]]:
    """Labelled numbers, each with its kind: "state ID P5675" is a licence, "MRN 55123" an identifier."""
    low = lower(text)
    spans = [(s, e) for s, e in _labelled_spans(text) if not after_non_patient_label(text, s)]
    for m in _ID_GROUPED.finditer(low):
        value = text[m.start(1):m.end(1)]
        if sum(c.isdigit() for c in value) < 6 or _PHONE_SHAPE.fullmatch(value):
            continue
        if value[0].isalpha() and not value.split()[0].isupper():
            continue  # "member at 512 ...": a word, not a prefix like "XYZ"
        spans.append(m.span(1))
    return [(start, end, kind_before(low, start)) for start, end in merge(spans)]


def _labelled_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    low = lower(text)
    for regex in (_ID_MARKED, _ID_STRONG):
        for m in regex.finditer(low):
            if _digits(m.group(1)) >= 3:
                spans.append(m.span(1))
    for m in _ID_WEAK.finditer(low):
        # a bare "claim"/"member" needs a real number: 6+ digits in a row,
        # so "claim 99284-25" (CPT + modifier) is not one.
        if _SIX_DIGITS.search(m.group(1)):
            spans.append(m.span(1))
    return merge(spans + find_ending_digits(text))


# "account number ending 4471", "card ending in 0093", "last 4 of the member ID 5521"
_ENDING = ci(
    r"(?i)\b(?:ending(?:\s+in)?|ends\s+in|last\s+(?:4|four)(?:\s+digits)?(?:\s+(?:of|are|is))?(?:\s+(?:the\s+)?[a-z]+(?:\s+id)?)?)"
    r"\s*[:#=-]?\s*(\d{4,6})(?!\d|[.,]\d)"
)
_PERIOD_BEFORE = ci(r"(?i)\b(?:year|month|period|quarter|fy|cy|plan\s+year)\s*$")


def find_ending_digits(text: str) -> list[tuple[int, int]]:
    low = lower(text)
    if "end" not in low and "last" not in low:
        return []
    return [m.span(1) for m in _ENDING.finditer(low)
            if not _PERIOD_BEFORE.search(low, max(0, m.start() - 20), m.start())]


# --------------------------------------------------------------------------
# photos and biometrics (Safe Harbor: full-face photographs and comparable images, biometric identifiers)

_BIOMETRIC = ci(
    r"(?i)\b(?:photo(?:graph)?s?|pictures?|pics?|selfies?|headshots?|snapshots?|full[\s-]face|"
    r"(?:finger|thumb|palm|voice|foot)\s*prints?|(?:retina(?:l)?|iris|face|facial|vein)\s+(?:scans?|recognition|images?)|"
    r"biometrics?|dna\s+(?:profile|sample|test\s+result))\b"
)


# A photo of a document is not a photo of a person: "a photo of the EOB", "screenshot of the remit".
_OF_A_DOCUMENT = ci(
    r"(?i)\s+of\s+(?:the\s+|an?\s+|our\s+|their\s+)?(?:eob|era|remit|remittance|letter|document|form|claim|fax|"
    r"screen|denial|notice|bill|invoice|statement|check|receipt|report|page|portal)\b"
)


def find_biometrics(text: str) -> list[tuple[int, int]]:
    low = lower(text)
    return [m.span() for m in _BIOMETRIC.finditer(low) if not _OF_A_DOCUMENT.match(low, m.end())]
