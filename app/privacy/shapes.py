"""PHI detector for identifier shapes: numbers and codes that are not billing codes.

Recall comes from the shape, not from a list of labels: any token with a long digit run, or a
mix of letters and digits, is an identifier unless it has the format of something a biller writes
(CPT / HCPCS / CPT II-III, ICD-10-CM / PCS, NDC in every format incl. the 837's N4 qualifier,
CARC / RARC, LCD / NCD / article ids, modifiers, money, units, 5010 version ids). The words
before it only choose the kind: a licence (driver's licence, state ID, DEA, professional
licence, certificate), a vehicle (plate, VIN), a device (serial, UDI) or else a record /
member / account / claim number. A labelled licence, plate or serial is reported even when its
shape alone would pass ("plate EZW 751").

Design notes: the docstring of ``phi.py``.
"""

from __future__ import annotations

import re

from app.reference.code_format import CODE_SHAPE

from ._text import after_non_patient_label, ci, lower

# Tokens: letters and digits, joined by - / . inside (a trailing "." is punctuation).
_TOKEN = re.compile(r"(?<![\w$])[A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)*")

_CODE = f"(?:{CODE_SHAPE})"
_CODE_FORMATS = re.compile(
    r"""(?x)
    """ + _CODE + r"""(?:x\d{1,3})?(?:-[0-9A-Z]{2})*(?:x\d{1,3})?                # CPT / HCPCS (+modifiers, xN)
    | """ + _CODE + "-" + _CODE + r"""                                           # a range or an NCCI pair
    | [A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?                                     # ICD-10-CM
    | 0(?=[0-9]*[A-HJ-NP-Z])[0-9A-HJ-NP-Z]{6}                                    # ICD-10-PCS, med/surg section
    | \d{4}-\d{4}-\d{2} | \d{5}-\d{3}-\d{2} | \d{5}-\d{4}-\d{1,2}                # NDC 4-4-2, 5-3-2, 5-4-1/2
    | N4\d{11}                                                                   # NDC with the 837 qualifier
    | D?L\d{5} | A\d{5} | \d{2,3}(?:\.\d{1,2}){1,2}                             # LCD, article, NCD
    | (?:MA|M|N)\d{1,3}                                                          # RARC
    | (?:CO|PR|OA|PI|CR)-?[A-Z]?\d{1,3}                                          # grouped CARC
    | 00501\dX\d{3}A\d | 005010X\d{3}A\d                                         # 5010 implementation guides
    | [A-Z]{2,3}\d{2}(?:-\d{1,2})? | [12]\d{3}[A-H]{1,2}                          # X12 elements and loops: CLM05-3, 2010AA
    | (?:MM|SE|CR|JA|MLN)\d{4,5} | R\d{3,5}(?:CP|PI|BP|OTN|GI|FM|NCD)            # CMS MLN articles, transmittals
    | (?:FY|CY|PY)\d{4} | \d{4}Q[1-4] | Q[1-4]-?\d{4} | \d{4}-\d{2}(?:-\d{2})?   # periods (dates run first)
    | (?:19|20)\d{2}-(?:19|20)\d{2}                                              # year ranges
    | \d+(?:\.\d+)?(?:mg|mcg|ml|cc|cm|mm|kg|lbs?|units?|iu|meq|mmhg|hrs?|mins?|wks?|x)(?:/\w+)?
    """
)
_PCS_CONTEXT = ci(r"(?i)\b(?:pcs|icd-?10-?pcs|procedure\s+code|drg)\b")
_PCS_ANY = re.compile(r"[0-9BCDFGHX][0-9A-HJ-NP-Z]{6}")
_NDC_LABEL = ci(r"(?i)\bndc\b\W{0,4}$")

# 17 characters without I, O or Q, letters and digits mixed: a vehicle identification number.
_VIN = re.compile(r"(?=.*\d)(?=.*[A-Z].*[A-Z])[A-HJ-NPR-Z0-9]{17}")
_DIGIT_RUN = re.compile(r"\d{6,}")
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[A-Za-z]")

# The nearest of these words before an identifier decides its kind.
_KIND_WORDS = ci(
    r"(?i)\b(?:(?P<vehicle>license\s+plate|licence\s+plate|plates?|tags?|vin|vehicle|car|truck|van|motorcycle)"
    r"|(?P<license>licen[sc]e|lic|dl|d\.l|state\s+id|dea|certificate|cert|permit|passport|npdb)"
    r"|(?P<identifier>member|mbr|subscriber|account|acct|mrn|claim|clm|policy|chart|record|encounter|fin)"
    r"|(?P<device>serial|s/n|sn|udi|device|pacemaker|defibrillator|icd\s+generator|pump|cgm|sensor|"
    r"transmitter|implant|stimulator|hearing\s+aid|wheelchair|lot|model|di))\b"
)
# A label that makes even a short or spaced value an identifier ("plate EZW 751", "DL D123 4567").
_LABELLED_VALUE = ci(
    r"(?i)\b(?:license\s+plate|licence\s+plate|plate|tag|vin|driver'?s?\s+licen[sc]e|dl|state\s+id|dea|"
    r"licen[sc]e|lic|certificate|cert|serial(?:\s+number)?|s/n|sn|udi|passport)\s*(?:no\.?|number|num|#)?\s*"
    r"(?:is|was|of)?\s*[:#=-]?\s*((?:[A-Za-z0-9]+[\s\-\u2022\u00b7]?){1,3})"
)


