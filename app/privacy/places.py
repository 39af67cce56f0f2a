"""PHI detectors for places: ZIP codes and street addresses.

Design notes and measurements: the docstring of ``phi.py``.
"""

from __future__ import annotations

import re

from . import _vocab
from ._text import ci, has_digit, lower, merge, strip_trailing


# --------------------------------------------------------------------------
# ZIP codes

_STATE_ABBR_RE = "|".join(sorted(_vocab.STATE_ABBR, key=len, reverse=True))
_STATE_NAME_RE = "|".join(
    n.replace(" ", r"\s+") for n in sorted(_vocab.STATE_NAMES, key=len, reverse=True)
)
_STATE = r"(?:(?P<abbr>" + _STATE_ABBR_RE + r")\b\.?|(?P<name>(?i:" + _STATE_NAME_RE + r"))\b)"
_ZIP5 = r"(?P<zip>\d{5}(?:-\d{4})?)(?![\w-]|\.\d)"
_ZIP_LABELLED = ci(
    r"(?i)\bzip(?:\s*code)?(?:\s*\+\s*4)?\s*(?:is|was|of)?\s*[:#=-]?\s*(\d{5}(?:-\d{4})?)(?![\w-]|\.\d)"
)
_ZIP_BEFORE_LABEL = ci(r"(?i)(?<![\w$.,-])(\d{5}(?:-\d{4})?)\s+zip\b")
_ZIP_AFTER_COMMA_STATE = re.compile(r",\s*" + _STATE + r",?\s+" + _ZIP5)
# Two-letter abbreviations that are also English words ("included IN 47562",
# "97140 OR 97110"): only after a Title-case city or a comma.
_AMBIGUOUS_ABBR = frozenset("IN OR ME OH OK HI DE PA CO LA MA AL ID MD GA MO NE WA MI MS MT VA ND SD NC SC AR AK AS".split())
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


# "lives in 10025", "ships to 48201", "Cook County 60601", "moved to 30301-1234"
_ZIP_IN_CONTEXT = ci(
    r"(?i)\b(?:lives?|living|resides?|residing|moved|moving|relocated|ships?|shipped|shipping|mail(?:ed|s)?|sent|"
    r"delivered|located|address|county|parish|borough|town|city|postal(?:\s+code)?|zipcode)"
    r"\s*(?:is\s+|was\s+)?(?:in|to|at|near|of|code)?\s*[:,]?\s*(\d{5}(?:-\d{4})?)(?![\w-]|\.\d)"
)
# Canadian postal codes: "K1A 0B1" (no D, F, I, O, Q, U; no W or Z first).
_CANADIAN_POSTAL = re.compile(r"(?<![\w-])[A-Z]\d[A-Z][ -]?\d[A-Z]\d(?![\w-])")
# "West Michaelburgh, AS 11363": any two capitals between a place name + comma and a ZIP
_ZIP_AFTER_PLACE_COMMA = re.compile(r"\b[A-Z][a-z]+,\s+[A-Z]{2}\s+(\d{5}(?:-\d{4})?)(?![\w-]|\.\d)")


def find_zips(text: str) -> list[tuple[int, int]]:
    if not has_digit(text):
        return []
    low = lower(text)
    spans = [m.span(1) for m in _ZIP_IN_CONTEXT.finditer(low)]
    spans += [m.span() for m in _CANADIAN_POSTAL.finditer(text)]
    spans += [m.span(1) for m in _ZIP_AFTER_PLACE_COMMA.finditer(text)]
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
    return merge(spans)


# --------------------------------------------------------------------------
# street addresses

