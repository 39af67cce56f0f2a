"""Modifier sanity from the fee schedule's own indicators (PPRRVU columns), in a biller's words.

Indicator meanings are those of the RVU file's documentation (the PPRRVU readme).
"""
from app.claims.findings import DENIAL, INFO, WARNING, Finding
from app.claims.lines import ClaimLine
from app.payment.formula import RvuRow

ASSISTANT_MODIFIERS = ("80", "81", "82", "AS")
MINOR_PROCEDURE_GLOBALS = ("000", "010")
PCTC_WORDS = {
    "0": "a physician service with no professional/technical split",
    "2": "a professional-only service",
    "3": "a technical-only service",
    "4": "a global test billed only as a whole",
    "5": "an incident-to service",
    "6": "a laboratory physician interpretation",
    "7": "a physical therapy service",
    "8": "a physician interpretation code",
    "9": "a service where the professional/technical concept does not apply",
}
MODIFIER_25_RULE = (
    "An office visit on the same day as a procedure with a 0- or 10-day global period is paid separately only "
    "when it treats a significant, separately identifiable problem beyond the usual pre-procedure assessment "
    "(the decision to do the procedure is part of the procedure). Modifier 25 goes on the visit, and the note "
    "must show that separate problem.")


def line_modifier_findings(line: ClaimLine, row: RvuRow, vintage: str | None,
                           published_rows: frozenset[str]) -> list[Finding]:
    """What the line's modifiers say against the code's indicators. ``row`` is the code's global row."""
    findings: list[Finding] = []

    def add(severity: str, message: str, action: str, **details) -> None:
        findings.append(Finding("modifier", severity, message, action, vintage, [line.code], [line.number], details))

    modifiers = set(line.modifiers)
    if "50" in modifiers and row.bilateral_surgery != "1":
        words = {"0": "the 150% bilateral payment does not apply",
                 "2": "the code is already priced as bilateral",
                 "3": "each side is paid as its own procedure",
                 "9": "the bilateral concept does not apply"}.get(row.bilateral_surgery, "bilateral billing is not defined")
        add(DENIAL if row.bilateral_surgery in {"0", "2", "9"} else WARNING,
            f"Modifier 50 on {line.code}: bilateral indicator {row.bilateral_surgery}, {words}.",
            "Remove 50 and bill the code once." if row.bilateral_surgery in {"0", "2", "9"}
            else "Follow the payer's rule for this code: usually RT and LT on two lines rather than 50.",
            bilateral_indicator=row.bilateral_surgery)
    if "51" in modifiers and row.multiple_procedure in {"0", "9"}:
        add(WARNING, f"Modifier 51 on {line.code}: multiple procedure indicator {row.multiple_procedure}, "
            "no multiple procedure reduction applies to this code.",
            "Remove 51 from this line; Medicare applies the reduction itself where it is due.",
            multiple_procedure_indicator=row.multiple_procedure)
    for modifier in sorted(modifiers & set(ASSISTANT_MODIFIERS)):
        if row.assistant_surgery in {"1", "9"}:
            add(DENIAL, f"Modifier {modifier} on {line.code}: assistant at surgery indicator {row.assistant_surgery}, "
                "an assistant is not paid for this code.",
                f"Do not bill an assistant line for {line.code}.", assistant_indicator=row.assistant_surgery)
        elif row.assistant_surgery == "0":
            add(WARNING, f"Modifier {modifier} on {line.code}: assistant at surgery indicator 0, paid only with "
                "documentation that an assistant was medically necessary.",
                "Send the operative note showing why the assistant was needed.", assistant_indicator="0")
    for modifier in sorted(modifiers & {"26", "TC"}):
        if modifier not in published_rows:
            meaning = PCTC_WORDS.get(row.pctc_indicator, f"PC/TC indicator {row.pctc_indicator}")
            add(DENIAL, f"Modifier {modifier} on {line.code}: PC/TC indicator {row.pctc_indicator} ({meaning}); "
                f"the fee schedule has no {modifier} row for this code.",
                f"Remove {modifier} and bill the global service.", pctc_indicator=row.pctc_indicator)
    return findings


def same_day_visit_findings(lines: list[ClaimLine], rows: dict[str, RvuRow], vintage: str | None) -> list[Finding]:
    """Modifier 25: a visit with a same-day minor procedure, or 25 where it does not belong."""
    minor = [line for line in lines if not line.is_office_visit and line.code in rows
             and rows[line.code].global_days in MINOR_PROCEDURE_GLOBALS]
    findings = []
    for line in lines:
        if "25" in line.modifiers and not line.is_office_visit:
            findings.append(Finding("modifier", WARNING, f"Modifier 25 on {line.code}: 25 belongs on an office visit "
                                    "(E/M) code, not on a procedure.", "Move 25 to the visit line, or remove it.",
                                    vintage, [line.code], [line.number]))
        if not line.is_office_visit or not minor:
            continue
        procedures = ", ".join(f"{m.code} ({rows[m.code].global_days}-day global)" for m in minor)
        numbers = [line.number, *(m.number for m in minor)]
        codes = [line.code, *(m.code for m in minor)]
        details = {"rule": MODIFIER_25_RULE, "procedures": [m.code for m in minor]}
        if "25" in line.modifiers:
            findings.append(Finding("modifier", INFO, f"{line.label} with {procedures} on the same day. {MODIFIER_25_RULE}",
                                    "Keep 25 only if the note documents the separate problem (its own history, exam "
                                    "or decision making); otherwise drop the visit.", vintage, codes, numbers, details))
        else:
            findings.append(Finding("modifier", DENIAL, f"{line.code} without modifier 25 with {procedures} on the same "
                                    f"day: the visit will be denied as part of the procedure. {MODIFIER_25_RULE}",
                                    f"If the note shows a separate problem, add 25 to {line.code}; if not, do not bill "
                                    "the visit.", vintage, codes, numbers, details))
    return findings
