"""PHI detectors for contact details: email, URL, IP address, phone and fax.

Design notes and measurements: the docstring of ``phi.py``.
"""

from __future__ import annotations

import ipaddress
import re

from ._text import after_non_patient_label, ci, lower, merge, strip_trailing


# --------------------------------------------------------------------------
# email, url, ip

_EMAIL = re.compile(
    r"(?<![\w.+'%-])[A-Za-z0-9](?:[A-Za-z0-9._%+'-]{0,63})@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,24}(?![\w-])"
)


def find_emails(text: str) -> list[tuple[int, int]]:
    if "@" not in text:
        return []
    return [m.span() for m in _EMAIL.finditer(text)]


_TLDS = (
    "com|org|net|edu|gov|mil|int|io|ly|us|info|biz|co|me|health|care|app|site|online|"
    "link|page|gl|tv|ai|uk|ca|ws|cc|ms|fm|xyz|club|live|life|blog|news|"
    "clinic|doctor|hospital|dental|insurance|law|pro|tech|store|shop|cloud|dev"
)
_URL = ci(r"(?i)(?<![\w@])(?:(?:https?|ftp)://|www\.)[^\s<>\"'\x00]+")
_BARE_DOMAIN = ci(
    r"(?i)(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:" + _TLDS + r")\b(?!\.\w)"
    r"(?:[/?#][^\s<>\"'\x00]*)?"
)


_DOMAIN_HINT = re.compile(r"[A-Za-z0-9]\.[A-Za-z]{2}")


def find_urls(text: str) -> list[tuple[int, int]]:
    if "." not in text and "://" not in text:
        return []
    low = lower(text)
    spans = [strip_trailing(text, *m.span()) for m in _URL.finditer(low)]
    if not _DOMAIN_HINT.search(text):
        return merge(spans)
    for m in _BARE_DOMAIN.finditer(low):
        host = m.group().split("/", 1)[0]
        # Skip "e.g"-style abbreviations and number-dot tokens: the first
        # host label needs 2+ characters and a letter.
        first_label = host.split(".", 1)[0]
        if len(first_label) < 2 or not any(c.isalpha() for c in first_label):
            continue
        spans.append(strip_trailing(text, *m.span()))
    return merge(spans)


_IPV4 = re.compile(
    r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\d)"
)
_IPV6_CANDIDATE = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?!\w|:\w)")


def find_ips(text: str) -> list[tuple[int, int]]:
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
# phone

_PHONE = ci(
    r"(?i)(?<![\w$#.-])(?:\+?1[\s.-]?)?(?:\(\s*[2-9]\d{2}\s*\)\s*|[2-9]\d{2}[\s.-]?)[2-9]\d{2}[\s.-]?\d{4}"
    r"(?:\s*(?:x|ext\.?|extension)\s*\d{1,5})?(?![\w-]|\.\d)"
)
# Any exchange once the area code is written out: "(950) 027-5334", "214/555-0102", "165.389.4764".
_PHONE_SEPARATED = re.compile(
    r"(?<![\w$#.\-/])(?:\(\d{3}\)\s?\d{3}[\s.-]\d{4}|\d{3}([-./])\d{3}[-.]\d{4}|\d{3}\s\d{3}\s\d{4})(?![\w-]|\.\d)"
)
# International: "+44 20 7946 0958", "011 52 55 1234 5678", "+91 98765 43210", "0044 20 ...".
_PHONE_INTERNATIONAL = re.compile(
    r"(?<![\w+])(?:\+|011[\s.-]|00(?=\d{1,3}\s))\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,5}(?![\w-]|\.\d)"
)
_PHONE_WORD_BEFORE = ci(r"(?i)\b(?:phone|ph|tel|telephone|cell|mobile|fax|call(?:ed)?|text|number|contact|#)\b")
_PHONE_LOCAL = ci(
    r"(?i)(?:\b(?:phone|ph|tel|telephone|cell|mobile|home|work|fax|call|number)\b|#)\s*[:#.-]?\s*"
    r"([2-9]\d{2}[-.]\d{4})(?![\w-]|\.\d)"
)
# A national number with a trunk 0 after a phone word: "mobile 07911 123456", "tel 030 1234567".
_PHONE_NATIONAL = ci(
    r"(?i)\b(?:phone|ph|tel|telephone|cell|mobile|fax|call|whatsapp)\b\s*[:#.-]?\s*"
    r"(0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4})(?![\w-]|\.\d)"
)


def find_phones(text: str) -> list[tuple[int, int]]:
    spans = []
    low = lower(text)
    for m in _PHONE.finditer(low):
        if after_non_patient_label(text, m.start()):
            continue
        if m.group().isdigit() and not _PHONE_WORD_BEFORE.search(low, max(0, m.start() - 24), m.start()):
            continue  # an unbroken run of 10-11 digits is an account number more often than a phone
        spans.append(m.span())
    spans += [m.span(1) for m in _PHONE_LOCAL.finditer(low)]
    spans += [m.span(1) for m in _PHONE_NATIONAL.finditer(low)]
    spans += [m.span() for m in _PHONE_SEPARATED.finditer(text) if not after_non_patient_label(text, m.start())]
    if "+" in text or "011" in text or "00" in text:
        for m in _PHONE_INTERNATIONAL.finditer(text):
            if 8 <= sum(c.isdigit() for c in m.group()) <= 15:
                spans.append(m.span())
    return merge(spans)
