"""Span and case helpers shared by the PHI detectors.

Every helper keeps offsets valid for the text being checked.

Design notes and measurements: the docstring of ``phi.py``.
"""

from __future__ import annotations

import re


def lower(text: str) -> str:
    """Lower-case copy with the same length (so spans carry over)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def ci(pattern: str) -> re.Pattern[str]:
    """Compile a "(?i)" pattern to run on lower(text): about 5x faster than (?i)."""
    assert pattern.startswith("(?i)")
    return re.compile(pattern[4:].lower().replace("(?p<", "(?P<").replace("(?p=", "(?P="))


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans = sorted(spans)
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def strip_trailing(text: str, start: int, end: int, chars: str = ".,;:!?)]}>'\"") -> tuple[int, int]:
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


# Provider / drug identifiers that are not patient PHI: a number right after
# one of these labels is left to the biller.
_NON_PATIENT_LABEL = re.compile(
    r"(?i)\b(?:npi|tin|ein|ndc|tax\s*id|ptan|clia|upin|taxonomy|pay[eo]r\s*(?:id|#|number))\W{0,4}$"
)


def after_non_patient_label(text: str, start: int) -> bool:
    return bool(_NON_PATIENT_LABEL.search(text, max(0, start - 16), start))
