"""PHI detectors for dates more exact than a year, and ages over 89.

Design notes and measurements: the docstring of ``phi.py``.
"""

from __future__ import annotations

import datetime
import re

from ._text import ci, lower, merge


# --------------------------------------------------------------------------
# dates

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# A range "1/6/26-1/9/26" is two dates joined by a hyphen.
_MONTH_SHORT = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
_DATE_MDY = re.compile(r"(?<![\w/.:])(?<![A-Za-z]-)(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\w/]|-[A-Za-z]|[.:]\d)")
_DATE_COMPACT_MONTH = ci(
    r"(?i)(?<![\w])(?:\d{1,2}-?" + _MONTH_SHORT + r"-?(?:\d{4}|\d{2})|" + _MONTH_SHORT + r"-?\d{1,2}-?\d{4})(?!\w)"
)
_DATE_YMD = re.compile(r"(?<![\w/.:-])(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?![\w/-]|[.:]\d)")
_DATE_MONTH_DAY = ci(
    r"(?i)\b(" + _MONTH + r")\b\.?\s*(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s*(?:\d{4}|'\d{2})\b)?"
)
_DATE_DAY_MONTH = ci(
    r"(?i)(?<![\w.,$])(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s-]*(" + _MONTH + r")\b\.?(?:[\s,-]*(?:\d{4}|'\d{2})\b)?"
)
_DATE_CONTEXT_MD = ci(
    r"(?i)\b(?:dos|dob|d\.o\.s\.?|d\.o\.b\.?|on|dated?|from|thru|through|until|till|to|since|seen|"
    r"admit(?:ted)?|discharged?|d/c|effective|eff|as\s+of|by|before|after|born)\s*[:.]?\s*"
    r"(\d{1,2})/(\d{1,2})(?![\d/]|\.\d)"
)
_DATE_COMPACT_LABELLED = ci(
    r"(?i)\b(?:dob|dos|d\.o\.[bs]\.?|date\s+of\s+(?:birth|service)|birth\s*date|birthdate|born)\s*[:#=-]?\s*(\d{8}|\d{6})(?!\d)"
)
# "pain from 8/10 to 3/10", "strength 3/5 to 4/5": scores, not dates.
_SCORE_NEAR = ci(r"(?i)\b(?:pain|score|scored|scale|strength|grade|graded|rated|rating|vas|nrs|mmt|power|level|/10|out\s+of)\b")
_NOT_A_DAY_AFTER = ci(r"(?i)\s*(?:units?|days?|visits?|%|percent|mg|ml|hours?|hrs?|min|minutes?|x\b|times)")
_AMBIGUOUS_MONTHS = {"may", "mar", "jun", "jan", "dec", "sep", "oct", "nov", "aug", "apr", "feb", "jul"}


def _month_ok(word: str) -> bool:
    # "may" / "mar" in lower case are usually the verb or a typo, not a month.
    low = word.lower()
    if low in _AMBIGUOUS_MONTHS and word[0].islower():
        return low not in ("may", "mar")
    return True


def _valid_md(month: int, day: int) -> bool:
    return (1 <= month <= 12 and 1 <= day <= 31) or (1 <= day <= 12 and 13 <= month <= 31)


