"""Which part of the code set a code belongs to, from its number alone.

CPT Category I sections and Surgery subsections by code range, as the AMA's CPT book orders them
(ranges as listed by public references such as geratools.com/cpt-code-section-reference); the
fifth character tells Category II (F), Category III (T) and Proprietary Laboratory Analyses (U).
A code starting with a letter is a HCPCS Level II code (CMS's, with a public descriptor).
"""
from bisect import bisect_right

#: (first, last, name). Evaluation and Management and the anesthesia qualifying circumstances sit
#: inside the Medicine range and are checked first.
INSIDE_MEDICINE = (
    (99100, 99140, "Anesthesia: qualifying circumstances"),
    (99202, 99499, "Evaluation and Management"),
)
SECTIONS = (
    (100, 1999, "Anesthesia"),
    (10004, 69990, "Surgery"),
    (70010, 79999, "Radiology"),
    (80047, 89398, "Pathology and Laboratory"),
    (90281, 99607, "Medicine"),
)
SURGERY_SUBSECTIONS = (
    (10004, "General"),
    (10030, "Integumentary system"),
    (20100, "Musculoskeletal system"),
    (30000, "Respiratory system"),
    (33016, "Cardiovascular system"),
    (38100, "Hemic and lymphatic systems"),
    (39000, "Mediastinum and diaphragm"),
    (40490, "Digestive system"),
    (50010, "Urinary system"),
    (54000, "Male genital system"),
    (55920, "Reproductive system and intersex"),
    (56405, "Female genital system"),
    (59000, "Maternity care and delivery"),
    (60000, "Endocrine system"),
    (61000, "Nervous system"),
    (65091, "Eye and ocular adnexa"),
    (69000, "Auditory system"),
    (69990, "Operating microscope"),
)
_SUBSECTION_STARTS = [start for start, _ in SURGERY_SUBSECTIONS]
EVALUATION_AND_MANAGEMENT = INSIDE_MEDICINE[1]


def is_hcpcs_level_two(code: str) -> bool:
    return bool(code) and code[0].isalpha()


def cpt_section(code: str) -> str | None:
    """'Surgery: Nervous system' for 64635; None for a HCPCS Level II code or an unknown range."""
    if is_hcpcs_level_two(code) or len(code) != 5:
        return None
    suffix = code[4]
    if suffix == "F":
        return "Category II (performance measurement)"
    if suffix == "T":
        return "Category III (emerging technology)"
    if suffix == "U":
        return "Pathology and Laboratory: Proprietary Laboratory Analyses"
    if not code.isdigit():
        return None
    number = int(code)
    for first, last, name in INSIDE_MEDICINE:
        if first <= number <= last:
            return name
    for first, last, name in SECTIONS:
        if first <= number <= last:
            if name == "Surgery":
                return f"Surgery: {SURGERY_SUBSECTIONS[bisect_right(_SUBSECTION_STARTS, number) - 1][1]}"
            return name
    return None


def is_evaluation_and_management(code: str) -> bool:
    first, last, _ = EVALUATION_AND_MANAGEMENT
    return code.isdigit() and first <= int(code) <= last


def is_anesthesia(code: str) -> bool:
    return code.isdigit() and 100 <= int(code) <= 1999