_SUFFIX_STRONG = (
    "street|st|avenue|ave|av|boulevard|blvd|road|rd|lane|ln|highway|hwy|parkway|pkwy|"
    "expressway|expy|freeway|fwy|turnpike|tpke"
)
# The rest of USPS Publication 28's street suffixes (appendix C1): only in a capitalised street name.
_SUFFIX_WEAK = (
    "drive|dr|court|ct|place|pl|way|circle|cir|terrace|ter|trail|trl|loop|square|sq|plaza|"
    "pointe|crossing|xing|run|path|row|walk|alley|pike|cove|bend|ridge|hollow|heights|hts|"
    "commons|landing|glen|creek|hills|crescent|manor|mews|grove|gardens|estates|meadows|"
    "village|station|harbor|point|annex|arcade|bayou|beach|bluffs?|bottom|branch|bridge|brooks?|"
    "burgs?|bypass|camp|canyon|cape|causeway|centers?|circles|cliffs?|club|common|corners?|course|"
    "courts|coves|crest|crossroads?|curve|dale|dam|divide|drives|estate|extensions?|falls?|ferry|"
    "fields?|flats?|fords?|forest|forges?|forks?|fort|gardens?|gateway|glens|greens?|groves|"
    "harbors|haven|hill|inlet|islands?|isle|junctions?|keys?|knolls?|lakes?|land|lights?|loaf|"
    "locks?|lodge|mall|manors|meadow|mills?|mission|motorway|mount|mountains?|neck|orchard|oval|"
    "overpass|parks?|parkways|pass|passage|pines?|plains?|points|ports?|prairie|radial|ramp|ranch|"
    "rapids?|rest|ridges|river|roads|route|shoals?|shores?|skyway|springs?|spurs?|squares|"
    "stravenue|stream|streets|summit|trace|track|trafficway|trailer|tunnel|underpass|unions?|"
    "valleys?|viaduct|views?|villages?|ville|vista|walks|wall|ways|wells?"
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
_ADDRESS_LONG = ci(_ADDRESS_PARTS % "")
_ADDRESS_SHORT = ci(_ADDRESS_PARTS % "?")
_HIGHWAY = ci(
    r"(?i)(?<![\w$#.,/-])\d{1,6}\s+(?:county\s+road|co\.?\s+rd\.?|cr|farm\s+to\s+market(?:\s+road)?|fm|"
    r"state\s+(?:road|route|highway|hwy)|sr|us\s+(?:highway|hwy|route)|highway|hwy|route|rte|rural\s+route|rr)"
    r"\s+\d{1,4}\b"
)
_CODE_LIKE = re.compile(r"^(?:\d+[a-z]+\d*|[a-z]+\d+[a-z0-9]*)$")  # 837p, g0283 (not 5th, 42nd)
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")
_PO_BOX = ci(
    r"(?i)\b(?:(?:p\.?\s*o\.?\s*box|post\s+office\s+box)|(?:rr|r\.r\.|rural\s+route|hc|star\s+route)\s*\d{1,4},?\s*box)"
    r"\s*#?\s*\d{1,7}\b"
)


# Street words that come before the name: "4492 Calle Harris", "12 Via Roma", "77 Rue Saint-Denis".
_STREET_PREFIX = ci(
    r"(?i)(?<![\w$#.,/-])\d{1,6}\s+(?:calle|camino|avenida|avda\.?|via|viale|rua|rue|paseo|carrera|carretera|"
    r"boulevard|chemin|strada|ulica|ul\.)\s+[A-Za-z\u00c0-\u024f][\w'.\u00c0-\u024f-]*"
)
# Street word, name, then the number: "Via Garibaldi 14", "Calle 5 de Mayo 123", "Rua Augusta 1500"
_STREET_PREFIX_NUMBER_AFTER = re.compile(
    r"\b(?:Calle|Via|Viale|Rua|Rue|Avenida|Carrera|Strada|Ulica|Straße|Strasse|Paseo|Camino)\s+"
    r"(?P<name>(?:[\w\u00c0-\u024f'.-]+\s+){1,4}?)\d{1,5}[A-Za-z]?\b(?![-/]\d)"
)
# "920 Avenue N", "1402 Street K", "15 Avenue of the Americas"
_LETTERED_STREET = re.compile(r"(?<![\w$#.,/-])\d{1,6}\s+(?:Avenue|Ave\.?|Street|St\.?|Road|Rd\.?)\s+(?:[A-Z]{1,2}|of\s+the\s+[A-Z]\w+)\b")
# Wisconsin / northern Illinois grid addresses: "N6542 County Road K", "W1234 State Highway 33"
_GRID_ADDRESS = ci(
    r"(?i)\b[nsew]\d{3,5}\s+(?:(?:county|state|us)\s+(?:road|rd|highway|hwy|trunk)|cty|highway|hwy|"
    r"[a-z]+\s+(?:road|rd|lane|ln|drive|dr|street|st|avenue|ave|trail|court|ct))\b(?:\s+[a-z]{1,2}\b|\s+\d{1,3}\b)?"
)
# A unit on its own: "Apt 6", "apt. 4B", "Unit 12", "#14C" (not "box #24J" on the claim form)
_UNIT = re.compile(
    r"(?<![\w-])(?:(?:Apt|APT|apt|Apartment|apartment|Unit|UNIT|Suite|Ste|STE)\.?\s*#?\s*\d{1,5}[A-Za-z]?"
    r"|unit\s*#\s*\d{1,5}[A-Za-z]?|#\d{1,4}[A-Z])(?![\w-])"
)
_FORM_BOX_BEFORE = ci(r"(?i)\b(?:box|fl|field|item|line|loop|segment|form\s+locator)\s*$")


def find_addresses(text: str) -> list[tuple[int, int]]:
    if not has_digit(text):
        return []
    low = lower(text)
    spans = [m.span() for m in _PO_BOX.finditer(low)]
    spans += [m.span() for m in _STREET_PREFIX.finditer(low)]
    spans += [m.span() for m in _LETTERED_STREET.finditer(text)]
    for m in _STREET_PREFIX_NUMBER_AFTER.finditer(text):
        words = m.group("name").split()
        if words[0][0].isupper() or words[0][0].isdigit():
            if not any(w.lower() in _vocab.STOP_WORDS for w in words):
                spans.append(m.span())
    spans += [m.span() for m in _GRID_ADDRESS.finditer(low)]
    for m in _UNIT.finditer(text):
        if not _FORM_BOX_BEFORE.search(low, max(0, m.start() - 16), m.start()) and not _units_of_service(low, m.start()):
            spans.append(m.span())
    spans += [m.span() for m in _HIGHWAY.finditer(low)]
    for m in _ADDRESS_LONG.finditer(low):
        if not _street_ok(text, m):
            m = _ADDRESS_SHORT.match(low, m.start())
            if m is None or not _street_ok(text, m):
                continue
        spans.append(strip_trailing(text, *m.span(), chars=",;:"))
    return merge(spans)


def _units_of_service(low: str, start: int) -> bool:
    # "billed 3 Units", "unit 2 of 4": a count of services, not a flat
    return bool(re.search(r"\d\s*$", low[max(0, start - 4):start])) or low.startswith(("unit", "units"), start) \
        and bool(re.match(r"units?\s*\d+\s+(?:of|x|per|billed|denied|paid|allowed)\b", low[start:start + 30]))


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
