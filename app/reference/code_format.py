"""The shapes of a procedure code and its modifiers, defined once for forms, schemas, pages, loaders
and the PHI check.

A biller may type a CPT code (five digits, or four digits and F, T or U for CPT II, III and PLA
codes) or a HCPCS Level II code (a letter A-V and four digits). The CMS files we load are read a
little wider, so that a code series they add does not fail a whole load.
"""
import re

#: Unanchored, for patterns that find a code inside longer text.
CODE_SHAPE = r"\d{4}[0-9FTU]|[A-V]\d{4}"
PROCEDURE_CODE = re.compile(rf"^({CODE_SHAPE})$")
PROCEDURE_CODE_ERROR = ("Use a CPT code (5 digits, or 4 digits and F, T or U) "
                        "or a HCPCS code (a letter A-V and 4 digits).")

#: A modifier on a claim line: two letters or digits (25, 59, XS).
MODIFIER = re.compile(r"^[0-9A-Z]{2}$")

#: The fee schedule (PPRRVU) and OPPS cap files: any letter before the four digits.
FEE_SCHEDULE_CODE = re.compile(r"^(\d{4}[0-9FTU]|[A-Z]\d{4})$")
#: NCCI PTP and MUE files: a letter or digit at either end (they list CPT's 0001M-style codes too).
NCCI_CODE = re.compile(r"^[0-9A-Z]\d{3}[0-9A-Z]$")


def is_code(text: str) -> bool:
    """Whether ``text`` has the shape of a code a biller may ask about."""
    return bool(PROCEDURE_CODE.match(text))