def _is_code(token: str, text: str, start: int) -> bool:
    if _CODE_FORMATS.fullmatch(token):
        return True
    if _PCS_ANY.fullmatch(token) and _PCS_CONTEXT.search(lower(text), max(0, start - 60), start):
        return True
    if token.isdigit() and len(token) in (10, 11) and _NDC_LABEL.search(lower(text), max(0, start - 8), start):
        return True  # an unhyphenated NDC right after "NDC"
    return False


_WORD_RUN = re.compile(r"[A-Za-z]{5,}")


def _looks_like_id(token: str) -> bool:
    if _DIGIT_RUN.search(token):
        return True
    if _WORD_RUN.search(token) and len(_DIGIT.findall(token)) <= 3:
        return False  # a word with a few digits in it: "Point32Health", "COVID19vaccine"
    alnum = sum(c.isalnum() for c in token)
    digits = len(_DIGIT.findall(token))
    if alnum >= 6 and digits >= 2 and _LETTER.search(token):
        return True
    # "S530-4127-8845", "123-456-789": several short groups adding up to a long number
    return token.count("-") + token.count("/") >= 2 and digits >= 8


def _part_looks_like_id(token: str, text: str, start: int) -> bool:
    pos = start
    for part in re.split(r"([-/.])", token):
        if part and part not in "-/." and _looks_like_id(part) and not _is_code(part, text, pos):
            return True
        pos += len(part)
    return False


def kind_before(low: str, start: int) -> str:
    """The kind the nearest label word before ``start`` gives an identifier (default: identifier)."""
    kind = "identifier"
    for m in _KIND_WORDS.finditer(low, max(0, start - 40), start):
        kind = m.lastgroup or kind
    return kind


def find_shaped_ids(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every identifier-shaped token and every labelled licence / plate / serial."""
    low = lower(text)
    found: list[tuple[int, int, str]] = []
    for m in _TOKEN.finditer(text):
        token, start = m.group(), m.start()
        if len(token) < 6 or not _DIGIT.search(token):
            continue
        if len(token) == 17 and _VIN.fullmatch(token):
            found.append((start, m.end(), "vehicle"))
            continue
        if _is_code(token, text, start) or not (_looks_like_id(token) or _part_looks_like_id(token, text, start)):
            continue
        if _part_is_all_codes(token, text, start):
            continue
        if after_non_patient_label(text, start):
            continue  # NPI / TIN / PTAN: provider identifiers, see the README's privacy policy
        kind = kind_before(low, start)
        if kind == "identifier" and _VIN.fullmatch(token.upper()):
            kind = "vehicle"
        found.append((start, m.end(), kind))
    for m in _LABELLED_VALUE.finditer(low):
        start = m.start(1)
        end = _value_end(text, start, m.end(1))
        value = text[start:end]
        if len(_DIGIT.findall(value)) >= 1 and len(value) >= 4:
            found.append((start, end, kind_before(low, start + 1)))
    return _merge_kinds(found)


_VALUE_GROUP = re.compile(r"[A-Za-z0-9]+")


def _value_end(text: str, start: int, end: int) -> int:
    """End of a labelled value: its first group, then groups with a digit or short capitals
    ("EZW 751", "7ABC123 CA"), never the words after it ("AB1234563 on the Rx")."""
    stop = start
    for n, g in enumerate(_VALUE_GROUP.finditer(text, start, end)):
        word = g.group()
        if n and not (any(c.isdigit() for c in word) or (word.isupper() and len(word) <= 4)):
            break
        stop = g.end()
    return stop


def _part_is_all_codes(token: str, text: str, start: int) -> bool:
    # "99214-25-59", "20553/97140", "G0283-59", "CMS-1500", "ICD-10-CM", "Q7/Q8/Q9": every piece a
    # code, a word, a modifier or a short number
    parts = [p for p in re.split(r"[-/]", token) if p]
    if len(parts) < 2:
        return False
    return all(len(p) <= 3 or p.isalpha() or _is_code(p, text, start) or (p.isdigit() and len(p) <= 5) for p in parts)


def _merge_kinds(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(found):
        if out and start <= out[-1][1]:
            prev = out[-1]
            better = prev[2] if prev[2] != "identifier" else kind
            out[-1] = (prev[0], max(end, prev[1]), better)
        else:
            out.append((start, end, kind))
    return out