def find_dates(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _DATE_MDY.finditer(text):
        if _valid_md(int(m.group(1)), int(m.group(3))):
            spans.append(m.span())
    for m in _DATE_YMD.finditer(text):
        if 1900 <= int(m.group(1)) <= 2100 and 1 <= int(m.group(3)) <= 12 and 1 <= int(m.group(4)) <= 31:
            spans.append(m.span())
    low = lower(text)
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
    for m in _DATE_COMPACT_MONTH.finditer(low):
        spans.append(m.span())
    for m in _DATE_CONTEXT_MD.finditer(low):
        if int(m.group(2)) in (4, 5, 10) and _SCORE_NEAR.search(low, max(0, m.start() - 40), m.end() + 12) \
                and not m.group().startswith(("dos", "dob", "d.o")):
            continue
        if _valid_md(int(m.group(1)), int(m.group(2))):
            spans.append(m.span(1)[0:1] + m.span(2)[1:2])
    return merge(spans)


# --------------------------------------------------------------------------
# ages over 89

_AGE_NUMBER = r"(?:9\d|1[0-2]\d)"
_AGE_PATTERNS = (
    ci(
        r"(?i)(?<![\w$.])" + _AGE_NUMBER +
        r"\s*-?\s*(?:years?|yrs?|y\.\s?o\.?|y/o|yo|y\s?o)\b(?:[\s-]*old|\s+of\s+age)?"
    ),
    ci(r"(?i)\b(?:age[ds]?|aged)\s*(?:of\s*)?[:=]?\s*" + _AGE_NUMBER + r"(?!\d|\.\d)(?!\s*(?:days?|units?|%|mg))"),
    ci(
        r"(?i)\b(?:ninety|one\s+hundred)(?:[\s-]+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine))?"
        r"[\s-]+(?:years?|yrs?|y/?o)\b(?:[\s-]*old)?"
    ),
    ci(r"(?i)\b(?:in\s+)?(?:his|her|their)\s+(?:late\s+|early\s+|mid[\s-]*)?(?:90'?s|nineties|100'?s)\b"),
    # "F/94", "94/M", "(95F)", "95yoF"
    ci(r"(?i)(?<![\w/])[fm]\s*/\s*" + _AGE_NUMBER + r"(?![\d/])"),
    ci(r"(?i)(?<![\w/$.])" + _AGE_NUMBER + r"\s*/\s*[fm]\b"),
    ci(r"(?i)(?<![\w$.])" + _AGE_NUMBER + r"\s?(?:f|m|yo\s?[fm]|y/o\s?[fm])\b"),
    # "Pt, 96, was seen"
    ci(r"(?i)\b(?:pt|patient|member|mother|father|mom|dad|wife|husband|beneficiary|resident)\s*,\s*"
       + _AGE_NUMBER + r"\s*,"),
    # "Mr X, 96, had G0439", "Mrs. Lee, 93, was seen"
    ci(r"(?i)\b(?:mr|mrs|ms|miss|mx)\.?\s+[a-z][\w'-]*\s*,\s*" + _AGE_NUMBER + r"\s*,"),
    ci(r"(?i)\b(?:super)?(?:centenarian|nonagenarian)s?\b"),
    # "pt is ninety-three", "aged one hundred"
    ci(r"(?i)\b(?:is|was|aged?|turned|turns)\s+(?:ninety|one\s+hundred)(?:[\s-]+(?:and\s+)?"
       r"(?:one|two|three|four|five|six|seven|eight|nine))?\b"),
    # "she is 94", "pt was 91 at the time of service"
    ci(
        r"(?i)\b(?:pt|patient|he|she|who|member|beneficiary|mother|father|mom|dad|husband|wife)\s+"
        r"(?:is|was|turns?|turned)\s+(?:now\s+)?" + _AGE_NUMBER +
        r"\b(?![.,]\d)(?!\s*(?:days?|units?|visits?|%|percent|min(?:ute)?s?|hours?|hrs?|dollars?|minutes?))"
    ),
)


# Every age pattern contains a 90-129 number or one of these words.
_AGE_HINT = re.compile(r"(?<!\d)(?:9\d|1[0-2]\d)(?!\d)|ninet|hundred|centenar|nonagenar")
# A birth year that makes the person over 89 this year ("born in 1929", "YOB 1931").
_BIRTH_YEAR = ci(
    r"(?i)\b(?:born(?:\s+in)?|b\.|yob|year\s+of\s+birth|birth\s*year|dob)\s*[:#-]?\s*((?:18|19)\d{2})(?!\d)"
)
_OLDEST_ALLOWED_BIRTH_YEAR = datetime.date.today().year - 90


def find_ages(text: str) -> list[tuple[int, int]]:
    low = lower(text)
    spans = [m.span() for m in _BIRTH_YEAR.finditer(low) if int(m.group(1)) <= _OLDEST_ALLOWED_BIRTH_YEAR]
    if not _AGE_HINT.search(low):
        return spans
    for regex in _AGE_PATTERNS:
        spans += [m.span() for m in regex.finditer(low)]
    return merge(spans)
